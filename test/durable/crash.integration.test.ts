/**
 * Crash and resume: the durable demo on the SQLite engine, killed with
 * SIGKILL at points drawn from fixed seeds, then run again on the same file
 * until it finishes. No activity that printed `done` may start again, in
 * that process or a later one, and the result must be the one an
 * uninterrupted run prints.
 *
 * A kill point is "after the k-th line this run prints, plus d ms" (k = 0 is
 * before any line, during start-up; k is drawn among the lines the run has
 * left to print), so the points spread over the whole workflow whatever the
 * machine's speed. The points tried are printed.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { random, sleep, start } from "./fixtures/processes.ts"

const expected = {
  order: "order-1",
  charged: "charged order-1",
  reserved: "reserved order-1",
  courier: "courier for order-1",
  fraudCheck: "timed out: manual review",
  notified: ["sms", "crm", "email"]
}

/** Lines the demo prints before its result, uninterrupted. */
const linesBeforeResult = 13
const seeds = [11, 23, 37, 41]
const killsPerSeed = 3

const demo = (file: string) => start("examples/durable/demo.ts", ["--db", file])

const parse = (line: string) => {
  const activity = /^activity ([\w-]+) (started|done)$/.exec(line)
  if (activity) return { kind: activity[2] as "started" | "done", name: activity[1] }
  const result = /^workflow ([0-9a-f]+) result: (.*)$/.exec(line)
  if (result) return { kind: "result" as const, id: result[1], value: JSON.parse(result[2]) as unknown }
  throw new Error(`unexpected line from the demo: ${line}`)
}

describe("durable crash and resume (SQLite, SIGKILL)", () => {
  it("an uninterrupted run prints every activity and the result, and exits 0", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "durable-crash-"))
    try {
      const child = demo(path.join(dir, "orders.db"))
      assert.strictEqual(await child.exited, 0, child.stderr())
      const parsed = child.lines.map(parse)
      assert.strictEqual(parsed.length, linesBeforeResult + 1)
      assert.deepStrictEqual(parsed.at(-1)!.kind === "result" && parsed.at(-1)!.value, expected)
      for (const name of ["charge-card", "reserve-stock", "book-courier", "notify-email", "notify-sms", "update-crm"]) {
        assert.deepStrictEqual(parsed.filter((line) => "name" in line && line.name === name).map((line) => line.kind), [
          "started",
          "done"
        ])
      }
      // The slow check lost to its timeout: it started and never finished.
      assert.deepStrictEqual(
        parsed.filter((line) => "name" in line && line.name === "fraud-check").map((line) => line.kind),
        [
          "started"
        ]
      )
      // Run again on the same file: the recorded result, and no activity.
      const again = demo(path.join(dir, "orders.db"))
      assert.strictEqual(await again.exited, 0, again.stderr())
      assert.deepStrictEqual(again.lines.map(parse).map((line) => line.kind), ["result"])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  for (const seed of seeds) {
    it(`seed ${seed}: killed ${killsPerSeed} times, it resumes without running a finished activity again`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "durable-crash-"))
      const file = path.join(dir, "orders.db")
      const draw = random(seed)
      const done = new Set<string>()
      const tried: Array<string> = []
      // Checks each line of a run against everything printed before it.
      const check = (lines: ReadonlyArray<string>) => {
        for (const line of lines) {
          const parsed = parse(line)
          if (parsed.kind === "started") {
            assert.isFalse(done.has(parsed.name), `seed ${seed}: ${parsed.name} started again after it printed done`)
          } else if (parsed.kind === "done") {
            done.add(parsed.name)
          } else {
            assert.deepStrictEqual(parsed.value, expected)
          }
        }
      }
      try {
        for (let kill = 0; kill < killsPerSeed; kill++) {
          // A resumed run prints only what is left: about two lines per
          // activity not done yet, so the kill lands within that.
          const left = Math.max(1, linesBeforeResult - 2 * done.size)
          const afterLine = Math.floor(draw() * (left + 1))
          const extraMillis = Math.floor(draw() * 400)
          const child = demo(file)
          while (child.lines.length < afterLine && child.process.exitCode === null) await sleep(5)
          await sleep(extraMillis)
          child.process.kill("SIGKILL")
          const ended = await child.exited
          tried.push(`after line ${afterLine} + ${extraMillis} ms (${child.lines.length} lines, ${ended})`)
          check(child.lines)
        }
        const last = demo(file)
        assert.strictEqual(await last.exited, 0, last.stderr())
        check(last.lines)
        assert.strictEqual(parse(last.lines.at(-1)!).kind, "result")
        console.log(`seed ${seed}: kill points ${tried.join("; ")}`)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }, 180_000)
  }

  it("a run suspended on a durable timer, killed, is woken by the timer in the next process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "durable-crash-"))
    const file = path.join(dir, "nap.db")
    try {
      const first = start("test/durable/fixtures/napper.ts", ["--db", file])
      await first.waitFor(/^activity before done$/)
      // The run is now suspended on its 2-second sleep.
      await sleep(300)
      first.process.kill("SIGKILL")
      assert.strictEqual(await first.exited, "SIGKILL")
      assert.notInclude(first.lines, "activity after started")

      const second = start("test/durable/fixtures/napper.ts", ["--db", file])
      assert.strictEqual(await second.exited, 0, second.stderr())
      assert.notInclude(second.lines, "activity before started")
      assert.deepStrictEqual(second.lines.filter((line) => line.startsWith("activity")), [
        "activity after started",
        "activity after done"
      ])
      assert.strictEqual(second.lines.at(-1), `result: "before, after, timed out"`)
      // Each durable timer suspended the run and woke it again.
      assert.isAtLeast(second.lines.filter((line) => line === "run").length, 2)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
