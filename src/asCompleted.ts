/**
 * `asCompleted` and `asCompletedTasks`: asyncio's `as_completed`, as
 * Effect streams. The first runs effects and emits their results in the
 * order they finish; the second emits the original tasks themselves (asyncio
 * 3.13's `async for` form).
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import type { ErrorOf, SuccessOf } from "./internal/fiberTypes.ts"
import { failureReasons } from "./internal/fibers.ts"
import { startTimer } from "./internal/timer.ts"
import {
  checkEffects,
  concurrencyLimit,
  describe,
  durationMillis,
  isIterable,
  misuse,
  uniqueFibers
} from "./internal/validate.ts"

/**
 * Options of {@link asCompleted}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface AsCompletedOptions {
  /**
   * The time allowed for all the work, counted from when the stream starts.
   * When it passes first, the stream fails with `Cause.TimeoutError` after the
   * results that were already complete. `null` or an infinite duration means
   * no limit.
   *
   * @default no limit
   */
  readonly timeout?: Duration.Input | null | undefined
  /**
   * How many effects run at a time: a whole number of at least 1, or
   * `"unbounded"`.
   *
   * @default "unbounded"
   */
  readonly concurrency?: number | "unbounded" | undefined
}

/**
 * Options of {@link asCompletedTasks}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface AsCompletedTasksOptions {
  /**
   * The time allowed for all the tasks, counted from when the stream starts.
   * When it passes first, the stream fails with `Cause.TimeoutError` after the
   * tasks that had already finished. The tasks are never interrupted.
   *
   * @default no limit
   */
  readonly timeout?: Duration.Input | null | undefined
}

const timedOut = (fn: string, millis: number) =>
  Cause.fail(new Cause.TimeoutError(`${fn}: timed out after ${millis} ms`))

/**
 * Runs effects concurrently and emits their results in the order they
 * finish, like iterating `asyncio.as_completed(aws)`.
 *
 * **When to use**
 *
 * Use to act on each result as soon as it is ready (progress reporting,
 * streaming responses) rather than waiting for all of them.
 *
 * **Details**
 *
 * - The stream forks the effects itself when it starts, and owns them: when
 *   the consumer stops early, a task fails, or the timeout passes, the
 *   unfinished ones are interrupted, and the stream ends only after their
 *   finalizers have run.
 * - A failure (typed, defect or interruption) of one effect ends the stream
 *   with that cause, after the results that finished before it.
 * - Errors raised by the interrupted effects while they stop are added to
 *   the stream's failure, never dropped. A consumer that stops early (with
 *   `Stream.take`) does not get a later typed failure or timeout it did not
 *   read, but a defect still fails the stream.
 * - `concurrency` bounds how many effects run at once (default all).
 * - An empty input gives an empty stream.
 *
 * **Gotchas**
 *
 * asyncio leaves the remaining awaitables running after a timeout; here they
 * are interrupted, since the stream owns them. Bad arguments make the stream
 * die with `Cause.IllegalArgumentError` when it runs.
 *
 * **Example** (Receiving answers as they come)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Stream } from "effect"
 *
 * const phase = (i: number) => Effect.as(Effect.sleep(500 - 100 * i), `phase ${i} result`)
 *
 * const program = Stream.runCollect(aio.asCompleted([phase(0), phase(1), phase(2)]))
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "phase 2 result", "phase 1 result", "phase 0 result" ]
 * ```
 *
 * @see {@link asCompletedTasks} to receive the tasks rather than their results
 * @stability stable
 * @category combinators
 * @since 0.1.0
 */
export const asCompleted = <const Eff extends Effect.Effect<unknown, unknown, unknown>>(
  effects: Iterable<Eff>,
  options?: AsCompletedOptions
): Stream.Stream<Effect.Success<Eff>, Effect.Error<Eff> | Cause.TimeoutError, Effect.Services<Eff>> =>
  run<Effect.Success<Eff>, Effect.Error<Eff>, Effect.Services<Eff>>(
    effects as Iterable<Effect.Effect<Effect.Success<Eff>, Effect.Error<Eff>, Effect.Services<Eff>>>,
    options
  )

