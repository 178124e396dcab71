/**
 * The engines of `asCompleted` (a supervisor that feeds a stream) and
 * `asCompletedTasks` (a watcher that feeds a stream).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type { CancelReason } from "../cancelReason.ts"
import { progressAdded, progressDropped, progressEnded, type ProgressRef, progressStarted } from "./progress.ts"
import { registerNode } from "./registry.ts"
import { Supervisor } from "./supervisor.ts"
import { armTimer, disarmTimer, nowMillis, type Timer } from "./timer.ts"
import { type Limit, Watcher } from "./watcher.ts"

/**
 * One run of an `asCompleted` stream: a supervisor that starts the effects
 * (at most `concurrency` at a time), offers each result to the stream's queue
 * as it comes, and stops the rest on the first failure, on the timeout, or
 * when the consumer ends the stream.
 *
 * The queue ends (or fails) only once every stopped effect has run its
 * finalizers, and errors they raise while stopping join the cause.
 *
 * @internal
 */
export class AsCompletedImpl<A, E> extends Supervisor<E> {
  readonly kind = "as_completed"
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
  /** When the limit passes, in ms on the caller's `Clock`; `null` without one. */
  private deadline: number | null = null
  /** Set when the consumer has ended the stream: nobody reads the queue any more. */
  private consumerGone = false
  /** The stream's failure when the limit passes, built by the public function. */
  private readonly timedOut: () => Cause.Cause<Cause.TimeoutError>
  /** Where to count progress, if the consumer asked. */
  private readonly progress: ProgressRef | undefined

  constructor(
    consumer: Fiber.Fiber<unknown, unknown>,
    queue: Queue.Queue<A, E | Cause.TimeoutError | Cause.Done>,
    items: ReadonlyArray<Effect.Effect<A, E>>,
    options: {
      readonly concurrency: number
      readonly limit: Limit
      readonly timedOut: () => Cause.Cause<Cause.TimeoutError>
      readonly progress: ProgressRef | undefined
    }
  ) {
    super(consumer)
    this.queue = queue
    this.items = items
    this.concurrency = options.concurrency
    this.limit = options.limit
    this.timedOut = options.timedOut
    this.progress = options.progress
  }

  /**
   * Starts the work and registers the finalizer that stops it when the
   * consumer ends early. A timeout of zero or less lets the effects that need
   * no waiting finish, then expires.
   */
  run(): Effect.Effect<void, never, Scope.Scope> {
    registerNode(this)
    return Effect.andThen(
      Effect.addFinalizer((exit) => this.consumerStopped(exit)),
      Effect.sync(() => {
        const startedAt = this.limit === Infinity ? 0 : nowMillis(this.caller)
        this.deadline = startedAt + this.limit
        if (this.progress !== undefined) progressAdded(this.progress, this.items.length, 0)
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
    while (this.state === "open" && this.running < this.concurrency && this.next < this.items.length) {
      const fiber = this.startOwn(this.items[this.next++])
      if (this.progress !== undefined) progressStarted(this.progress)
      this.add(fiber, this.settle)
    }
    this.launching = false
  }

  private settle(fiber: Fiber.Fiber<A, E>, exit: Exit.Exit<A, E>): void {
    this.members.delete(fiber)
    if (this.progress !== undefined) progressEnded(this.progress, exit)
    if (this.state === "open") {
      if (exit._tag === "Failure") {
        // Counted as ended before the rest are stopped: its failure stops the stream, it is no cleanup error.
        this.running--
        return this.stopWith(exit.cause, { _tag: "SiblingFailed", task: fiber, cause: exit.cause })
      }
      Queue.offerUnsafe(this.queue, exit.value)
      this.finished++
    }
    this.countEnd(exit)
    this.launch()
  }

  protected isComplete(): boolean {
    return this.finished === this.items.length
  }

  stopWith(cause: Cause.Cause<E | Cause.TimeoutError> | undefined, reason: CancelReason): void {
    if (this.state !== "open") return
    this.stopCause = cause
    this.stop(reason)
  }

  expire(): void {
    this.timer = undefined
    this.stopWith(this.timedOut(), { _tag: "DeadlineExpired", deadline: this.deadline })
  }

  override details(): string {
    return `${this.finished} of ${this.items.length} emitted`
  }

  override own(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return this.awaited()
  }

  protected override closed(): void {
    // The effects that never started count as cancelled.
    if (this.progress !== undefined) progressDropped(this.progress, this.items.length - this.next)
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
      this.stopWith(undefined, { _tag: "ConsumerStopped" })
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
 * One run of an `asCompletedTasks` stream: offers each task to the stream's
 * queue as it finishes, and fails the stream when the limit passes.
 *
 * @internal
 */
export class AsCompletedTasksImpl<A, E> extends Watcher<A, E> {
  readonly kind = "as_completed"
  readonly queue: Queue.Queue<Fiber.Fiber<A, E>, Cause.TimeoutError | Cause.Done>
  private readonly timedOut: () => Cause.Cause<Cause.TimeoutError>
  private unfinished: number

  constructor(
    consumer: Fiber.Fiber<unknown, unknown>,
    fibers: ReadonlyArray<Fiber.Fiber<A, E>>,
    queue: Queue.Queue<Fiber.Fiber<A, E>, Cause.TimeoutError | Cause.Done>,
    timedOut: () => Cause.Cause<Cause.TimeoutError>
  ) {
    super(consumer, fibers)
    this.queue = queue
    this.timedOut = timedOut
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
    Queue.failCauseUnsafe(this.queue, this.timedOut())
  }
}
