/**
 * Generators for the property tests: pieces of work with random durations
 * and outcomes, the scenarios built from them, and a model of how bounded
 * concurrency schedules them in virtual time.
 *
 * Times are integers, so that work ending, starting and sleeping meet at
 * exact instants; the instants the properties must not be ambiguous about
 * (a `wait` timeout, an interruption from outside) are put between them
 * (`x.25`, `x.5`), so that no tie decides the outcome.
 */
import * as fc from "fast-check"

/** How a piece of work ends when nothing stops it. */
export type Outcome = "succeed" | "fail" | "die" | "never" | "interrupt"

/**
 * A piece of work: yields `yields` times, sleeps `delay` ms, ends with
 * `outcome`, then its finalizer takes `cleanup` ms (whatever the outcome,
 * interruption included).
 */
export interface Work {
  readonly yields: number
  readonly delay: number
  readonly outcome: Outcome
  readonly cleanup: number
  /** The finalizer dies (with a `CleanupDefect`) once its cleanup is done. */
  readonly cleanupFails?: boolean | undefined
}

export const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  { arbitrary: fc.constant("succeed" as const), weight: 6 },
  { arbitrary: fc.constant("fail" as const), weight: 2 },
  { arbitrary: fc.constant("die" as const), weight: 1 },
  { arbitrary: fc.constant("never" as const), weight: 1 },
  { arbitrary: fc.constant("interrupt" as const), weight: 1 }
)

/** Durations: often 0 (work that needs no waiting), else 1 to `max` ms. */
export const duration = (max: number): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max }), weight: 3 })

export const work = (options?: {
  readonly outcome?: fc.Arbitrary<Outcome>
  readonly maxDelay?: number
  readonly cleanup?: boolean
  /** Sometimes let the finalizer die. */
  readonly failingCleanup?: boolean
}): fc.Arbitrary<Work> =>
  fc.record({
    yields: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, {
      arbitrary: fc.integer({ min: 1, max: 2 }),
      weight: 1
    }),
    delay: duration(options?.maxDelay ?? 20),
    outcome: options?.outcome ?? outcome,
    cleanup: options?.cleanup === false
      ? fc.constant(0)
      : fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 }),
    cleanupFails: options?.failingCleanup === true
      ? fc.oneof({ arbitrary: fc.constant(false), weight: 7 }, { arbitrary: fc.constant(true), weight: 1 })
      : fc.constant(false)
  })

const workOf = work

/** Whether the work ends without ever suspending its fiber. */
export const isSynchronous = (w: Work): boolean =>
  w.yields === 0 && w.delay === 0 && w.cleanup === 0 && w.outcome !== "never"

/** Whether the work's own outcome is a failure (typed, defect or self-interruption). */
export const isFailing = (w: Work): boolean => w.outcome === "fail" || w.outcome === "die" || w.outcome === "interrupt"

/** `undefined`, or a whole number of at least 1 (a bound on concurrency). */
export const concurrency: fc.Arbitrary<number | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 2 }
)

/** An instant between the integer ones, within `[0, max]`. */
export const between = (offset: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max }).map((n) => n + offset)

/** `undefined` half the time, else an interruption from outside at a `x.25` instant after the program starts (1 ms). */
export const interruptAt = (max: number): fc.Arbitrary<number | undefined> =>
  fc.option(between(1.25, max), { nil: undefined, freq: 2 })

/**
 * When each piece of work starts, reaches its outcome and ends (after its
 * cleanup) if `limit` run at a time, started
 * in input order as slots free up, and nothing stops early. A slot is held
 * until the work's finalizer has finished. `Infinity` for work that never
 * ends (and for work that waits behind it forever).
 */
export const schedule = (
  works: ReadonlyArray<Work>,
  limit: number | undefined,
  startAt = 0
): { readonly starts: Array<number>; readonly outcomeAt: Array<number>; readonly ends: Array<number> } => {
  const slots = Math.min(limit ?? Infinity, Math.max(works.length, 1))
  const free: Array<number> = Array.from({ length: slots }, () => startAt)
  const starts: Array<number> = []
  const outcomeAt: Array<number> = []
  const ends: Array<number> = []
  for (const w of works) {
    // The earliest free slot; ties go to any, since only the times matter.
    let best = 0
    for (let i = 1; i < free.length; i++) if (free[i] < free[best]) best = i
    const start = free[best]
    const end = w.outcome === "never" ? Infinity : start + w.delay + w.cleanup
    starts.push(start)
    outcomeAt.push(w.outcome === "never" ? Infinity : start + w.delay)
    ends.push(end)
    free[best] = end
  }
  return { starts, outcomeAt, ends }
}

// ---------------------------------------------------------------------------
// Trees of work: every primitive nested in every other.

/** One step of a body that starts tasks: sleep `gap` ms, then start `node`. */
export interface Spawn {
  readonly gap: number
  readonly node: TreeNode
}

