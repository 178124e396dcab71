/**
 * The engine behind every primitive that owns fibers (`gather`,
 * `asCompleted`, `taskGroup`, and every "cancel the rest"): a set of fibers,
 * their failures in the order they happened, one shutdown that interrupts
 * the rest, waits for them and keeps every error they raise on the way out,
 * and a signal when nothing is left running.
 *
 * A primitive extends {@link Supervisor} with its policy: what a member's
 * exit means while the supervisor is open, when there is nothing more to wait
 * for ({@link Supervisor.isComplete}), and what to do then
 * ({@link Supervisor.closed}). Members live in a `Set` by default;
 * `gather`, the hot path, keeps them by index instead (see
 * {@link Supervisor.interruptMembers}). The supervisor is also the
 * primitive's {@link Frame}: the fibers it starts for user code are its own,
 * and tasks they create belong to the primitive's caller.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import type { CancelReason } from "../cancelReason.ts"
import type { TimeoutScope } from "./deadline.ts"
import { contextFor, CurrentFrame, type Frame, startInFrame, supervisorOf } from "./frame.ts"
import { newNodeId, type NodeKind, reasonOf, recordReason, type TreeNode } from "./registry.ts"
import { suspendUntil } from "./suspend.ts"
import { interruptNested, nested } from "./trampoline.ts"

type AnyFiber = Fiber.Fiber<unknown, unknown>

/**
 * `open` while members run on their own, `stopping` once {@link Supervisor.stop}
 * interrupted them (no member may start any more), `closed` once the last
 * member has ended and the outcome is known.
 *
 * @internal
 */
export type SupervisorState = "open" | "stopping" | "closed"

/**
 * The typed failures and defects of a cause: what must never be dropped.
 *
 * @internal
 */
export const failureReasons = <E>(cause: Cause.Cause<E>): ReadonlyArray<Cause.Reason<E>> =>
  cause.reasons.filter((reason) => !Cause.isInterruptReason(reason))

/**
 * The reason recorded on work stopped because its caller is being stopped.
 *
 * @internal
 */
export const inheritedReason = (caller: Fiber.Fiber<unknown, unknown>): CancelReason =>
  reasonOf(caller) ?? { _tag: "Interrupted" }

/** @internal */
export abstract class Supervisor<E> extends Inspectable.Class implements Frame, TreeNode {
  state: SupervisorState = "open"
  /** How many members are still running: the supervisor's own fibers and those it watches. */
  running = 0
  /** The running members, for the default bookkeeping (`gather` keeps its own by index). */
  readonly members = new Set<AnyFiber>()
  /**
   * Typed failures and defects, in the order they happened: every one raised
   * while stopping, and those the policy records while open.
   */
  readonly failures: Array<Cause.Reason<E>> = []
  readonly caller: AnyFiber
  readonly treeId: number = newNodeId()
  /** What the task tree calls it. */
  abstract readonly kind: NodeKind
  /** How many of its fibers are starting right now. */
  private starting = 0
  /** Set while someone waits for the supervisor to close; cleared once called. */
  private onClose: (() => void) | undefined = undefined
  private fork: (<A, E2>(effect: Effect.Effect<A, E2>) => Fiber.Fiber<A, E2>) | undefined = undefined

  constructor(caller: AnyFiber) {
    super()
    this.caller = caller
  }

  toJSON(): unknown {
    return { _id: "Supervisor", state: this.state, running: this.running }
  }

  get owner(): AnyFiber {
    return supervisorOf(this.caller)
  }

  isLive(): boolean {
    return this.state !== "closed"
  }

  isCancelling(): boolean {
    return this.state === "stopping"
  }

  awaited(): ReadonlyArray<AnyFiber> {
    return Array.from(this.members)
  }

  own(): ReadonlyArray<AnyFiber> {
    return []
  }

  details(): string | undefined {
    return `${this.running} running`
  }

  get timeoutScope(): TimeoutScope | undefined {
    return this.caller.getRef(CurrentFrame)?.timeoutScope
  }

  /** Whether there is nothing more to start or wait for once no member runs. */
  protected abstract isComplete(): boolean

  /** Called once, when the supervisor closes, before whoever waits is resumed. */
  protected closed(): void {}

  runs(fiber: AnyFiber): boolean {
    return this.members.has(fiber)
  }

  /**
   * Starts `effect` at once as one of the supervisor's own fibers, in its
   * frame; the caller adds and observes it. The supervisor cannot close while
   * a fiber starts: it is not counted yet.
   */
  startOwn<A, E2>(effect: Effect.Effect<A, E2>): Fiber.Fiber<A, E2> {
    this.fork ??= Effect.runForkWith(contextFor(this.caller, this)) as <A, E2>(
      effect: Effect.Effect<A, E2>
    ) => Fiber.Fiber<A, E2>
    this.starting++
    try {
      return startInFrame(this.fork, this, effect)
    } finally {
      this.starting--
    }
  }

