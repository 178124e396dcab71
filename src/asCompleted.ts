/**
 * `asCompleted` and `asCompletedTasks`: asyncio's `as_completed`, as
 * Effect streams. The first runs effects and emits their results in the
 * order they finish; the second emits the original tasks themselves (asyncio
 * 3.13's `async for` form).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import { isIterable } from "effect/Predicate"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import type * as Types from "effect/Types"
import type { ErrorOf, SuccessOf } from "./internal/fiberTypes.ts"
import { Supervisor } from "./internal/supervisor.ts"
import { armTimer, disarmTimer, nowMillis, type Timer } from "./internal/timer.ts"
import { checkEffects, concurrencyLimit, durationMillis, misuse, show, uniqueFibers } from "./internal/validate.ts"
import { type Limit, Watcher } from "./internal/watcher.ts"

/**
 * Options of {@link asCompleted}.
 *
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
}

/**
 * Options of {@link asCompletedTasks}.
 *
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
    new Cause.TimeoutError(
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
    if (!isIterable(effects) || typeof effects === "string") {
      throw misuse(`asCompleted: effects must be an iterable of effects, got ${show(effects)}`)
    }
    const concurrency = concurrencyLimit("asCompleted", options?.concurrency)
    const timeout = durationMillis("asCompleted", "timeout", options?.timeout)
    const items = Array.from(effects) as Array<Effect.Effect<A, E>>
    checkEffects("asCompleted", items)
    return Effect.succeed(
      items.length === 0 ? Stream.empty : Stream.callback<A, E | Cause.TimeoutError>((queue) =>
        new AsCompletedImpl(consumer, queue, items, concurrency, timeout).run()
      )
    )
  })) as Stream.Stream<A, E | Cause.TimeoutError, R>

/**
 * One run of an `asCompleted` stream: a supervisor that starts the effects
 * (at most `concurrency` at a time), offers each result to the stream's queue
 * as it comes, and stops the rest on the first failure, on the timeout, or
 * when the consumer ends the stream.
 *
 * The queue ends (or fails) only once every stopped effect has run its
 * finalizers, and errors they raise while stopping join the cause.
 */
class AsCompletedImpl<A, E> extends Supervisor<E> {
  readonly queue: Queue.Queue<A, E | Cause.TimeoutError | Cause.Done>
  readonly items: ReadonlyArray<Effect.Effect<A, E>>
  readonly concurrency: number
  readonly limit: Limit
  private next = 0
  private finished = 0
  private launching = false
  private timer: Timer | undefined = undefined
  /** What stopped the stream: a task's failure, the timeout, or nothing (all done, or the consumer left). */
  private stopCause: Cause.Cause<E | Cause.TimeoutError> | undefined = undefined
  /** Set when the consumer has ended the stream: nobody reads the queue any more. */
  private consumerGone = false

  constructor(
    consumer: Fiber.Fiber<unknown, unknown>,
    queue: Queue.Queue<A, E | Cause.TimeoutError | Cause.Done>,
    items: ReadonlyArray<Effect.Effect<A, E>>,
    concurrency: number,
    timeout: Limit
  ) {
    super(consumer)
    this.queue = queue
    this.items = items
    this.concurrency = concurrency
    this.limit = timeout
  }

  /**
   * Starts the work and registers the finalizer that stops it when the
   * consumer ends early. A timeout of zero or less lets the effects that need
   * no waiting finish, then expires.
   */
  run(): Effect.Effect<void, never, import("effect/Scope").Scope> {
    return Effect.andThen(
      Effect.addFinalizer((exit) => this.consumerStopped(exit)),
      Effect.sync(() => {
        const startedAt = this.limit === Infinity ? 0 : nowMillis(this.caller)
        this.launch()
        if (this.state !== "open" || this.limit === Infinity) return
        // Armed after the launch, for what is left of the limit: a limit that
        // passes while it is armed (a `Clock` whose `sleep` completes at once)
        // still lets the effects that needed no waiting finish first, as a
        // limit of zero does.
        const left = this.limit - (nowMillis(this.caller) - startedAt)
        if (left <= 0) return this.expire()
        const timer = armTimer(this.caller, left, expire, this)
        if (this.state === "open") this.timer = timer
        else if (timer !== undefined) disarmTimer(timer)
      })
    )
  }