const run = <A, E, R>(
  effects: Iterable<Effect.Effect<A, E, R>>,
  options: AsCompletedOptions | undefined
): Stream.Stream<A, E | Cause.TimeoutError, R> =>
  Stream.callback<A, E | Cause.TimeoutError, R>((queue) =>
    Effect.withFiber((parent) => {
      if (!isIterable(effects)) {
        throw misuse(`asCompleted: effects must be an iterable of effects, got ${describe(effects)}`)
      }
      const concurrency = concurrencyLimit("asCompleted", options?.concurrency)
      const timeout = durationMillis("asCompleted", "timeout", options?.timeout)
      const items = Array.from(effects)
      checkEffects("asCompleted", items)
      if (items.length === 0) return Effect.sync(() => Queue.endUnsafe(queue))

      const running = new Set<Fiber.Fiber<A, E>>()
      let finished = 0
      let stopped = false
      let settled = false
      // What stopped the stream (a task's failure, the timeout), and what the
      // stopped tasks raised on their way out.
      let stopCause: Cause.Cause<E | Cause.TimeoutError> | undefined
      let cleanupCause: Cause.Cause<E> | undefined
      let wakeLauncher: (() => void) | undefined

      // The queue ends (or fails) only once every interrupted task has run its
      // finalizers, and errors they raise while stopping join the cause.
      const settle = () => {
        if (settled || !stopped || running.size > 0) return
        settled = true
        const failure = combine(stopCause, cleanupCause)
        if (failure === undefined) Queue.endUnsafe(queue)
        else Queue.failCauseUnsafe(queue, failure)
      }
      const stop = (cause: Cause.Cause<E | Cause.TimeoutError> | undefined) => {
        if (stopped) return
        stopped = true
        stopCause = cause
        cancelTimer()
        for (const fiber of running) fiber.interruptUnsafe()
        wakeLauncher?.()
        settle()
      }
      const expire = () => stop(timedOut("asCompleted", timeout))
      const onExit = (fiber: Fiber.Fiber<A, E>) => (exit: Exit.Exit<A, E>) => {
        running.delete(fiber)
        if (stopped) {
          if (exit._tag === "Failure") cleanupCause = combine(cleanupCause, failuresOf(exit.cause))
          return settle()
        }
        if (exit._tag === "Failure") return stop(exit.cause)
        Queue.offerUnsafe(queue, exit.value)
        if (++finished === items.length) return stop(undefined)
        wakeLauncher?.()
      }
      // A timeout of zero or less lets the effects that need no waiting
      // finish, then expires: see `expireNow` in the launcher.
      const expireNow = timeout <= 0
      const cancelTimer = expireNow ? noop : startTimer(parent, timeout, expire)

      // Launches the effects in order, at most `concurrency` at a time. It
      // runs in the stream's scope; the finalizer below stops whatever is
      // still running when the consumer ends the stream early.
      let next = 0
      const waitForSlot = Effect.callback<void>((resume) => {
        wakeLauncher = () => {
          wakeLauncher = undefined
          resume(Effect.void)
        }
        return Effect.sync(() => {
          wakeLauncher = undefined
        })
      })
      const launch: Effect.Effect<void, never, R> = Effect.suspend(() => {
        if (stopped) return Effect.void
        if (next === items.length || (expireNow && running.size >= concurrency)) {
          return expireNow ? Effect.sync(expire) : Effect.void
        }
        if (running.size >= concurrency) return Effect.andThen(waitForSlot, launch)
        return Effect.flatMap(Effect.forkDetach(items[next++], { startImmediately: true }), (fiber) => {
          running.add(fiber)
          fiber.addObserver(onExit(fiber))
          return launch
        })
      })
      // When the consumer stops early or is interrupted, the finalizer stops
      // what still runs and waits for it, then fails the stream with what the
      // consumer never saw: errors raised on the way out, defects, and (if it
      // was interrupted rather than done) the failure that stopped the stream.
      // A consumer that ended early by choice has no use for a later typed
      // failure or timeout. These errors are in the stream's error channel,
      // although a finalizer's type does not say so.
      return Effect.andThen(
        Effect.addFinalizer((exit) =>
          Effect.suspend(() => {
            const stopping = Array.from(running)
            settled = true
            stop(undefined)
            return Effect.flatMap(Fiber.awaitAll(stopping), () => {
              const seen = new Set<Cause.Reason<unknown>>(exit._tag === "Failure" ? exit.cause.reasons : [])
              const lost = [
                ...(stopCause?.reasons ?? []).filter((reason) =>
                  reason._tag === "Die" || (reason._tag === "Fail" && exit._tag === "Failure")
                ),
                ...(cleanupCause?.reasons ?? [])
              ].filter((reason) => !seen.has(reason))
              return (lost.length === 0 ? Effect.void : Effect.failCause(Cause.fromReasons(lost))) as Effect.Effect<void>
            })
          })
        ),
        launch
      )
    })
  )

