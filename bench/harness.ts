/**
 * The shapes every suite is written in, the checks that validate a variant's
 * result before it is timed, and the measurement loop that the child
 * processes run.
 *
 * A workload is one question ("gather N tasks in order") answered by several
 * variants: effect-asyncio, the nearest raw Effect code, promises, and
 * CPython asyncio (in `bench/python/asyncio_bench.py`). Three kinds exist:
 *
 * - `timed`: the harness times `run()`, which returns a result that `check`
 *   validates once before timing starts;
 * - `cancel`: `run()` does its own setup (N sleeping tasks), times only the
 *   cancellation, and reports what was still scheduled afterwards;
 * - `memory`: `start()` leaves N tasks pending; the child measures the heap
 *   while they are, then `release()` lets them finish and validates them.
 */

/** Who wrote the variant: the library, raw Effect, promises, or CPython. */
export type Kind = "effect-asyncio" | "effect" | "promise" | "python"

/**
 * Which variant a workload compares against: `ours` is the effect-asyncio
 * primitive under test, `raw` the raw Effect floor, `promise` the promise
 * reference. Ratios are computed between these, within one process run.
 * A `control` is the raw variant again under another name (an A/A test):
 * its ratio to `raw` shows how far apart identical code measures, that is,
 * the noise of every other ratio. `floor` is N bare fibers each yielding
 * once (`forkChild` + join): the least any fiber-based layer can cost.
 * `raw-asyncio-shaped` is a second raw Effect reference written the way the
 * asyncio program is (first-completed: N forked tasks, wait for one,
 * interrupt the rest).
 */
export type Role = "ours" | "raw" | "raw-asyncio-shaped" | "floor" | "promise" | "control"

interface VariantBase {
  /** Short, unique within the workload, e.g. `aio.gather` or `Effect.all`. */
  readonly name: string
  readonly kind: Kind
  readonly role?: Role | undefined
}

/** A variant the harness times: `run` does the whole workload once. */
export interface TimedVariant<T> extends VariantBase {
  run(): Promise<T>
  /** Throws (or rejects) when the result is wrong. Called on the first run, before timing. */
  check(result: T): void | Promise<void>
}

/** What a cancellation variant reports for one run. */
export interface CancelOutcome {
  /** From the cancel request until every task has stopped (or, for promises that cannot stop, until the caller moved on). */
  readonly ms: number
  /** Tasks whose cleanup ran (a finalizer, a `finally`, an abort listener). */
  readonly finalizers: number
  /** Timers still scheduled after the cancellation, beyond those scheduled before the tasks started. */
  readonly stillScheduled: number
  /** Tasks still running after the cancellation. */
  readonly stillRunning: number
}

/** A variant that times its own cancellation phase. */
export interface CancelVariant extends VariantBase {
  /** `false` for the promise variant that cannot cancel: its leftovers are reported, not rejected. */
  readonly canCancel: boolean
  run(): Promise<CancelOutcome>
}

/** N tasks left pending by a memory variant. */
export interface PendingTasks {
  /** Lets every task finish and resolves with the result to validate. */
  release(): Promise<unknown>
}

/** A variant that leaves N tasks pending so that the heap can be measured. */
export interface MemoryVariant extends VariantBase {
  /** Resolves once all N tasks have started and are waiting. */
  start(): Promise<PendingTasks>
  check(result: unknown): void
}

interface WorkloadBase {
  /** Stable id, used on the command line and in `latest.json`. */
  readonly id: string
  /** The suite (file) the workload belongs to. */
  readonly suite: string
  readonly title: string
  /** One sentence: what every variant does. */
  readonly description: string
  /**
   * The largest N it is measured at, when a variant cannot take the full
   * sizes in reasonable time (the reason goes in the workload's definition).
   */
  readonly maxN?: number | undefined
}

export interface TimedWorkload extends WorkloadBase {
  readonly kind: "timed"
  variants(n: number): ReadonlyArray<TimedVariant<unknown>>
}

export interface CancelWorkload extends WorkloadBase {
  readonly kind: "cancel"
  variants(n: number): ReadonlyArray<CancelVariant>
}

export interface MemoryWorkload extends WorkloadBase {
  readonly kind: "memory"
  variants(n: number): ReadonlyArray<MemoryVariant>
}

