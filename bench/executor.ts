/**
 * The executor's two targets (issue 12), measured for real:
 *
 * - speed-up: N CPU-bound jobs (4 per core, each `countPrimes` taking about
 *   100 ms) through `makeExecutor` (one thread per core, started before
 *   timing) against the same jobs run one after the other on the main
 *   thread; target at least 0.9 × cores;
 * - stop time: a job spinning in a thread is interrupted; the time from the
 *   interruption until `Fiber.interrupt` returns, which is when the thread
 *   has exited (checked: its progress counter no longer moves); target
 *   under 50 ms.
 *
 *   node_modules/.bin/node bench/executor.ts [--runs=5] [--no-write]
 *
 * Writes `bench/results/executor.json` and prints a Markdown table.
 */
import { Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { writeFileSync } from "node:fs"
import * as os from "node:os"
import { countPrimes } from "./workers/cpu.ts"
import type * as Cpu from "./workers/cpu.ts"

const args = process.argv.slice(2)
const runs = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 5)
const cores = os.availableParallelism()
const jobs = 4 * cores
const cpu = aio.workerModule<typeof Cpu>(new URL("./workers/cpu.ts", import.meta.url))

// Size a job to about 100 ms on this machine.
let below = 200_000
for (;;) {
  const t0 = performance.now()
  countPrimes(below)
  const ms = performance.now() - t0
  if (ms >= 60) {
    below = Math.round((below * 100) / ms)
    break
  }
  below *= 2
}
const expected = countPrimes(below)

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const program = Effect.scoped(Effect.gen(function*() {
  const executor = yield* aio.makeExecutor({ maxWorkers: cores })
  // Start every thread and load the module in it before timing.
  yield* aio.gather(Array.from({ length: cores }, () => executor.run(cpu, "countPrimes", 1000)))

  const mainMs: Array<number> = []
  const poolMs: Array<number> = []
  /** CPU time of the whole process (all its threads) over wall time, per phase. */
  /** How many distinct threads ran the jobs of each run. */
  const threadsUsed: Array<number> = []
  const mainCpu: Array<number> = []
  const poolCpu: Array<number> = []
  const cpuMs = () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  for (let run = 0; run < runs; run++) {
    let t0 = performance.now()
    let c0 = cpuMs()
    for (let j = 0; j < jobs; j++) {
      if (countPrimes(below) !== expected) throw new Error("wrong result on the main thread")
    }
    mainMs.push(performance.now() - t0)
    mainCpu.push((cpuMs() - c0) / mainMs[run])
    t0 = performance.now()
    c0 = cpuMs()
    const results = yield* aio.gather(
      Array.from({ length: jobs }, () => executor.run(cpu, "countPrimesOnThread", below))
    )
    poolMs.push(performance.now() - t0)
    poolCpu.push((cpuMs() - c0) / poolMs[run])
    if (results.some((r) => r.count !== expected)) throw new Error("wrong result from a thread")
    threadsUsed.push(new Set(results.map((r) => r.thread)).size)
  }

  const stopMs: Array<number> = []
  for (let run = 0; run < 10; run++) {
    const state = new Int32Array(new SharedArrayBuffer(4))
    const job = yield* Effect.forkChild(aio.toThread(cpu, "spin", state))
    while (Atomics.load(state, 0) === 0) yield* Effect.sleep(1)
    yield* Effect.sleep(20)
    const t0 = performance.now()
    yield* Fiber.interrupt(job)
    stopMs.push(performance.now() - t0)
    const after = Atomics.load(state, 0)
    yield* Effect.sleep(20)
    if (Atomics.load(state, 0) !== after) throw new Error("the interrupted job is still running")
  }
  return { mainMs, poolMs, stopMs, mainCpu, poolCpu, threadsUsed }
}))

const { mainCpu, mainMs, poolCpu, poolMs, stopMs, threadsUsed } = await Effect.runPromise(program)
const speedups = mainMs.map((m, i) => m / poolMs[i])
const speedup = median(speedups)
const summary = {
  generatedAt: new Date().toISOString(),
  command: `node bench/executor.ts${args.length > 0 ? ` ${args.join(" ")}` : ""}`,
  node: process.version,
  machine: { cpu: os.cpus()[0]?.model.trim() ?? "unknown", cores, loadAverageAtStart: os.loadavg() },
  job: { function: "countPrimes", below, jobs, mainThreadMsPerJob: median(mainMs) / jobs },
  mainMs,
  poolMs,
  /** Cores' worth of CPU the process used while the jobs ran: ~1 on the main thread, up to `cores` through the pool. */
  coresBusy: { mainThread: median(mainCpu), pool: median(poolCpu) },
  threadsUsed,
  speedup: { median: speedup, min: Math.min(...speedups), max: Math.max(...speedups), target: 0.9 * cores },
  stopMs: { median: median(stopMs), max: Math.max(...stopMs), samples: stopMs, target: 50 }
}
const f = (x: number) => x.toFixed(x < 10 ? 2 : 1)
console.log(`| measure | result | target |
|---|---|---|
| ${jobs} jobs of ~${f(summary.job.mainThreadMsPerJob)} ms: main thread, one after the other | ${
  f(median(mainMs))
} ms (median of ${runs}) | |
| the same jobs through \`makeExecutor({ maxWorkers: ${cores} })\` | ${f(median(poolMs))} ms, on ${
  Math.min(...threadsUsed)
}–${Math.max(...threadsUsed)} threads | |
| cores' worth of CPU the process used (CPU time / wall time): main thread, pool | ${f(median(mainCpu))}, ${
  f(median(poolCpu))
} | |
| speed-up on ${cores} cores | ×${f(speedup)} (runs ×${f(summary.speedup.min)}–×${f(summary.speedup.max)}) | ≥ ×${
  f(0.9 * cores)
}: ${speedup >= 0.9 * cores ? "met" : "**missed**"} |
| interrupted job's thread stopped (interrupt returns after the thread's exit) | ${
  f(summary.stopMs.median)
} ms median, ${f(summary.stopMs.max)} ms max of 10 | < 50 ms: ${summary.stopMs.max < 50 ? "met" : "**missed**"} |`)
if (!args.includes("--no-write")) {
  writeFileSync(new URL("./results/executor.json", import.meta.url), JSON.stringify(summary, null, 1) + "\n")
  console.log("wrote bench/results/executor.json")
}
