/**
 * Runs every benchmark suite and writes the results.
 *
 *   npm run bench                 N = 1,000, 10,000, 100,000 (5 runs; 3 at 100,000); memory at 100,000, 3 runs (about 10 minutes)
 *   npm run bench -- --quick      N = 1,000 and 10,000; memory at 10,000; 3 runs, 1 for memory (about 1 minute);
 *                                 prints its tables and writes bench/results/quick.json and quick.svg
 *                                 (the full results and the README tables only with `--write`)
 *
 * Options: `--runs=5`, `--large-runs=3` (runs at N ≥ 100,000), `--sizes=1000,10000`, `--memory-n=100000`,
 * `--memory-runs=5`, `--only=gather,timeout` (workload ids), `--no-python`,
 * `--no-write` (print, write nothing), `--rerender` (measure nothing: keep
 * the measurements in `bench/results/latest.json`, recompute the targets and
 * redraw the tables, chart and README sections).
 *
 * Every measurement runs in a fresh child process (`bench/child.ts`, with
 * `--expose-gc`): one per workload, size and run, and one per memory
 * variant and run. Within a process the variants are validated, warmed up and
 * then sampled in rounds, in an order shuffled every round. CPython
 * (`bench/python/asyncio_bench.py`) runs right after the Node process of the
 * same workload, size and run. Output: `bench/results/latest.json`,
 * `bench/results/chart.svg`, the tables in `bench/README.md` and in the
 * README's benchmarks section.
 */
import { spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import * as os from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { renderChart } from "./chart.ts"
import type { Sample } from "./harness.ts"
import {
  cancellationTable,
  environmentLine,
  judgeTargets,
  memoryTable,
  noiseLine,
  noiseOf,
  type Row,
  summarize,
  type Summary,
  targetsList,
  timedTable
} from "./report.ts"
import { workloads } from "./suites.ts"

const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100)
const benchDir = dirname(fileURLToPath(import.meta.url))
const rootDir = join(benchDir, "..")

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

const args = process.argv.slice(2)
const flag = (name: string): boolean => args.includes(`--${name}`)
const option = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const numbers = (text: string | undefined): Array<number> | undefined =>
  text === undefined ? undefined : text.split(",").map((s) => Number(s.replace(/_/g, "")))

const quick = flag("quick")
const runs = Number(option("runs") ?? (quick ? 3 : 5))
// At N = 100,000 one sample takes up to seconds per variant (and CPython's
// as long): fewer runs there keep the whole benchmark near 10 minutes.
const largeRuns = Number(option("large-runs") ?? Math.min(runs, 3))
const runsFor = (n: number): number => (n >= 100_000 ? largeRuns : runs)
const sizes = numbers(option("sizes")) ?? (quick ? [1_000, 10_000] : [1_000, 10_000, 100_000])
const memoryN = Number(option("memory-n") ?? (quick ? 10_000 : 100_000))
// The heap per pending task varies by well under 1% between runs (a fresh
// process each), and CPython's tracemalloc is slow at N = 100,000: 3 runs.
const memoryRuns = Number(option("memory-runs") ?? (quick ? 1 : Math.min(runs, 3)))
const only = option("only")?.split(",")
// The quick mode writes its own JSON and chart beside the full results, and
// replaces those (and the README tables) only when asked with `--write`.
const write = flag("write") || (!quick && !flag("no-write"))
const writeQuick = quick && !write && !flag("no-write")
const budget = quick
  ? { warmupMs: 20, measureMs: 50, maxSamples: 10 }
  : { warmupMs: 60, measureMs: 200, maxSamples: 20 }
// Quick mode measures every size in one process per workload and run; the
// full mode starts a process per size.
const batches: Array<Array<number>> = quick ? [sizes] : sizes.map((n) => [n])

const selected = workloads.filter((w) => only === undefined || only.includes(w.id))

// ---------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------