export type Workload = TimedWorkload | CancelWorkload | MemoryWorkload

/** Widens a typed variant to the workload's list type, keeping `check` typed at the definition. */
export const timed = <T>(variant: TimedVariant<T>): TimedVariant<unknown> => variant as TimedVariant<unknown>

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/** Throws a validation error naming the variant's problem. */
export const fail = (message: string): never => {
  throw new Error(`validation failed: ${message}`)
}

/** `result` is `[0, 1, ..., n - 1]`. */
export const checkIndices = (result: unknown, n: number): void => {
  if (!Array.isArray(result)) return fail(`expected an array, got ${typeof result}`)
  if (result.length !== n) return fail(`expected ${n} results, got ${result.length}`)
  for (let i = 0; i < n; i++) {
    if (result[i] !== i) return fail(`expected ${i} at index ${i}, got ${String(result[i])}`)
  }
}

/** `result` holds each of `0 .. n - 1` exactly once, in any order. */
export const checkPermutation = (result: unknown, n: number): void => {
  if (!Array.isArray(result)) return fail(`expected an array, got ${typeof result}`)
  if (result.length !== n) return fail(`expected ${n} results, got ${result.length}`)
  const seen = new Uint8Array(n)
  for (const value of result) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= n || seen[value] === 1) {
      return fail(`unexpected or repeated value ${String(value)}`)
    }
    seen[value] = 1
  }
}

/** Counts the timers (`setTimeout`/`setInterval`) the process has scheduled. */
export const activeTimers = (): number => {
  let count = 0
  for (const resource of process.getActiveResourcesInfo()) if (resource === "Timeout") count++
  return count
}

/**
 * Checks that a variant leaves no timer behind: `mark()` at the start of the
 * variant's first run (later calls do nothing), `check()` after it. The mark
 * is taken lazily so that timers created between building the variants and
 * running them (a test runner's timeout) do not count.
 */
export const timerProbe = (): { readonly mark: () => void; readonly check: () => void } => {
  let before: number | undefined
  return {
    mark: () => {
      before ??= activeTimers()
    },
    check: () => {
      const left = activeTimers() - (before ?? 0)
      if (left > 0) fail(`${left} timers still scheduled after the run`)
    }
  }
}

// ---------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------

const gc: () => void = typeof globalThis.gc === "function" ? globalThis.gc : () => {}

/** Collects garbage twice (weak references and finalizers need a second pass); a no-op without `--expose-gc`. */
export const collect = (): void => {
  gc()
  gc()
}

export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** How long the child spends on each variant. */
export interface Budget {
  /** Warm-up time per variant after the validating run. */
  readonly warmupMs: number
  /** Measured time per variant. */
  readonly measureMs: number
  readonly maxSamples: number
}

/** One variant's result in one process run: what `child.ts` prints, one JSON line each. */
export interface Sample {
  readonly workload: string
  readonly variant: string
  readonly kind: Kind
  readonly role: Role | null
  readonly n: number
  readonly run: number
  /** Timed and cancel workloads: each sample's duration. */
  readonly samplesMs?: ReadonlyArray<number>
  /** Median of `samplesMs`, divided by n, in microseconds. */
  readonly usPerTask?: number
  /** Cancel workloads. */
  readonly finalizers?: number
  readonly stillScheduled?: number
  readonly stillRunning?: number
  readonly canCancel?: boolean
  /** Memory workloads. */
  readonly bytesPerTask?: number
}

/**
 * The order of one round: a shuffle seeded by the run and the round, so that
 * every variant follows every other about equally often. (A mere rotation
 * keeps the cyclic order, and a variant that always runs right after, say, a
 * promise variant inherits its garbage-collector and JIT state every time:
 * that biased ratios by 10–20% here.)
 */
const roundOrder = (count: number, run: number, round: number): Array<number> => {
  let seed = (run * 7919 + round * 104729 + 1) >>> 0
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) >>> 0
    let t = seed
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const order = Array.from({ length: count }, (_, i) => i)
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = order[i]
    order[i] = order[j]
    order[j] = swap
  }
  return order
}

const now = (): number => performance.now()