export type TreeNode =
  | { readonly kind: "work"; readonly work: Work }
  /** `taskGroup`: the body starts `tasks`, then does `body`. */
  | { readonly kind: "group"; readonly tasks: ReadonlyArray<Spawn>; readonly body: Work }
  /** A task that starts more tasks in its enclosing group, then does `work`. */
  | { readonly kind: "spawner"; readonly spawns: ReadonlyArray<Spawn>; readonly work: Work }
  /** `timeout(delay, body)`, the deadline moved at `reschedules` (relative times, `to` from now). */
  | {
    readonly kind: "timeout"
    readonly delay: number | null
    readonly reschedules: ReadonlyArray<{ readonly after: number; readonly to: number | null }>
    readonly body: TreeNode
  }
  /** `waitFor(body, timeout)`, the body started as a task first when `task`. */
  | { readonly kind: "waitFor"; readonly timeout: number | null; readonly task: boolean; readonly body: TreeNode }
  /** `gather(children)`, the children started as tasks first when `tasks`. */
  | {
    readonly kind: "gather"
    readonly children: ReadonlyArray<TreeNode>
    readonly tasks: boolean
    readonly returnExceptions: boolean
    readonly concurrency: number | undefined
  }
  | {
    readonly kind: "asCompleted"
    readonly children: ReadonlyArray<TreeNode>
    readonly take: number | undefined
    readonly timeout: number | undefined
    readonly concurrency: number | undefined
  }
  /** `createTask` for each child, `wait` on them, then `cancel` every one. */
  | {
    readonly kind: "tasks"
    readonly children: ReadonlyArray<TreeNode>
    readonly returnWhen: "ALL_COMPLETED" | "FIRST_COMPLETED" | "FIRST_EXCEPTION"
    readonly timeout: number | undefined
  }

export type TreeKind = TreeNode["kind"]

/**
 * A random tree of nested primitives, `depth` levels deep at most, using the
 * node kinds in `kinds` (a `spawner` only inside a task group).
 */
export const tree = (
  depth: number,
  kinds: ReadonlyArray<TreeKind>,
  inGroup = false,
  settings?: { readonly failingCleanup?: boolean }
): fc.Arbitrary<TreeNode> => {
  const work = (): fc.Arbitrary<Work> => workOf({ failingCleanup: settings?.failingCleanup === true })
  const leaf: fc.Arbitrary<TreeNode> = work().map((w) => ({ kind: "work" as const, work: w }))
  if (depth <= 0) return leaf
  const sub = (inside: boolean) => tree(depth - 1, kinds, inside, settings)
  const children = (inside: boolean) => fc.array(sub(inside), { minLength: 0, maxLength: 4 })
  const spawns = (inside: boolean) => fc.array(fc.record({ gap: duration(5), node: sub(inside) }), { maxLength: 4 })
  const options: Array<fc.WeightedArbitrary<TreeNode>> = [{ arbitrary: leaf, weight: 6 }]
  const add = (kind: TreeKind, weight: number, arbitrary: fc.Arbitrary<TreeNode>) => {
    if (kinds.includes(kind)) options.push({ arbitrary, weight })
  }
  add("group", 3, fc.record({ kind: fc.constant("group" as const), tasks: spawns(true), body: work() }))
  if (inGroup) {
    add("spawner", 2, fc.record({ kind: fc.constant("spawner" as const), spawns: spawns(true), work: work() }))
  }
  add(
    "timeout",
    2,
    fc.record({
      kind: fc.constant("timeout" as const),
      delay: fc.option(fc.integer({ min: -2, max: 30 }), { nil: null, freq: 5 }),
      reschedules: fc.array(
        fc.record({
          after: fc.integer({ min: 1, max: 10 }),
          to: fc.option(fc.integer({ min: -3, max: 30 }), { nil: null })
        }),
        { maxLength: 2 }
      ),
      body: sub(inGroup)
    })
  )
  add(
    "waitFor",
    1,
    fc.record({
      kind: fc.constant("waitFor" as const),
      timeout: fc.option(fc.integer({ min: -2, max: 30 }), { nil: null, freq: 5 }),
      task: fc.boolean(),
      body: sub(inGroup)
    })
  )
  add(
    "gather",
    2,
    fc.record({
      kind: fc.constant("gather" as const),
      children: children(inGroup),
      tasks: fc.boolean(),
      returnExceptions: fc.boolean(),
      concurrency
    })
  )
  add(
    "asCompleted",
    2,
    fc.record({
      kind: fc.constant("asCompleted" as const),
      children: children(inGroup),
      take: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      timeout: fc.option(fc.integer({ min: -1, max: 40 }), { nil: undefined }),
      concurrency
    })
  )
  add(
    "tasks",
    2,
    fc.record({
      kind: fc.constant("tasks" as const),
      children: fc.array(sub(inGroup), { minLength: 1, maxLength: 4 }),
      returnWhen: fc.constantFrom("ALL_COMPLETED" as const, "FIRST_COMPLETED" as const, "FIRST_EXCEPTION" as const),
      timeout: fc.option(fc.integer({ min: -1, max: 40 }), { nil: undefined })
    })
  )
  return fc.oneof(...options)
}
