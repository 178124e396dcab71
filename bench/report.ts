/**
 * Turns the samples of all runs into the summary saved in
 * `bench/results/latest.json`: per workload, size and variant the median,
 * min and max over runs, the ratios against raw Effect and promises
 * (computed run by run, within one process), the ratio against CPython
 * (medians: CPython runs in its own process), and the targets of issue 4.
 * Also renders the Markdown tables for `bench/README.md` and the README.
 */
import type { Kind, Role, Sample, Workload } from "./harness.ts"
import { median } from "./harness.ts"

export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

export interface Row {
  readonly workload: string
  readonly n: number
  readonly variant: string
  readonly kind: Kind
  readonly role: Role | null
  /** Timed and cancel workloads. */
  readonly usPerTask?: Spread
  /** Memory workloads. */
  readonly bytesPerTask?: Spread
  /**
   * This variant over the workload's raw Effect variant (effect-asyncio
   * variants and the A/A control): median of the round-by-round ratios of
   * all runs; min and max of the per-run medians.
   */
  readonly vsRaw?: Spread
  /** This variant over the workload's promise variant, computed as `vsRaw`. */
  readonly vsPromise?: Spread
  /** This variant over the fiber floor (N bare fibers each yielding once), computed as `vsRaw`. */
  readonly vsFloor?: Spread
  /** This variant over the asyncio-shaped raw Effect code, where the workload has one, computed as `vsRaw`. */
  readonly vsRawShaped?: Spread
  /** Median of this variant over the median of the first CPython variant. */
  readonly vsPython?: number
  readonly finalizers?: number
  readonly stillScheduled?: number
  readonly stillRunning?: number
  readonly canCancel?: boolean
  /** Per run: the run's value (µs per task or bytes per task) and its samples in ms. */
  readonly runs: ReadonlyArray<
    { readonly run: number; readonly value: number; readonly samplesMs?: ReadonlyArray<number> }
  >
}

export interface Target {
  readonly target: string
  readonly met: boolean
  readonly detail: string
}

export interface Summary {
  readonly generatedAt: string
  readonly command: string
  readonly node: string
  readonly python: string | null
  readonly effect: string
  readonly machine: {
    readonly cpu: string
    readonly cores: number
    readonly memoryGB: number
    readonly platform: string
    readonly loadAverageAtStart: ReadonlyArray<number>
  }
  readonly method: {
    readonly runs: number
    /** Runs at N ≥ 100,000. */
    readonly largeRuns: number
    readonly sizes: ReadonlyArray<number>
    readonly memorySize: number
    readonly memoryRuns: number
    readonly warmupMs: number
    readonly measureMs: number
    readonly maxSamples: number
    readonly note: string
  }
  readonly workloads: ReadonlyArray<{
    readonly id: string
    readonly suite: string
    readonly kind: Workload["kind"]
    readonly title: string
    readonly description: string
  }>
  readonly rows: ReadonlyArray<Row>
  readonly targets: ReadonlyArray<Target>
  /** The A/A control's ratio at the size the targets are judged at: the noise of a ratio. */
  readonly noise: Spread | null
  readonly durationSeconds: number
}

const round = (x: number, digits = 4): number => Number(x.toPrecision(digits))

const spread = (values: ReadonlyArray<number>): Spread => ({
  median: round(median(values)),
  min: round(Math.min(...values)),
  max: round(Math.max(...values))
})

const valueOf = (sample: Sample): number => sample.bytesPerTask ?? sample.usPerTask ?? Number.NaN

