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
import type * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import type * as SubscriptionRef from "effect/SubscriptionRef"
import type * as Types from "effect/Types"
import { AsCompletedImpl, AsCompletedTasksImpl } from "./internal/asCompleted.ts"
import { progressOption } from "./internal/progress.ts"
import {
  checkEffects,
  concurrencyLimit,
  durationMillis,
  isCollection,
  misuse,
  show,
  timeoutError,
  uniqueFibers
} from "./internal/validate.ts"
import type { Limit } from "./internal/watcher.ts"
import type { Progress } from "./progress.ts"

// The value and error types of a union of fibers, so that tasks of different
// types infer `Fiber<A1 | A2, E1 | E2>`. (Local to the module; the d.ts keeps them.)
type SuccessOf<F> = F extends Fiber.Fiber<infer A, infer _E> ? A : never
type ErrorOf<F> = F extends Fiber.Fiber<infer _A, infer E> ? E : never

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
  readonly concurrency?: Types.Concurrency | undefined
  /**
   * Counts of the work queued, running and done, updated as it goes (see
   * {@link makeProgress}); each run of the stream adds its own.
   *
   * @default none: nothing is counted
   */
  readonly progress?: SubscriptionRef.SubscriptionRef<Progress> | undefined
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

/** The stream's failure when its limit passes: the public function owns the message. */
const timedOut = (fn: string, millis: Limit): Cause.Cause<Cause.TimeoutError> =>
  Cause.fail(
    timeoutError(
      millis > 0
        ? `${fn}: timed out after ${millis} ms`
        : `${fn}: timed out at once: a timeout of ${millis} ms allows no waiting`
    )
  )

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
  Stream.unwrap(Effect.withFiber((consumer) => {
    if (!isCollection(effects)) {
      throw misuse(`asCompleted: effects must be an iterable of effects, got ${show(effects)}`)
    }
    const concurrency = concurrencyLimit("asCompleted", options?.concurrency)
    const timeout = durationMillis("asCompleted", "timeout", options?.timeout)
    const progress = progressOption("asCompleted", options?.progress)
    const items = Array.from(effects) as Array<Effect.Effect<A, E>>
    checkEffects("asCompleted", items)
    return Effect.succeed(
      items.length === 0 ?
        Stream.empty :
        Stream.callback<A, E | Cause.TimeoutError>((queue) =>
          new AsCompletedImpl(consumer, queue, items, {
            concurrency,
            limit: timeout,
            timedOut: () => timedOut("asCompleted", timeout),
            progress
          }).run()
        )
    )
  })) as Stream.Stream<A, E | Cause.TimeoutError, R>

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
    Effect.withFiber((consumer) => {
      const fibers = uniqueFibers("asCompletedTasks", tasks)
      const timeout = durationMillis("asCompletedTasks", "timeout", options?.timeout)
      if (fibers.length === 0) return Effect.sync(() => Queue.endUnsafe(queue))
      const watcher = new AsCompletedTasksImpl(consumer, fibers, queue, () => timedOut("asCompletedTasks", timeout))
      return Effect.andThen(
        Effect.addFinalizer(() => Effect.sync(() => watcher.stop())),
        Effect.sync(() => watcher.watch(timeout))
      )
    })
  )