  private launch(): void {
    if (this.launching) return
    this.launching = true
    while (this.state === "open" && this.members.size < this.concurrency && this.next < this.items.length) {
      this.start(this.items[this.next++], (fiber, exit) => this.settle(fiber, exit))
    }
    this.launching = false
  }

  private settle(fiber: Fiber.Fiber<A, E>, exit: Exit.Exit<A, E>): void {
    if (this.state === "open") {
      if (exit._tag === "Failure") {
        this.members.delete(fiber)
        return this.stopWith(exit.cause)
      }
      Queue.offerUnsafe(this.queue, exit.value)
      this.finished++
    }
    this.exited(fiber, exit)
    this.launch()
  }

  protected memberExited(): void {}

  protected isComplete(): boolean {
    return this.finished === this.items.length
  }

  stopWith(cause: Cause.Cause<E | Cause.TimeoutError> | undefined): void {
    if (this.state !== "open") return
    this.stopCause = cause
    this.stop()
  }

  expire(): void {
    this.timer = undefined
    this.stopWith(timedOut("asCompleted", this.limit))
  }

  protected override closed(): void {
    if (this.timer !== undefined) disarmTimer(this.timer)
    this.timer = undefined
    if (this.consumerGone) return
    const failure = this.outcome()
    if (failure === undefined) Queue.endUnsafe(this.queue)
    else Queue.failCauseUnsafe(this.queue, failure)
  }

  private outcome(): Cause.Cause<E | Cause.TimeoutError> | undefined {
    const reasons = [...(this.stopCause?.reasons ?? []), ...this.failures]
    return reasons.length === 0 ? undefined : Cause.fromReasons(reasons)
  }

  /**
   * When the consumer stops early or is interrupted: stop what still runs and
   * wait for it, then fail the stream with what the consumer never saw: errors
   * raised on the way out, defects, and (if it was interrupted rather than
   * done) the failure that stopped the stream. A consumer that ended early by
   * choice has no use for a later typed failure or timeout. These errors are
   * in the stream's error channel, although a finalizer's type does not say so.
   */
  private consumerStopped(exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.consumerGone = true
      this.stopWith(undefined)
      return Effect.flatMap(this.awaitClosed(() => Effect.void), () => {
        const seen = new Set<Cause.Reason<unknown>>(exit._tag === "Failure" ? exit.cause.reasons : [])
        const lost = [
          ...(this.stopCause?.reasons ?? []).filter((reason) =>
            reason._tag === "Die" || (reason._tag === "Fail" && exit._tag === "Failure")
          ),
          ...this.failures
        ].filter((reason) => !seen.has(reason))
        return (lost.length === 0 ? Effect.void : Effect.failCause(Cause.fromReasons(lost))) as Effect.Effect<void>
      })
    })
  }
}

const expire = (run: { expire(): void }): void => run.expire()

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
      const watcher = new TasksInOrder(fibers, queue, timeout)
      return Effect.andThen(
        Effect.addFinalizer(() => Effect.sync(() => watcher.stop())),
        Effect.sync(() => watcher.watch(consumer, timeout))
      )
    })
  )

/** Offers each task to the stream's queue as it finishes; fails the stream when the limit passes. */
class TasksInOrder<A, E> extends Watcher<A, E> {
  readonly queue: Queue.Queue<Fiber.Fiber<A, E>, Cause.TimeoutError | Cause.Done>
  readonly timeout: Limit
  private unfinished: number

  constructor(
    fibers: ReadonlyArray<Fiber.Fiber<A, E>>,
    queue: Queue.Queue<Fiber.Fiber<A, E>, Cause.TimeoutError | Cause.Done>,
    timeout: Limit
  ) {
    super(fibers)
    this.queue = queue
    this.timeout = timeout
    this.unfinished = fibers.length
  }

  protected finished(fiber: Fiber.Fiber<A, E>): void {
    Queue.offerUnsafe(this.queue, fiber)
    if (--this.unfinished > 0) return
    this.stop()
    Queue.endUnsafe(this.queue)
  }

  protected expired(): void {
    this.stop()
    Queue.failCauseUnsafe(this.queue, timedOut("asCompletedTasks", this.timeout))
  }
}