  /**
   * Adds a running fiber to the members and reports its end to `onExit` (by
   * default {@link Supervisor.ended}), at once if it has already ended.
   */
  add<A, E2>(fiber: Fiber.Fiber<A, E2>, onExit?: (fiber: Fiber.Fiber<A, E2>, exit: Exit.Exit<A, E2>) => void): void {
    this.running++
    this.members.add(fiber)
    const exit = fiber.pollUnsafe()
    if (onExit === undefined) {
      if (exit !== undefined) return this.ended(fiber, exit)
      fiber.addObserver((exit) => this.ended(fiber, exit))
    } else {
      if (exit !== undefined) return onExit.call(this, fiber, exit)
      fiber.addObserver((exit) => onExit.call(this, fiber, exit))
    }
  }

  /** What a member's exit means while the supervisor is open; by default nothing. */
  protected memberExited(_fiber: AnyFiber, _exit: Exit.Exit<unknown, unknown>): void {}

  /** A member has ended: the policy's say while open, its failures kept while stopping. */
  ended(fiber: AnyFiber, exit: Exit.Exit<unknown, unknown>): void {
    this.members.delete(fiber)
    if (this.state !== "open") return this.countEnd(exit)
    // The policy may stop the supervisor: this member's failure is its
    // reason, recorded by the policy, not an error raised while stopping.
    this.memberExited(fiber, exit)
    this.running--
    this.checkClosed()
  }

  /** Counts one member's end; while stopping, keeps what it raised on the way out. */
  protected countEnd(exit: Exit.Exit<unknown, unknown>): void {
    this.running--
    if (this.state !== "open" && exit._tag === "Failure") this.record(exit.cause as Cause.Cause<E>)
    this.checkClosed()
  }

  /** Keeps the typed failures and defects of a cause; a plain interruption is not an error. */
  record(cause: Cause.Cause<E>): void {
    for (const reason of cause.reasons) {
      if (!Cause.isInterruptReason(reason)) this.failures.push(reason)
    }
  }

  /**
   * Interrupts every member, once, recording `reason` on each (see
   * `cancelReason`). The supervisor closes when the last one has ended.
   */
  stop(reason: CancelReason): void {
    if (this.state !== "open") return
    this.state = "stopping"
    this.interruptMembers(reason)
    this.checkClosed()
  }

  /** Requests the interruption of every running member. */
  protected interruptMembers(reason: CancelReason): void {
    for (const fiber of Array.from(this.members)) {
      recordReason(fiber, reason)
      interruptNested(fiber)
    }
  }

  checkClosed(): void {
    if (this.state === "closed" || this.running > 0 || this.starting > 0) return
    if (!(this.state === "stopping" || this.isComplete())) return
    this.state = "closed"
    this.closed()
    const onClose = this.onClose
    this.onClose = undefined
    if (onClose !== undefined) nested(this.caller, onClose)
  }

  /**
   * Suspends the caller until the supervisor has closed, then resumes it with
   * `outcome()`. Interrupted from outside, it stops the members and waits for
   * them; what they raised on the way out (`interrupted()`, by default the
   * recorded failures) joins the interruption's cause.
   */
  awaitClosed<A, E2, E3 = E>(
    outcome: () => Effect.Effect<A, E2>,
    interrupted: () => Effect.Effect<void, E3> = () => this.failuresCause() as Effect.Effect<void, never>
  ): Effect.Effect<A, E2 | E3> {
    return suspendUntil<A, E2 | E3>((resume) => {
      if (this.state === "closed") return resume(outcome())
      this.onClose = () => resume(outcome())
      return Effect.suspend(() => {
        this.onClose = undefined
        this.stop(inheritedReason(this.caller))
        return this.awaitClosed(interrupted, interrupted)
      })
    })
  }

  /** The recorded failures as a failed effect, or `Effect.void` when there were none. */
  failuresCause(): Effect.Effect<void, E> {
    return this.failures.length === 0 ? Effect.void : Effect.failCause(Cause.fromReasons(this.failures))
  }
}

/** Stops fibers it did not start: the "cancel the rest" of `waitFor` on a task and of `gather`'s tasks. */
class Stopper<E> extends Supervisor<E> {
  readonly kind = "wait"

  // It closes once stopped and every fiber has ended, never before.
  protected isComplete(): boolean {
    return false
  }
}

/**
 * Interrupts `fibers`, waits until every one has finished its finalizers,
 * and then fails with whatever typed failures or defects they raised on the
 * way out, so that an interruption never swallows an error.
 *
 * @internal
 */
export const interruptAll = <E>(
  fibers: Iterable<Fiber.Fiber<unknown, E>>,
  reason: CancelReason
): Effect.Effect<void, E> =>
  Effect.withFiber((caller) => {
    const stopper = new Stopper<E>(caller)
    for (const fiber of fibers) stopper.add(fiber)
    stopper.stop(reason)
    return stopper.awaitClosed(() => stopper.failuresCause())
  })

/**
 * Waiting on a task the way asyncio awaits one inside `wait_for` or
 * `gather`: when the wait is interrupted, the task is cancelled and awaited
 * too, and an error it raises while stopping is kept.
 *
 * @internal
 */
export const joinOrCancel = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<A, E> =>
  Effect.onInterrupt(
    Fiber.join(task),
    () => Effect.withFiber((waiting) => interruptAll([task], inheritedReason(waiting)))
  )
