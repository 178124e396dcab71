/**
 * The one home of the tests' fixtures: effects that succeed, fail, die or
 * never end after a delay on the `TestClock`, the probes that watch them
 * (cleanup, starts, fibers), the checks on their exits, simulated clocks, and
 * the helpers that drive virtual time. Every test file imports these rather
 * than keeping a copy.
 */
import { Cause, Clock, Duration, Effect, Exit, type Fiber, type Metric, Predicate, Ref, Scheduler } from "effect"
import { TestClock } from "effect/testing"

/** Counts how many children ran their finalizers, and how many were interrupted. */
export interface Probe {
  readonly finalized: Ref.Ref<number>
  readonly interrupted: Ref.Ref<number>
}

export const makeProbe: Effect.Effect<Probe> = Effect.gen(function*() {
  return { finalized: yield* Ref.make(0), interrupted: yield* Ref.make(0) }
})

/** Work that never ends and counts how many times it started: what a misuse must never start. */
export interface StartProbe {
  started: number
  readonly effect: Effect.Effect<number>
}

export const makeStartProbe = (): StartProbe => {
  const probe = { started: 0, effect: Effect.never as Effect.Effect<number> }
  probe.effect = Effect.andThen(Effect.sync(() => probe.started++), Effect.never)
  return probe
}

/**
 * Counts the fibers started and ended under it, through Effect's runtime
 * metrics hook: every fiber created while it is provided (and every fiber
 * those fibers create, timers included) reports its start and its end.
 */
export class FiberCounter implements Metric.FiberRuntimeMetricsService {
  started = 0
  ended = 0
  readonly recordFiberStart = (): void => {
    this.started++
  }
  readonly recordFiberEnd = (): void => {
    this.ended++
  }
  get live(): number {
    return this.started - this.ended
  }
}

/** Wraps an effect so that the probe records its cleanup. */
export const probed = <A, E, R>(probe: Probe, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  effect.pipe(
    Effect.onInterrupt(() => Ref.update(probe.interrupted, (n) => n + 1)),
    Effect.ensuring(Ref.update(probe.finalized, (n) => n + 1))
  )

export const succeedAfter = <A>(delay: Duration.Input, value: A): Effect.Effect<A> =>
  Effect.as(Effect.sleep(delay), value)

export const failAfter = <E>(delay: Duration.Input, error: E): Effect.Effect<never, E> =>
  Effect.andThen(Effect.sleep(delay), Effect.fail(error))

export const dieAfter = (delay: Duration.Input, defect: unknown): Effect.Effect<never> =>
  Effect.andThen(Effect.sleep(delay), Effect.die(defect))

export const interruptAfter = (delay: Duration.Input): Effect.Effect<never> =>
  Effect.andThen(Effect.sleep(delay), Effect.interrupt)

/** Lets forked fibers run for `turns` turns of the scheduler, without moving the clock. */
export const yieldTurns = (turns: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (let i = 0; i < turns; i++) yield* Effect.yieldNow
  })

/**
 * Lets forked fibers (and forks of forks) run until they suspend, without
 * moving the clock: 20 turns, what the deepest of the primitives' tests need.
 */
export const settle: Effect.Effect<void> = yieldTurns(20)

/** Moves virtual time, letting every fiber settle before and after. */
export const advance = (duration: Duration.Input): Effect.Effect<void> =>
  Effect.gen(function*() {
    yield* settle
    yield* TestClock.adjust(duration)
    yield* settle
  })

/** The current time on the `TestClock`, in milliseconds. */
export const now: Effect.Effect<number> = Effect.clockWith((clock) => clock.currentTimeMillis)

/** Whether a fiber has finished. */
export const isFinished = (fiber: Fiber.Fiber<unknown, unknown>): boolean => fiber.pollUnsafe() !== undefined

/** The defect of a failed exit, if it died. */
export const defectOf = (exit: Exit.Exit<unknown, unknown>): unknown => {
  if (exit._tag === "Success") return undefined
  const die = exit.cause.reasons.find(Cause.isDieReason)
  return die?.defect
}

/** The typed failures of an exit, in order. */
export const errorsOf = <E>(exit: Exit.Exit<unknown, E>): ReadonlyArray<E> =>
  exit._tag === "Success" ? [] : exit.cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error)

/** Whether an exit ended by interruption only. */
export const isInterruptedOnly = (exit: Exit.Exit<unknown, unknown>): boolean =>
  exit._tag === "Failure" && Cause.hasInterruptsOnly(exit.cause)

/** Whether an exit failed with `Cause.TimeoutError` among its typed failures (others may come before it). */
export const isTimeout = (exit: Exit.Exit<unknown, unknown> | undefined): boolean =>
  exit !== undefined && exit._tag === "Failure" &&
  exit.cause.reasons.some((r) => Cause.isFailReason(r) && Cause.isTimeoutError(r.error))