const python = (() => {
  if (flag("no-python")) return null
  const probe = spawnSync("python3", ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
    encoding: "utf8"
  })
  if (probe.status !== 0) {
    console.log("python3 not found: the CPython asyncio variants are skipped.")
    return null
  }
  const version = probe.stdout.trim()
  const [major, minor] = version.split(".").map(Number)
  if (major < 3 || (major === 3 && minor < 11)) {
    console.log(
      `python3 ${version} is older than 3.11 (no TaskGroup, asyncio.timeout): the CPython variants are skipped.`
    )
    return null
  }
  return version
})()

const budgetArgs = [
  `--warmup-ms=${budget.warmupMs}`,
  `--measure-ms=${budget.measureMs}`,
  `--max-samples=${budget.maxSamples}`
]

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`

const runChild = (label: string, command: string, commandArgs: ReadonlyArray<string>): Array<Sample> => {
  const t0 = Date.now()
  const spawn = () => spawnSync(command, commandArgs, { cwd: rootDir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  let result = spawn()
  if (result.status !== 0) {
    // Once more, after a pause: a source file caught in the middle of an
    // edit should not throw away ten minutes of measurements. A real
    // failure (a variant that fails validation) fails again.
    console.log(`[${elapsed()}] ${label} failed (exit ${result.status}); retrying once`)
    spawnSync("sleep", ["3"])
    result = spawn()
  }
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "")
    process.stderr.write(result.stderr ?? "")
    throw new Error(`${label} failed (exit ${result.status}): ${command} ${commandArgs.join(" ")}`)
  }
  const samples = result.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Sample)
  console.log(`[${elapsed()}] ${label} (${((Date.now() - t0) / 1000).toFixed(1)}s)`)
  return samples
}

const node = (workload: string, n: ReadonlyArray<number>, run: number, extra: ReadonlyArray<string> = []) =>
  runChild(
    `node   ${workload} N=${n.join(",")} run ${run + 1}${extra.length ? ` ${extra.join(" ")}` : ""}`,
    process.execPath,
    [
      "--expose-gc",
      join(benchDir, "child.ts"),
      workload,
      n.join(","),
      String(run),
      ...budgetArgs,
      ...extra
    ]
  )

const py = (workload: string, n: ReadonlyArray<number>, run: number, extra: ReadonlyArray<string> = []) =>
  python === null
    ? []
    : runChild(
      `python ${workload} N=${n.join(",")} run ${run + 1}${extra.length ? ` ${extra.join(" ")}` : ""}`,
      "python3",
      [
        join(benchDir, "python", "asyncio_bench.py"),
        workload,
        n.join(","),
        String(run),
        ...budgetArgs,
        ...extra
      ]
    )

const pythonMemoryVariants = (workload: string): Array<string> => {
  if (python === null) return []
  const out = spawnSync("python3", [join(benchDir, "python", "asyncio_bench.py"), "--list-variants", workload], {
    encoding: "utf8"
  })
  return out.status === 0 ? (JSON.parse(out.stdout) as Array<string>) : []
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------

const measure = (): Summary => {
  const samples: Array<Sample> = []
  console.log(
    `effect-asyncio benchmarks: sizes ${
      sizes.join(", ")
    }, ${runs} runs (${largeRuns} at N >= 100,000); memory at N = ${memoryN}, ${memoryRuns} runs${
      python === null ? "" : `; CPython ${python}`
    }`
  )
  for (let run = 0; run < Math.max(runs, largeRuns); run++) {
    for (const batch of batches) {
      if (run >= runsFor(batch[0])) continue
      for (const w of selected) {
        if (w.kind === "memory") continue
        const ns = batch.filter((n) => w.maxN === undefined || n <= w.maxN)
        if (ns.length === 0) continue
        samples.push(...node(w.id, ns, run))
        samples.push(...py(w.id, ns, run))
      }
    }
  }
  for (let run = 0; run < memoryRuns; run++) {
    for (const w of selected) {
      if (w.kind !== "memory") continue
      for (const v of w.variants(1)) samples.push(...node(w.id, [memoryN], run, [`--variant=${v.name}`]))
      // tracemalloc is exact and slow (up to 9 s a variant at N = 100,000): one run.
      if (run > 0) continue
      for (const v of pythonMemoryVariants(w.id)) samples.push(...py(w.id, [memoryN], run, [`--variant=${v}`]))
    }
  }

  const rows: Array<Row> = summarize(samples)
  const timedN = sizes.includes(10_000) ? 10_000 : sizes[sizes.length - 1]
  const effectVersion = (JSON.parse(readFileSync(join(rootDir, "node_modules/effect/package.json"), "utf8")) as {
    version: string
  }).version
  return {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`,
    node: process.version,
    python,
    effect: effectVersion,
    machine: {
      cpu: os.cpus()[0]?.model.trim() ?? "unknown",
      cores: os.cpus().length,
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart: loadAtStart
    },
    method: {
      runs,
      largeRuns,
      sizes,
      memorySize: memoryN,
      memoryRuns,
      ...budget,
      note:
        "Each run is a fresh process per workload and size (per variant for memory). In a process every variant is validated once, warmed up, then sampled in rounds (one sample of each variant per round, order shuffled by a seeded PRNG), with gc before each sample; a run's value is the median of its samples. Ratios to raw Effect and to promises pair the samples of the same round: median of all pairs over all runs, range of the per-run medians; ratios to CPython divide medians (separate processes)."
    },
    workloads: selected.map((w) => ({
      id: w.id,
      suite: w.suite,
      kind: w.kind,
      title: w.title,
      description: w.description
    })),
    rows,
    targets: judgeTargets(rows, selected, timedN, memoryN),
    noise: noiseOf(rows, timedN),
    durationSeconds: Math.round((Date.now() - started) / 1000)
  }
}

