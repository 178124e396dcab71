/**
 * One measurement process, started by `run.ts` (a fresh Node process per
 * workload, size and run):
 *
 *   node --expose-gc bench/child.ts <workload> <n>[,<n>...] <run> [options]
 *
 * Several sizes are measured one after the other in the same process (the
 * quick mode does this to save process start-ups).
 * Options: `--variant=<name>` (memory workloads: the one variant this
 * process measures), `--warmup-ms=`, `--measure-ms=`, `--max-samples=`.
 * Prints one JSON `Sample` per line on stdout.
 */
import { type Budget, measureCancel, measureMemory, measureTimed, type Sample } from "./harness.ts"
import { workloadById } from "./suites.ts"

const [id, nText, runText, ...rest] = process.argv.slice(2)
const option = (name: string): string | undefined =>
  rest.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const numberOption = (name: string, fallback: number): number => {
  const text = option(name)
  return text === undefined ? fallback : Number(text)
}

const sizes = (nText ?? "").split(",").map(Number)
const run = Number(runText ?? 0)
if (id === undefined || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(
    "usage: child.ts <workload> <n>[,<n>...] <run> [--variant=name] [--warmup-ms=] [--measure-ms=] [--max-samples=]"
  )
  process.exit(2)
}
const budget: Budget = {
  warmupMs: numberOption("warmup-ms", 150),
  measureMs: numberOption("measure-ms", 400),
  maxSamples: numberOption("max-samples", 30)
}

const workload = workloadById(id)
for (const n of sizes) {
  let samples: Array<Sample>
  if (workload.kind === "timed") samples = await measureTimed(workload, n, run, budget)
  else if (workload.kind === "cancel") samples = await measureCancel(workload, n, run, budget)
  else {
    const name = option("variant")
    const variant = workload.variants(n).find((v) => v.name === name)
    if (variant === undefined) throw new Error(`${workload.id}: unknown variant ${JSON.stringify(name)}`)
    samples = [await measureMemory(workload, variant, n, run)]
  }
  for (const sample of samples) console.log(JSON.stringify(sample))
}