/**
 * Whether the error an exit raises is `Cause.TimeoutError`: `Cause.squash`
 * of its cause (its first typed failure, else its first defect), what
 * `Effect.runPromise` would reject with. Stricter than {@link isTimeout} when
 * the cause holds another typed failure before the timeout.
 */
export const squashesToTimeout = (exit: Exit.Exit<unknown, unknown> | undefined): boolean =>
  exit !== undefined && exit._tag === "Failure" && Cause.isTimeoutError(Cause.squash(exit.cause))

/**
 * A simulated `Clock` whose `sleep` completes at once, moving its time
 * forward by the duration slept: what a test clock that auto-advances looks
 * like to the code under test. With `yielding`, `sleep` first yields once
 * (completes on the next scheduler tick) instead of synchronously.
 */
export const instantClock = (options?: { readonly yielding?: boolean }): Clock.Clock => {
  let millis = 0
  const advance = (duration: Duration.Duration) =>
    Effect.sync(() => {
      millis += Duration.toMillis(duration)
    })
  return {
    currentTimeMillisUnsafe: () => millis,
    currentTimeMillis: Effect.sync(() => millis),
    currentTimeNanosUnsafe: () => BigInt(Math.round(millis * 1e6)),
    currentTimeNanos: Effect.sync(() => BigInt(Math.round(millis * 1e6))),
    monotonicTimeNanosUnsafe: () => BigInt(Math.round(millis * 1e6)),
    monotonicTimeNanos: Effect.sync(() => BigInt(Math.round(millis * 1e6))),
    sleep: (duration) =>
      options?.yielding === true ? Effect.andThen(Effect.yieldNow, advance(duration)) : advance(duration)
  }
}

/** Runs `effect` with `clock` as its `Clock`. */
export const withClock = (clock: Clock.Clock) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.provideService(effect, Clock.Clock, clock)

/** Both simulated clocks, for tests that must hold under each. */
export const instantClocks: ReadonlyArray<readonly [string, () => Clock.Clock]> = [
  ["a Clock whose sleep completes synchronously", () => instantClock()],
  ["a Clock whose sleep completes on the next tick", () => instantClock({ yielding: true })]
]

/**
 * `depth` calls of `around` nested in one another around `innermost`, built
 * lazily (each level describes the next only when it runs), so that building
 * the chain needs no deep recursion of its own.
 */
export const nestedCalls = <A, E>(
  depth: number,
  around: (inner: Effect.Effect<A, E>, level: number) => Effect.Effect<A, E>,
  innermost: Effect.Effect<A, E>
): Effect.Effect<A, E> => {
  const level = (k: number): Effect.Effect<A, E> => k === 0 ? innermost : around(Effect.suspend(() => level(k - 1)), k)
  return level(depth)
}

/** How deep a `TaskGroupError` nests, walking its first error down to what is not a group's error. */
export const groupErrorDepth = (error: unknown): { readonly depth: number; readonly leaf: unknown } => {
  let depth = 0
  let current = error
  while (Predicate.hasProperty(current, "_tag") && current._tag === "TaskGroupError") {
    depth++
    current = (current as unknown as { readonly errors: ReadonlyArray<unknown> }).errors[0]
  }
  return { depth, leaf: current }
}

/**
 * Runs `scenario` with its fibers made to yield at every step in turn, and
 * returns the runs that did not succeed within 200 ms as `"pad/maxOps"`
 * (none: every run succeeded).
 *
 * Effect makes a busy fiber yield to the scheduler every `MaxOpsBeforeYield`
 * steps (2,048 by default), between any two steps of the library's code, and
 * other fibers run meanwhile: a primitive that checks a state and then
 * suspends in a later step can miss the change that should wake it (a lost
 * wake-up), which shows as a hang. Here fibers yield every 5, 8 or 13 steps,
 * and `scenario` puts 0 to 23 steps of padding (`pad`) before the call under
 * test, so the yield falls at each of its steps. It runs on Effect's own
 * scheduler (the TestClock's orders these runs differently), hence async.
 */
export const atEveryYieldPoint = async (
  scenario: (
    pad: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  ) => Effect.Effect<unknown, unknown>
): Promise<ReadonlyArray<string>> => {
  const failed: Array<string> = []
  for (let steps = 0; steps < 24; steps++) {
    const pad = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
      let padded = effect
      for (let i = 0; i < steps; i++) padded = Effect.andThen(Effect.void, padded)
      return padded
    }
    for (const maxOps of [5, 8, 13]) {
      const exit = await Effect.runPromiseExit(
        scenario(pad).pipe(Effect.provideService(Scheduler.MaxOpsBeforeYield, maxOps), Effect.timeout("200 millis"))
      )
      if (!Exit.isSuccess(exit)) failed.push(`${steps}/${maxOps}`)
    }
  }
  return failed
}
