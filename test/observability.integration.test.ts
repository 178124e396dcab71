/**
 * The observability examples, each run alone with the pinned Node on the
 * real clock, as docs/observability.md tells readers to run them: one serves
 * HTTP on loopback, the other dumps the tree of a program that hangs.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const node = path.join(root, "node_modules", ".bin", "node")

const runExample = (file: string, ...args: Array<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      node,
      [file, ...args],
      { cwd: root, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr })
    )
  })

describe("observability examples", () => {
  it("deadline_http: the budget travels in a header, and the request stops at the deadline", async () => {
    const { code, stdout, stderr } = await runExample("examples/observability/deadline_http.ts")
    assert.strictEqual(stderr, "")
    assert.strictEqual(code, 0)
    const lines = stdout.trimEnd().split("\n")
    assert.strictEqual(lines.length, 5, stdout)
    assert.match(lines[0], /^server: \/fast with a budget of about (1900|2000) ms$/)
    assert.strictEqual(lines[1], `client: /fast answered "fresh prices"`)
    assert.match(lines[2], /^server: \/slow with a budget of about (200|300) ms$/)
    assert.strictEqual(lines[3], "client: /slow ended with TimeoutError: timeout: the deadline passed")
    // At the deadline, not at the server's shutdown 500 ms later.
    const hungUpAfter = Number(/^server: the client hung up after about (\d+) ms$/.exec(lines[4])?.[1])
    assert.isAtMost(hungUpAfter, 400, lines[4])
  }, 30_000)

  it("hung_service --dump: the tree of a hung program, with the deadlock marked", async () => {
    const { code, stdout, stderr } = await runExample("examples/observability/hung_service.ts", "--dump")
    assert.strictEqual(stderr, "")
    assert.strictEqual(code, 0)
    assert.match(stdout, /^failIfHung: still running after 200 ms; the task tree then:\nmain\n/)
    for (const name of ["poller", "idle-worker", "worker-a", "worker-b"]) assert.include(stdout, `${name} (fiber-`)
    assert.match(stdout, /timeout scope \(timeout-scope-\d+\) \d+ ms left/)
    assert.strictEqual(stdout.match(/<- CYCLE/g)?.length, 4)
  }, 30_000)
})
