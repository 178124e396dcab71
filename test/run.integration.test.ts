import { assert, describe, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as path from "node:path"

const node = process.execPath
const program = path.join(import.meta.dirname, "fixtures", "run-program.ts")

interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the fixture program; `onReady` may act once stdout contains "ready". */
const runProgram = (scenario: string, onReady?: (child: ReturnType<typeof spawn>) => void) =>
  new Promise<Outcome>((resolve, reject) => {
    const child = spawn(node, [program, scenario], { stdio: "pipe" })
    let stdout = ""
    let stderr = ""
    let readied = false
    child.stdout.on("data", (chunk) => {
      stdout += chunk
      if (!readied && onReady && stdout.includes("ready")) {
        readied = true
        onReady(child)
      }
    })
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const lines = (text: string) => text.split("\n").filter((line) => line.length > 0)

describe("run", () => {
  it("runs a program to completion with exit code 0", async () => {
    const outcome = await runProgram("success")
    assert.deepStrictEqual(lines(outcome.stdout), ["sum 3"])
    assert.strictEqual(outcome.code, 0)
  })

  it("reports a failure and exits with a non-zero code", async () => {
    const outcome = await runProgram("failure")
    assert.deepStrictEqual(lines(outcome.stdout).slice(0, 1), ["about to fail"])
    assert.notStrictEqual(outcome.code, 0)
    assert.include(outcome.stdout + outcome.stderr, "boom")
  })

  it("interrupts unfinished tasks, shielded work included, before the process exits", async () => {
    const outcome = await runProgram("leftovers")
    const out = lines(outcome.stdout)
    assert.strictEqual(out[0], "main done")
    assert.sameMembers(out.slice(1), ["task cleaned up", "shielded cleaned up"])
    assert.strictEqual(outcome.code, 0)
  })

  it("SIGINT interrupts the program cleanly, running every finalizer, with exit code 130", async () => {
    const outcome = await runProgram("signal", (child) => child.kill("SIGINT"))
    assert.sameMembers(lines(outcome.stdout), ["ready", "main cleaned up", "task cleaned up"])
    assert.strictEqual(outcome.code, 130)
  })

  it("SIGTERM interrupts the program cleanly too", async () => {
    const outcome = await runProgram("signal", (child) => child.kill("SIGTERM"))
    assert.sameMembers(lines(outcome.stdout), ["ready", "main cleaned up", "task cleaned up"])
    assert.notStrictEqual(outcome.code, 0)
  })

  it("SIGINT and SIGTERM are the cancellation reason the program and its tasks see", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const outcome = await runProgram("reasons", (child) => child.kill(signal))
      assert.sameMembers(lines(outcome.stdout), [
        "ready",
        `main stopped: Signal ${signal}`,
        `task stopped: Signal ${signal}`
      ])
    }
  })

  it("SIGUSR2 prints the task tree to stderr, and the program goes on", async () => {
    const outcome = await runProgram("tree", (child) => child.kill("SIGUSR2"))
    assert.deepStrictEqual(lines(outcome.stdout), ["ready", "finished"])
    assert.strictEqual(outcome.code, 0)
    const tree = lines(outcome.stderr)
    assert.match(tree[0], /^main\b/)
    assert.isTrue(tree.some((line) => /[├└]─ worker \(fiber-\d+\)/.test(line)), outcome.stderr)
  })
})
