/**
 * Distributed: two runner processes on a throwaway Postgres server share the
 * `Job` workflows of a client process; one runner is killed with SIGKILL
 * while it runs some of them, and the other finishes them.
 *
 * Where the Postgres server binaries are absent, the test says so and is
 * skipped; the line is also written to tmp/durable-distributed.txt, which
 * .ci/run prints.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { findBinaries, freePort, type Postgres, serverUser, startPostgres } from "./fixtures/postgres.ts"
import { type Child, root, sleep, start } from "./fixtures/processes.ts"

const binaries = findBinaries()
const user = serverUser()
const missing = "missing" in binaries ? binaries.missing : "missing" in user ? user.missing : undefined
const status = path.join(root, "tmp", "durable-distributed.txt")
const report = (line: string) => {
  console.log(line)
  fs.mkdirSync(path.dirname(status), { recursive: true })
  fs.writeFileSync(status, `${line}\n`)
}
if (missing !== undefined) report(`durable distributed test skipped: ${missing}`)

const jobs = 12

describe.runIf(missing === undefined)("durable distributed (Postgres, two runners)", () => {
  let postgres: Postgres | undefined
  const children: Array<Child> = []
  const cluster = (args: ReadonlyArray<string>) => {
    const child = start("test/durable/fixtures/cluster.ts", ["--url", postgres!.url, ...args])
    children.push(child)
    return child
  }

  beforeAll(async () => {
    postgres = await startPostgres((binaries as { dir: string }).dir, (user as { user: string | undefined }).user)
  }, 60_000)

  afterAll(async () => {
    for (const child of children) child.process.kill("SIGKILL")
    await Promise.all(children.map((child) => child.exited))
    postgres?.stop()
  }, 60_000)

  it("spreads the workflows over both runners, and when one is killed the other finishes its workflows", async () => {
    const a = cluster(["--runner", "A", "--port", String(await freePort())])
    await a.waitFor(/^ready$/)
    const b = cluster(["--runner", "B", "--port", String(await freePort())])
    await b.waitFor(/^ready$/)
    // Let the runners share out the shards before the work comes.
    await sleep(3000)

    const client = cluster(["--client", "--jobs", String(jobs)])
    const started = (runner: Child) => runner.lines.filter((line) => / started on [AB]$/.test(line))
    const deadline = Date.now() + 60_000
    while ((started(a).length === 0 || started(b).length === 0) && Date.now() < deadline) await sleep(20)
    assert.isNotEmpty(started(a), "runner A ran no workflow")
    assert.isNotEmpty(started(b), "runner B ran no workflow")

    // A is in the middle of its workflows (each takes over a second): kill it.
    const onA = new Set(started(a).map((line) => Number(/^job (\d+)/.exec(line)![1])))
    a.process.kill("SIGKILL")
    assert.strictEqual(await a.exited, "SIGKILL")
    const unfinishedOnA = [...onA].filter((job) => !a.lines.includes(`job ${job} c started on A`))
    assert.isNotEmpty(unfinishedOnA, "runner A had finished its workflows before it was killed")

    assert.strictEqual(await client.exited, 0, client.stderr())
    const results = client.lines.filter((line) => line.includes(" result: ")).sort()
    assert.deepStrictEqual(
      results,
      Array.from({ length: jobs }, (_, job) => `job ${job} result: "job ${job}: abc"`).sort()
    )
    // B finished what A left.
    for (const job of unfinishedOnA) assert.include(b.lines, `job ${job} c started on B`)
    report(
      `durable distributed test ran: ${jobs} workflows on runners A and B (A ran ${onA.size} before it was killed, ` +
        `B finished ${unfinishedOnA.length} of them)`
    )
  }, 180_000)
})