const resultsDir = join(benchDir, "results")
// `--rerender` keeps the measurements and recomputes what derives from them.
const rerender = (saved: Summary): Summary => {
  const shownWorkloads = workloads.filter((w) => saved.workloads.some((s) => s.id === w.id))
  const sizesSaved = saved.method.sizes
  const n = sizesSaved.includes(10_000) ? 10_000 : sizesSaved[sizesSaved.length - 1]
  return {
    ...saved,
    targets: judgeTargets(saved.rows, shownWorkloads, n, saved.method.memorySize),
    noise: noiseOf(saved.rows, n)
  }
}
const summary: Summary = flag("rerender")
  ? rerender(JSON.parse(readFileSync(join(resultsDir, "latest.json"), "utf8")) as Summary)
  : measure()
const rows = summary.rows
const shown = workloads.filter((w) => summary.workloads.some((s) => s.id === w.id))
const shownSizes = summary.method.sizes
const memorySize = summary.method.memorySize
const timedN = shownSizes.includes(10_000) ? 10_000 : shownSizes[shownSizes.length - 1]
const targets = summary.targets

const subtitle = `${
  shownSizes.map((n) => n.toLocaleString("en-US")).join(" / ")
} tasks; median of ${summary.method.runs} runs${
  shownSizes.some((n) => n >= 100_000) && summary.method.largeRuns !== summary.method.runs
    ? ` (${summary.method.largeRuns} at 100,000)`
    : ""
}; Node ${summary.node}${
  summary.python === null ? "" : `, CPython ${summary.python}`
}; ${summary.machine.cpu} × ${summary.machine.cores}`

const tables = () => {
  const parts: Array<string> = []
  for (const n of shownSizes) {
    parts.push(`#### Time, N = ${n.toLocaleString("en-US")}\n\n${timedTable(rows, shown, n)}`)
  }
  for (const n of shownSizes) {
    if (rows.some((r) => r.workload === "cancellation" && r.n === n)) {
      parts.push(`#### Cancellation, N = ${n.toLocaleString("en-US")}\n\n${cancellationTable(rows, n)}`)
    }
  }
  parts.push(
    `#### Memory per pending task, N = ${memorySize.toLocaleString("en-US")}\n\n${memoryTable(rows, shown, memorySize)}`
  )
  return parts.join("\n\n")
}

