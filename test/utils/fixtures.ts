/**
 * Shared fixtures for the combinator tests: effects that succeed, fail, die
 * or never end after a delay on the `TestClock`, each able to report its
 * cleanup through a probe, and helpers to drive virtual time.
 */
import { Cause, type Duration, Effect, type Exit, type Fiber, Ref } from "effect"
import { TestClock } from "effect/testing"

/** Counts how many children ran their finalizers, and how many were interrupted. */
export interface Probe {
  readonly finalized: Ref.Ref<number>
  readonly interrupted: Ref.Ref<number>
}

export const makeProbe: Effect.Effect<Probe> = Effect.gen(function*() {
  return { finalized: yield* Ref.make(0), interrupted: yield* Ref.make(0) }
})

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

/** Lets forked fibers (and forks of forks) run until they suspend. */
export const settle: Effect.Effect<void> = Effect.gen(function*() {
  for (let i = 0; i < 10; i++) yield* Effect.yieldNow
})

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

/** Whether an exit failed with `Cause.TimeoutError`. */
export const isTimeout = (exit: Exit.Exit<unknown, unknown> | undefined): boolean =>
  exit !== undefined && exit._tag === "Failure" &&
  exit.cause.reasons.some((r) => Cause.isFailReason(r) && Cause.isTimeoutError(r.error))