const noop = (): void => {}

/** The typed failures and defects of a cause, without its interruptions. */
const failuresOf = <E>(cause: Cause.Cause<E>): Cause.Cause<E> | undefined => {
  const reasons = failureReasons(cause)
  return reasons.length === 0 ? undefined : Cause.fromReasons(reasons)
}

const combine = <E>(a: Cause.Cause<E> | undefined, b: Cause.Cause<E> | undefined): Cause.Cause<E> | undefined =>
  a === undefined ? b : b === undefined ? a : Cause.combine(a, b)

/**
 * Emits the given tasks themselves in the order they finish, like asyncio
 * 3.13's `async for task in as_completed(tasks)`, which answers "which task
 * was this?".
 *
 * **Details**
 *
 * - Tasks that have already finished are emitted first, in input order;
 *   duplicates count once. An empty input gives an empty stream.
 * - The stream never interrupts the tasks: not when the consumer stops, not
 *   on timeout. Read each task's outcome with {@link result} or `Fiber.join`.
 * - `timeout`: when it passes before all have finished, the stream fails
 *   with `Cause.TimeoutError` after the tasks already emitted.
 *
 * **Example** (Telling tasks apart as they finish)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const slow = yield* aio.createTask(Effect.as(Effect.sleep(200), "slow"))
 *   const fast = yield* aio.createTask(Effect.as(Effect.sleep(100), "fast"))
 *   const order = yield* Stream.runCollect(aio.asCompletedTasks([slow, fast]))
 *   return order.map((task) => (task === fast ? "fast" : "slow"))
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "fast", "slow" ]
 * ```
 *
 * @see {@link wait} for the same question asked once, with `FIRST_COMPLETED`
 * @stability stable
 * @category combinators
 * @since 0.1.0
 */
export const asCompletedTasks = <F extends Fiber.Fiber<unknown, unknown>>(
  tasks: Iterable<F>,
  options?: AsCompletedTasksOptions
): Stream.Stream<Fiber.Fiber<SuccessOf<F>, ErrorOf<F>>, Cause.TimeoutError> =>
  streamTasks(tasks as Iterable<Fiber.Fiber<SuccessOf<F>, ErrorOf<F>>>, options)

const streamTasks = <A, E>(
  tasks: Iterable<Fiber.Fiber<A, E>>,
  options: AsCompletedTasksOptions | undefined
): Stream.Stream<Fiber.Fiber<A, E>, Cause.TimeoutError> =>
  Stream.callback<Fiber.Fiber<A, E>, Cause.TimeoutError>((queue) =>
    Effect.withFiber((parent) => {
      const fibers = uniqueFibers("asCompletedTasks", tasks)
      const timeout = durationMillis("asCompletedTasks", "timeout", options?.timeout)
      if (fibers.length === 0) return Effect.sync(() => Queue.endUnsafe(queue))
      let remaining = fibers.length
      const removers: Array<() => void> = []
      const stop = () => {
        cancelTimer()
        for (const remove of removers) remove()
      }
      const onTimeout = () => {
        stop()
        Queue.failCauseUnsafe(queue, timedOut("asCompletedTasks", timeout))
      }
      const cancelTimer = timeout <= 0 ? noop : startTimer(parent, timeout, onTimeout)
      for (const fiber of fibers) {
        removers.push(fiber.addObserver(() => {
          Queue.offerUnsafe(queue, fiber)
          if (--remaining === 0) {
            stop()
            Queue.endUnsafe(queue)
          }
        }))
      }
      if (remaining > 0 && timeout <= 0) onTimeout()
      return Effect.addFinalizer(() => Effect.sync(stop))
    })
  )