const replaceBetween = (text: string, begin: RegExp, end: string, body: string): string => {
  const match = begin.exec(text)
  const stop = text.indexOf(end)
  if (match === null || stop < 0 || stop < match.index) throw new Error(`markers ${begin} … ${end} not found`)
  const head = text.slice(0, match.index + match[0].length)
  return `${head}\n${body}\n${text.slice(stop)}`
}

const readmeSection = (): string => {
  const cancelN = shownSizes.includes(10_000) ? 10_000 : shownSizes[0]
  return [
    "## Benchmarks",
    "",
    `N tasks that each yield once and return their index, run through each primitive; effect-asyncio against the nearest raw Effect code, promises and CPython asyncio. Median µs per task at N = ${
      timedN.toLocaleString("en-US")
    } and the ratio of ours to the others (below 1 means ours is faster). ${
      environmentLine(summary)
    } Workloads, method and the tables at every N: [bench/README.md](bench/README.md).`,
    "",
    "```sh",
    "npm run bench            # about 10 minutes",
    "npm run bench -- --quick # N = 1,000 and 10,000, about 1 minute",
    "```",
    "",
    timedTable(
      rows,
      shown,
      timedN,
      (row) => row.role !== null || row.kind === "effect-asyncio" || row.kind === "python"
    ),
    "",
    `Cancelling N = ${
      cancelN.toLocaleString("en-US")
    } sleeping tasks (promises cannot cancel: the variant without a signal leaves every timer and task behind):`,
    "",
    cancellationTable(rows, cancelN),
    "",
    `Memory per pending task, N = ${memorySize.toLocaleString("en-US")}:`,
    "",
    memoryTable(rows, shown, memorySize),
    "",
    "![Time per task for each workload and variant, log scale](bench/results/chart.svg)",
    "",
    "Targets:",
    "",
    targetsList(targets),
    "",
    noiseLine(summary.noise ?? null, timedN)
  ].join("\n")
}

console.log("")
console.log(tables())
console.log("")
console.log(targetsList(targets))
console.log(noiseLine(summary.noise ?? null, timedN))
console.log(`\ndone in ${elapsed()}`)

if (writeQuick) {
  writeFileSync(join(resultsDir, "quick.json"), JSON.stringify(summary, null, 1) + "\n")
  writeFileSync(join(resultsDir, "quick.svg"), renderChart(rows, shown, shownSizes, subtitle))
  console.log("wrote bench/results/quick.json, bench/results/quick.svg")
}

if (write) {
  writeFileSync(join(resultsDir, "latest.json"), JSON.stringify(summary, null, 1) + "\n")
  writeFileSync(join(resultsDir, "chart.svg"), renderChart(rows, shown, shownSizes, subtitle))
  const benchReadme = join(benchDir, "README.md")
  writeFileSync(
    benchReadme,
    replaceBetween(
      readFileSync(benchReadme, "utf8"),
      /<!-- results:begin[^>]*-->/,
      "<!-- results:end -->",
      [
        `Generated by \`${summary.command}\` in ${summary.durationSeconds} s. ${environmentLine(summary)}`,
        "",
        "![Time per task for each workload and variant, log scale](results/chart.svg)",
        "",
        tables(),
        "",
        "#### Targets (issue 4)",
        "",
        targetsList(targets),
        "",
        noiseLine(summary.noise ?? null, timedN)
      ].join("\n")
    )
  )
  const readme = join(rootDir, "README.md")
  writeFileSync(
    readme,
    replaceBetween(
      readFileSync(readme, "utf8"),
      /<!-- benchmarks:begin[^>]*-->/,
      "<!-- benchmarks:end -->",
      readmeSection()
    )
  )
  console.log(
    "wrote bench/results/latest.json, bench/results/chart.svg, bench/README.md, README.md (benchmarks section)"
  )
}
