/**
 * The benchmark suites still work: every variant of every workload runs once
 * at a tiny size and its result is validated, as `bench/run.ts` does before
 * timing. Nothing here is timed; the benchmarks themselves never run under
 * `npm test`.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { measureTimed, type Sample } from "../bench/harness.ts"
import { summarize } from "../bench/report.ts"
import { workloads } from "../bench/suites.ts"

const N = 50

describe("bench", () => {
  for (const workload of workloads) {
    describe(workload.id, () => {
      if (workload.kind === "timed") {
        for (const variant of workload.variants(N)) {
          it(`${variant.name} gives the expected result`, async () => {
            await variant.check(await variant.run())
          })
        }
      } else if (workload.kind === "cancel") {
        for (const variant of workload.variants(N)) {
          it(`${variant.name} reports what it stopped and what it left behind`, async () => {
            const outcome = await variant.run()
            if (variant.canCancel) {
              assert.deepStrictEqual([outcome.finalizers, outcome.stillScheduled, outcome.stillRunning], [N, 0, 0])
            } else {
              assert.deepStrictEqual([outcome.finalizers, outcome.stillScheduled, outcome.stillRunning], [0, N, N])
            }
          })
        }
      } else {
        for (const variant of workload.variants(N)) {
          it(`${variant.name} leaves N tasks pending, then completes them`, async () => {
            const pending = await variant.start()
            variant.check(await pending.release())
          })
        }
      }
    })
  }

  it("the measurement loop validates and samples every variant", async () => {
    const workload = workloads.find((w) => w.id === "gather")
    assert.isTrue(workload?.kind === "timed")
    if (workload?.kind !== "timed") return
    const samples = await measureTimed(workload, N, 1, { warmupMs: 0, measureMs: 0, maxSamples: 1 })
    assert.deepStrictEqual(samples.map((s) => s.variant), workload.variants(N).map((v) => v.name))
    for (const sample of samples) assert.strictEqual(sample.samplesMs?.length, 1)
  })

  it("ratios are computed run by run against the raw Effect and promise variants", () => {
    const sample = (
      variant: string,
      kind: Sample["kind"],
      role: Sample["role"],
      run: number,
      usPerTask: number
    ): Sample => ({
      workload: "w",
      variant,
      kind,
      role,
      n: 10,
      run,
      usPerTask
    })
    const rows = summarize([
      sample("ours", "effect-asyncio", "ours", 0, 2),
      sample("raw", "effect", "raw", 0, 1),
      sample("promise", "promise", "promise", 0, 4),
      sample("ours", "effect-asyncio", "ours", 1, 3),
      sample("raw", "effect", "raw", 1, 3),
      sample("promise", "promise", "promise", 1, 1),
      sample("py", "python", null, 0, 5),
      sample("py", "python", null, 1, 5)
    ])
    const ours = rows.find((r) => r.variant === "ours")
    assert.deepStrictEqual(ours?.vsRaw, { median: 1.5, min: 1, max: 2 })
    assert.deepStrictEqual(ours?.vsPromise, { median: 1.75, min: 0.5, max: 3 })
    assert.strictEqual(ours?.vsPython, 0.5)
    assert.isUndefined(rows.find((r) => r.variant === "raw")?.vsRaw)
  })

  const python = spawnSync("python3", ["-c", "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"])
  it.skipIf(python.status !== 0)("the CPython asyncio workloads run and validate (python3 3.11+)", () => {
    const out = spawnSync("python3", ["bench/python/asyncio_bench.py", "--self-test", String(N)], { encoding: "utf8" })
    assert.strictEqual(out.status, 0, out.stderr)
    assert.isAbove((JSON.parse(out.stdout) as { checked: number }).checked, 10)
  })
})