/**
 * Takes samples round-robin, one of each variant per round in a shuffled
 * order (after a forced GC), for as many rounds as the budget allows given
 * each variant's time per call. `sample(i)` measures variant `i` once, in ms.
 */
const sampleInRounds = async (
  perCall: ReadonlyArray<number>,
  run: number,
  budget: Budget,
  sample: (i: number) => Promise<number>
): Promise<Array<Array<number>>> => {
  const count = perCall.length
  const totalPerRound = perCall.reduce((a, b) => a + b, 0)
  const rounds = Math.max(1, Math.min(budget.maxSamples, Math.floor((budget.measureMs * count) / totalPerRound)))
  const samples: Array<Array<number>> = perCall.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (const i of roundOrder(count, run, round)) {
      collect()
      samples[i].push(await sample(i))
    }
  }
  return samples
}

/**
 * Validates every variant once, warms each up, then takes samples round-robin
 * (one sample of each variant per round, in a shuffled order), so that drift
 * on a shared machine hits every variant alike.
 */
export const measureTimed = async (
  workload: TimedWorkload,
  n: number,
  run: number,
  budget: Budget
): Promise<Array<Sample>> => {
  const variants = workload.variants(n)
  const perCall: Array<number> = []
  for (const variant of variants) {
    let start = now()
    await variant.check(await variant.run())
    let calls = 1
    let spent = now() - start
    while (spent < budget.warmupMs && calls < 20) {
      start = now()
      await variant.run()
      spent += now() - start
      calls++
    }
    perCall.push(spent / calls)
  }
  const samples = await sampleInRounds(perCall, run, budget, async (i) => {
    const start = now()
    await variants[i].run()
    return now() - start
  })
  return variants.map((variant, i) => ({
    workload: workload.id,
    variant: variant.name,
    kind: variant.kind,
    role: variant.role ?? null,
    n,
    run,
    samplesMs: samples[i],
    usPerTask: (median(samples[i]) * 1000) / n
  }))
}

const checkCancel = (variant: CancelVariant, outcome: CancelOutcome, n: number): void => {
  if (!variant.canCancel) return
  if (outcome.finalizers !== n) fail(`${variant.name}: expected ${n} finalizers, got ${outcome.finalizers}`)
  if (outcome.stillRunning !== 0) fail(`${variant.name}: ${outcome.stillRunning} tasks still running`)
  if (outcome.stillScheduled !== 0) fail(`${variant.name}: ${outcome.stillScheduled} timers still scheduled`)
}

/** Like `measureTimed`, for variants that time their own cancellation phase. */
export const measureCancel = async (
  workload: CancelWorkload,
  n: number,
  run: number,
  budget: Budget
): Promise<Array<Sample>> => {
  const variants = workload.variants(n)
  const first: Array<CancelOutcome> = []
  const perCall: Array<number> = []
  for (const variant of variants) {
    const start = now()
    const outcome = await variant.run()
    checkCancel(variant, outcome, n)
    first.push(outcome)
    perCall.push(now() - start)
  }
  const samples = await sampleInRounds(perCall, run, budget, async (i) => {
    const outcome = await variants[i].run()
    checkCancel(variants[i], outcome, n)
    return outcome.ms
  })
  return variants.map((variant, i) => ({
    workload: workload.id,
    variant: variant.name,
    kind: variant.kind,
    role: variant.role ?? null,
    n,
    run,
    samplesMs: samples[i],
    usPerTask: (median(samples[i]) * 1000) / n,
    finalizers: first[i].finalizers,
    stillScheduled: first[i].stillScheduled,
    stillRunning: first[i].stillRunning,
    canCancel: variant.canCancel
  }))
}

/**
 * Measures the heap per pending task for one variant. Meaningful only in a
 * fresh process started with `--expose-gc`, one variant per process.
 */
export const measureMemory = async (
  workload: MemoryWorkload,
  variant: MemoryVariant,
  n: number,
  run: number
): Promise<Sample> => {
  collect()
  const before = process.memoryUsage().heapUsed
  const pending = await variant.start()
  collect()
  const after = process.memoryUsage().heapUsed
  variant.check(await pending.release())
  return {
    workload: workload.id,
    variant: variant.name,
    kind: variant.kind,
    role: variant.role ?? null,
    n,
    run,
    bytesPerTask: (after - before) / n
  }
}