/** Groups samples into rows and computes the ratios. */
export const summarize = (samples: ReadonlyArray<Sample>): Array<Row> => {
  const groups = new Map<string, Array<Sample>>()
  for (const sample of samples) {
    const key = `${sample.workload}\u0000${sample.n}\u0000${sample.variant}`
    const list = groups.get(key)
    if (list === undefined) groups.set(key, [sample])
    else list.push(sample)
  }
  const samplesByRun = (workload: string, n: number, role: Role) => {
    const map = new Map<number, Sample>()
    for (const s of samples) if (s.workload === workload && s.n === n && s.role === role) map.set(s.run, s)
    return map
  }
  const rows: Array<Row> = []
  for (const list of groups.values()) {
    const first = list[0]
    const values = list.map(valueOf)
    // Timed samples are taken round-robin, one per variant per round, so
    // ours and the reference pair up round by round: the ratio is the median
    // of all the pairs of all runs (drift between rounds cancels out), and
    // min/max are those of the per-run medians. Memory: one value per run.
    const ratioTo = (role: Role): Spread | undefined => {
      if (first.kind !== "effect-asyncio" && first.role !== "control") return undefined
      const references = samplesByRun(first.workload, first.n, role)
      const pooled: Array<number> = []
      const perRun: Array<number> = []
      for (const s of list) {
        const base = references.get(s.run)
        if (base === undefined) continue
        const a = s.samplesMs
        const b = base.samplesMs
        if (a !== undefined && b !== undefined && a.length === b.length && a.length > 0) {
          const pairs = a.map((x, k) => x / b[k])
          pooled.push(...pairs)
          perRun.push(median(pairs))
        } else {
          pooled.push(valueOf(s) / valueOf(base))
          perRun.push(valueOf(s) / valueOf(base))
        }
      }
      if (pooled.length === 0) return undefined
      return { median: round(median(pooled)), min: round(Math.min(...perRun)), max: round(Math.max(...perRun)) }
    }
    const python = samples.filter((s) => s.workload === first.workload && s.n === first.n && s.kind === "python")
    const pythonVariant = python[0]?.variant
    const pythonValues = python.filter((s) => s.variant === pythonVariant).map(valueOf)
    const isMemory = first.bytesPerTask !== undefined
    const row: Row = {
      workload: first.workload,
      n: first.n,
      variant: first.variant,
      kind: first.kind,
      role: first.role,
      ...(isMemory ? { bytesPerTask: spread(values) } : { usPerTask: spread(values) }),
      ...optional("vsRaw", ratioTo("raw")),
      ...optional("vsPromise", first.role === "control" ? undefined : ratioTo("promise")),
      ...optional("vsFloor", first.role === "control" ? undefined : ratioTo("floor")),
      ...optional("vsRawShaped", first.role === "control" ? undefined : ratioTo("raw-asyncio-shaped")),
      ...optional(
        "vsPython",
        first.kind === "effect-asyncio" && pythonValues.length > 0
          ? round(median(values) / median(pythonValues))
          : undefined
      ),
      ...optional("finalizers", first.finalizers),
      ...optional("stillScheduled", first.stillScheduled),
      ...optional("stillRunning", first.stillRunning),
      ...optional("canCancel", first.canCancel),
      runs: list.map((s) => ({
        run: s.run,
        value: round(valueOf(s), 5),
        ...optional("samplesMs", s.samplesMs?.map((ms) => round(ms, 4)))
      }))
    }
    rows.push(row)
  }
  return rows
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

// ---------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------

const fmtRatio = (x: number): string => x.toFixed(2)

/** The targets of issue 4, judged on the medians of the per-run ratios. */
export const judgeTargets = (
  rows: ReadonlyArray<Row>,
  workloads: ReadonlyArray<Workload>,
  timedN: number,
  memoryN: number
): Array<Target> => {
  const targets: Array<Target> = []
  const find = (workload: string, n: number, variant: string) =>
    rows.find((r) => r.workload === workload && r.n === n && r.variant === variant)
  const ours = rows.filter((r) => r.role === "ours")
  const sizes = [...new Set(rows.map((r) => r.n))].filter((n) =>
    n !== memoryN || rows.some((r) => r.n === n && r.usPerTask)
  )
  // Issue 10's targets, and issue 12's for the synchronization suites.
  const rawLimit = (id: string) => (id === "timeout" ? 0.5 : ["lock", "semaphore", "queue"].includes(id) ? 1.1 : 1.0)
  const floorWorkloads = new Set(["gather", "task-group", "as-completed", "first-completed"])
  for (const w of workloads) {
    if (w.kind === "memory") continue
    const row = ours.find((r) => r.workload === w.id && r.n === timedN)
    if (row?.vsRaw === undefined) continue
    const limit = rawLimit(w.id)
    targets.push({
      target: `${w.id}: ${row.variant} / raw Effect at N = ${timedN.toLocaleString("en-US")} ≤ ${limit.toFixed(2)}`,
      met: row.vsRaw.median <= limit,
      detail: `${fmtRatio(row.vsRaw.median)} (runs ${fmtRatio(row.vsRaw.min)}–${fmtRatio(row.vsRaw.max)})`
    })
    if (row.vsRawShaped !== undefined) {
      targets.push({
        target: `${w.id}: ${row.variant} / asyncio-shaped raw Effect at N = ${timedN.toLocaleString("en-US")} ≤ 1.00`,
        met: row.vsRawShaped.median <= 1,
        detail: `${fmtRatio(row.vsRawShaped.median)} (runs ${fmtRatio(row.vsRawShaped.min)}–${
          fmtRatio(row.vsRawShaped.max)
        })`
      })
    }
    if (floorWorkloads.has(w.id) && row.vsFloor !== undefined) {
      targets.push({
        target: `${w.id}: ${row.variant} / fiber floor at N = ${timedN.toLocaleString("en-US")} ≤ 1.15`,
        met: row.vsFloor.median <= 1.15,
        detail: `${fmtRatio(row.vsFloor.median)} (runs ${fmtRatio(row.vsFloor.min)}–${fmtRatio(row.vsFloor.max)})`
      })
    }
  }
  for (const n of sizes) {
    const slow = ours.filter((r) => r.n === n && r.vsPython !== undefined && r.vsPython > 0.33)
    const measured = ours.filter((r) => r.n === n && r.vsPython !== undefined)
    if (measured.length === 0) continue
    targets.push({
      target: `every workload / CPython asyncio at N = ${n.toLocaleString("en-US")} ≤ 0.33`,
      met: slow.length === 0,
      detail: slow.length === 0
        ? `${measured.length} of ${measured.length}`
        : slow.map((r) => `${r.workload} ${fmtRatio(r.vsPython!)}`).join(", ")
    })
  }
  const timeoutRaw = find("timeout", timedN, "Effect.timeout")
  const timeoutOther = find("timeout", timedN, "aio.timeout")
  if (timeoutRaw !== undefined && timeoutOther?.vsRaw !== undefined) {
    targets.push({
      target: `timeout: aio.timeout / Effect.timeout at N = ${timedN.toLocaleString("en-US")} ≤ 0.50`,
      met: timeoutOther.vsRaw.median <= 0.5,
      detail: `${fmtRatio(timeoutOther.vsRaw.median)} (runs ${fmtRatio(timeoutOther.vsRaw.min)}–${
        fmtRatio(timeoutOther.vsRaw.max)
      })`
    })
  }
  for (const w of workloads) {
    if (w.kind !== "memory") continue
    for (const row of rows.filter((r) => r.workload === w.id && r.n === memoryN && r.kind === "effect-asyncio")) {
      if (row.vsRaw === undefined) continue
      const limit = w.id === "memory-timeout" ? 0.6 : 1.0
      targets.push({
        target: `${w.id}: ${row.variant} bytes / raw Effect at N = ${memoryN.toLocaleString("en-US")} ≤ ${
          limit.toFixed(2)
        }`,
        met: row.vsRaw.median <= limit,
        detail: `${fmtRatio(row.vsRaw.median)} (${Math.round(row.bytesPerTask?.median ?? 0)} B vs ${
          Math.round((row.bytesPerTask?.median ?? 0) / row.vsRaw.median)
        } B)`
      })
    }
  }
  const cancels = rows.filter((r) => r.workload === "cancellation" && r.kind === "effect-asyncio")
  if (cancels.length > 0) {
    const dirty = cancels.filter((r) => !(r.finalizers === r.n && r.stillScheduled === 0 && r.stillRunning === 0))
    targets.push({
      target:
        "cancellation: every effect-asyncio variant, at every N, stops every task, runs every finalizer and leaves no timer",
      met: dirty.length === 0,
      detail: dirty.length === 0
        ? `${cancels.length} of ${cancels.length} (${[...new Set(cancels.map((r) => r.variant))].join("; ")})`
        : dirty.map((r) =>
          `${r.variant} at N = ${r.n}: ${r.finalizers}/${r.n} finalizers, ${r.stillScheduled} timers, ${r.stillRunning} running`
        ).join("; ")
    })
  }
  return targets
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

const kindLabel: Record<Kind, string> = {
  "effect-asyncio": "effect-asyncio",
  effect: "raw Effect",
  promise: "promises",
  python: "CPython asyncio"
}

/** Three significant digits, at most two decimals: 0.123, 1.23, 12.3, 123. */
export const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return "–"
  if (x >= 100) return Math.round(x).toString()
  if (x >= 10) return x.toFixed(1)
  if (x >= 1) return x.toFixed(2)
  return x.toFixed(3)
}

const fmtSpread = (s: Spread | undefined, unit = ""): string =>
  s === undefined ? "–" : `${fmt(s.median)}${unit} (${fmt(s.min)}–${fmt(s.max)})`

const ratioCell = (s: Spread | number | undefined): string => {
  if (s === undefined) return ""
  if (typeof s === "number") return `×${fmt(s)}`
  return `×${fmt(s.median)}`
}

const titleOf = (workloads: ReadonlyArray<Workload>, id: string): string =>
  workloads.find((w) => w.id === id)?.title ?? id

/** The timed workloads at size `n`: one row per variant. */
export const timedTable = (
  rows: ReadonlyArray<Row>,
  workloads: ReadonlyArray<Workload>,
  n: number,
  include: (row: Row) => boolean = () => true
): string => {
  const lines = [
    "| workload | variant | µs per task: median (min–max) | ours / raw Effect | ours / fiber floor | ours / promises | ours / CPython |",
    "|---|---|---|---|---|---|---|"
  ]
  for (const w of workloads) {
    if (w.kind !== "timed") continue
    for (const row of rows.filter((r) => r.workload === w.id && r.n === n && include(r))) {
      const name = row.kind === "effect-asyncio" ? `**${row.variant}**` : row.variant
      lines.push(
        `| ${titleOf(workloads, w.id)} | ${name} <sub>${kindLabel[row.kind]}</sub> | ${fmtSpread(row.usPerTask)} | ${
          ratioCell(row.vsRaw)
        }${row.vsRawShaped === undefined ? "" : ` (${ratioCell(row.vsRawShaped)} asyncio-shaped)`} | ${
          ratioCell(row.vsFloor)
        } | ${ratioCell(row.vsPromise)} | ${ratioCell(row.vsPython)} |`
      )
    }
  }
  return lines.join("\n")
}

export const memoryTable = (rows: ReadonlyArray<Row>, workloads: ReadonlyArray<Workload>, n: number): string => {
  const lines = [
    "| workload | variant | bytes per pending task: median (min–max) | ours / raw Effect | ours / promises | ours / CPython |",
    "|---|---|---|---|---|---|"
  ]
  for (const w of workloads) {
    if (w.kind !== "memory") continue
    for (const row of rows.filter((r) => r.workload === w.id && r.n === n)) {
      const name = row.kind === "effect-asyncio" ? `**${row.variant}**` : row.variant
      const b = row.bytesPerTask
      lines.push(
        `| ${titleOf(workloads, w.id)} | ${name} <sub>${kindLabel[row.kind]}</sub> | ${
          b === undefined ? "–" : `${Math.round(b.median)} (${Math.round(b.min)}–${Math.round(b.max)})`
        } | ${ratioCell(row.vsRaw)} | ${ratioCell(row.vsPromise)} | ${ratioCell(row.vsPython)} |`
      )
    }
  }
  return lines.join("\n")
}

export const cancellationTable = (rows: ReadonlyArray<Row>, n: number): string => {
  const lines = [
    "| variant | µs per task until all stopped: median (min–max) | cleanups run | timers still scheduled | tasks still running |",
    "|---|---|---|---|---|"
  ]
  for (const row of rows.filter((r) => r.workload === "cancellation" && r.n === n)) {
    const name = row.kind === "effect-asyncio" ? `**${row.variant}**` : row.variant
    const time = row.canCancel === false
      ? `${fmtSpread(row.usPerTask)} (caller stops waiting; tasks go on)`
      : fmtSpread(row.usPerTask)
    lines.push(
      `| ${name} <sub>${kindLabel[row.kind]}</sub> | ${time} | ${row.finalizers ?? "–"} / ${n} | ${
        row.stillScheduled ?? "–"
      } | ${row.stillRunning ?? "–"} |`
    )
  }
  return lines.join("\n")
}

export const targetsList = (targets: ReadonlyArray<Target>): string =>
  targets.map((t) => `- ${t.met ? "met" : "**missed**"}: ${t.target}: ${t.detail}`).join("\n")

/** The A/A control's ratio to raw Effect at size `n`, if measured. */
export const noiseOf = (rows: ReadonlyArray<Row>, n: number): Spread | null =>
  rows.find((r) => r.role === "control" && r.n === n)?.vsRaw ?? null

export const noiseLine = (noise: Spread | null, n: number): string =>
  noise === null
    ? ""
    : `Noise: the A/A control (a raw Effect variant against itself, same process, same rounds: \`Effect.all\` when the gather suite runs, else \`Queue.bounded\`) measures ×${
      noise.median.toFixed(2)
    } at N = ${n.toLocaleString("en-US")} (runs ×${noise.min.toFixed(2)}–×${
      noise.max.toFixed(2)
    }); on this shared machine, a ratio within about that much of its target is not a clear miss or a clear hit.`

export const environmentLine = (summary: Summary): string =>
  `Node ${summary.node}, effect ${summary.effect}, ${
    summary.python === null ? "no CPython" : `CPython ${summary.python}`
  }, ${summary.machine.cpu} × ${summary.machine.cores}, ${summary.machine.platform}; ${summary.method.runs} runs${
    summary.method.sizes.some((n) => n >= 100_000) && summary.method.largeRuns !== summary.method.runs
      ? ` (${summary.method.largeRuns} at N = 100,000)`
      : ""
  }, ${summary.method.memoryRuns} for memory, each a fresh process; ${summary.generatedAt.slice(0, 10)}.`
