/**
 * The machinery behind `timeout`, `timeoutAt` and `waitFor`: asyncio 3.12's
 * `Timeout` context manager, on fibers.
 *
 * A scope runs its body in a fiber of its own, started at once, and waits
 * for it. A timer on the `Clock` fires at the deadline; firing interrupts the
 * body and waits for its finalizers, and the scope reports that it expired.
 * The deadline can move (`reschedule`) while the body runs. What an expiry
 * becomes (the `TimeoutError` and its message) is decided by the public
 * function that opened the scope, as Trio's `fail_at` wraps `move_on_at`.
 *
 * Scopes nest: each knows the innermost scope around its caller (through
 * the caller's frame), so a firing scope can tell whether an enclosing scope
 * is due too. When two deadlines are equal the outer scope is the one that
 * fires, as in asyncio, whichever timer happens to run first.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import { contextFor, CurrentFrame, type Frame, startInFrame, supervisorOf } from "./frame.ts"
import { primitive } from "./primitive.ts"
import { newNodeId, recordReason, registerNode, type TreeNode } from "./registry.ts"
import { failureReasons, inheritedReason, interruptAll } from "./supervisor.ts"
import { suspendUntil } from "./suspend.ts"
import { armTimer, disarmTimer, nowMillis, type Timer } from "./timer.ts"
import { interruptNested, nested } from "./trampoline.ts"
import { deadlineMillis, misuse } from "./validate.ts"

// The `Timeout` handle's type id, spelled out in its public interface.
const TimeoutTypeId = "~effect-asyncio/Timeout" as const

/**
 * asyncio's `Timeout` states: `open` while the body runs (`ENTERED`),
 * `expiring` once the deadline fired and the body is being interrupted,
 * `closed` when the scope has finished.
 */
type State = "open" | "expiring" | "closed"

type AnyFiber = Fiber.Fiber<unknown, unknown>

/**
 * What opens a scope.
 *
 * @internal
 */
export interface DeadlineOptions<A, E, R> {
  /** The fiber that opened the scope and waits for it. */
  readonly caller: AnyFiber
  /** In milliseconds on the caller's `Clock`; `null` for none. */
  readonly deadline: number | null
  /** The caller's `Clock` time when the scope opens. */
  readonly now: number
  readonly body: Effect.Effect<A, E, R> | ((scope: TimeoutScope) => Effect.Effect<A, E, R>)
  /** The error an expiry becomes, built by the function that owns the message. */
  readonly timeoutError: (scope: TimeoutScope) => Cause.TimeoutError
  /** What the caller asked for (`waitFor`'s timeout), for that message. */
  readonly requested?: unknown
}

/** @internal */
export class TimeoutScope extends Inspectable.Class implements Frame, TreeNode {
  declare readonly [TimeoutTypeId]: typeof TimeoutTypeId
  state: State = "open"
  hasExpired = false
  body: AnyFiber | undefined = undefined
  timer: Timer | undefined = undefined
  /** Bumped by every `arm` and `close`, so that a superseded timer does nothing. */
  generation = 0
  deadline: number | null

  readonly caller: AnyFiber
  readonly kind = "timeout scope"
  readonly treeId: number = newNodeId()
  readonly requested: unknown
  private readonly timeoutError: (scope: TimeoutScope) => Cause.TimeoutError
  /** Until the scope is entered: the body to start, and the time the scope opened. */
  private pending: { readonly effect: Effect.Effect<unknown, unknown>; readonly now: number } | undefined
  /** Once entered: resumes the caller. */
  private resume: ((effect: Effect.Effect<unknown, unknown>) => void) | undefined = undefined
  /** Made the first time someone asks for the scope's `AbortSignal`; aborted when it expires. */
  private abortController: AbortController | undefined = undefined

  constructor(options: DeadlineOptions<unknown, unknown, unknown>) {
    super()
    this.caller = options.caller
    this.deadline = options.deadline
    this.requested = options.requested
    this.timeoutError = options.timeoutError
    const body = options.body
    this.pending = {
      effect: (Effect.isEffect(body) ? body : body(this)) as Effect.Effect<unknown, unknown>,
      now: options.now
    }
  }

  get owner(): AnyFiber {
    return supervisorOf(this.caller)
  }

  /** The enclosing scope, if any. */
  get parent(): TimeoutScope | undefined {
    return this.caller.getRef(CurrentFrame)?.timeoutScope
  }

  isLive(): boolean {
    return this.state !== "closed"
  }

  isCancelling(): boolean {
    return this.state === "expiring"
  }

  awaited(): ReadonlyArray<AnyFiber> {
    return this.body !== undefined && this.body.pollUnsafe() === undefined ? [this.body] : []
  }

  own(): ReadonlyArray<AnyFiber> {
    return this.awaited()
  }

  details(): string | undefined {
    if (this.deadline === null) return "no deadline"
    const left = this.deadline - nowMillis(this.caller)
    return left > 0 ? `${Math.round(left)} ms left` : "deadline passed"
  }

  deadlineInfo(): { readonly deadline: number | null; readonly now: number } {
    return { deadline: this.deadline, now: nowMillis(this.caller) }
  }

  get timeoutScope(): TimeoutScope {
    return this
  }

  runs(fiber: AnyFiber): boolean {
    return fiber === this.body
  }

  /**
   * Arms the scope (before the body starts, as asyncio's `__aenter__`
   * does), then starts the body at once, with the caller's context plus the
   * scope as the innermost frame: no `provideService` frame in the body, and
   * no entry in the caller's children, since the scope owns the body's
   * lifetime. Returns what to do if the caller is interrupted from outside:
   * interrupt the body, wait for its finalizers, and let the errors they
   * raise join the caller's cause.
   */
  enter(resume: (effect: Effect.Effect<unknown, unknown>) => void): Effect.Effect<void, unknown> | void {
    const { effect, now } = this.pending!
    this.pending = undefined
    registerNode(this)
    this.arm(now)
    const fiber = startInFrame(Effect.runForkWith(contextFor(this.caller, this)), this, effect)
    this.body = fiber
    const done = fiber.pollUnsafe()
    if (done !== undefined) {
      // A body that needed no waiting completes even under a past deadline.
      this.close()
      return resume(this.outcome(done))
    }
    // The deadline fired while the timer was armed or the body started.
    if (this.state === "expiring") this.interruptBody()
    this.resume = resume
    // A bound method, and a one-field effect for the interruption, rather than
    // closures: memory per pending `waitFor` is a benchmark target.
    fiber.addObserver(this.bodyExited.bind(this))
    return callerInterruptedEffect({ scope: this })
  }

  private bodyExited(exit: Exit.Exit<unknown, unknown>): void {
    this.close()
    nested(this.caller, () => this.resume!(this.outcome(exit)))
  }

  /** @internal */
  callerInterrupted(): Effect.Effect<void, unknown> {
    this.closeInterrupted()
    return this.body!.pollUnsafe() === undefined
      ? interruptAll([this.body!], inheritedReason(this.caller))
      : Effect.void
  }

  get when(): Effect.Effect<number | null> {
    return Effect.sync(() => this.deadline)
  }

  get expired(): Effect.Effect<boolean> {
    return Effect.sync(() => this.hasExpired)
  }

  reschedule(deadline: number | null): Effect.Effect<void> {
    return Effect.sync(() => {
      const when = deadlineMillis("Timeout.reschedule", "deadline", deadline)
      if (this.state !== "open") {
        throw misuse(
          `Timeout.reschedule: cannot reschedule a timeout scope that has ${
            this.state === "closed" ? "finished" : "expired"
          }`
        )
      }
      this.deadline = when
      this.arm(nowMillis(this.caller))
    })
  }

  /**
   * (Re)starts the timer for the current deadline. A deadline that has
   * already passed fires on the next scheduler tick, as asyncio's
   * `loop.call_soon(self._on_timeout)`: the code that set it runs on until
   * it waits, and an enclosing scope entered in the same instant is fully
   * started by then, so it can be the one that fires. The timer may also fire
   * while it is being armed (a `Clock` whose `sleep` completes at once):
   * {@link fire} copes with a body that does not exist yet.
   */
  arm(now: number): void {
    this.stopTimer()
    if (this.deadline === null) return
    const generation = ++this.generation
    const delay = this.deadline - now
    if (delay > 0) {
      const timer = armTimer(this.caller, delay, fireScope, this)
      if (this.generation === generation && this.state === "open") this.timer = timer
    } else {
      this.caller.currentDispatcher.scheduleTask(() => {
        if (generation === this.generation) this.fire()
      }, 0)
    }
  }

  fire(): void {
    this.timer = undefined
    if (this.state !== "open") return
    // An enclosing scope whose deadline is not later than ours fires instead,
    // and its interruption usually closes this scope on the way.
    const limit = Math.max(nowMillis(this.caller), this.deadline ?? -Infinity)
    let outermost: TimeoutScope | undefined
    for (let scope = this.parent; scope !== undefined; scope = scope.parent) {
      if (scope.state === "open" && scope.deadline !== null && scope.deadline <= limit) outermost = scope
    }
    outermost?.expire()
    // Still open: the body is not inside the outer scope's fibers (a task
    // created there belongs to the outer scope's caller), so this timeout
    // must not be lost.
    if (this.state === "open") this.expire()
  }

  expire(): void {
    this.state = "expiring"
    this.hasExpired = true
    this.stopTimer()
    this.abortController?.abort(deadlinePassed())
    if (this.body !== undefined) this.interruptBody()
  }

  /** An `AbortSignal` that aborts when the scope expires (already aborted if it has). */
  signal(): AbortSignal {
    if (this.abortController === undefined) {
      this.abortController = new AbortController()
      if (this.hasExpired) this.abortController.abort(deadlinePassed())
    }
    return this.abortController.signal
  }

  /** Interrupts the body because the deadline passed. */
  interruptBody(): void {
    recordReason(this.body!, { _tag: "DeadlineExpired", deadline: this.deadline })
    interruptNested(this.body!)
  }

  close(): void {
    this.state = "closed"
    this.generation++
    this.stopTimer()
  }

  /**
   * Closes a scope whose caller was interrupted from outside. If its deadline
   * has passed too (an enclosing scope with the same deadline fired first),
   * it counts as expired, as in asyncio where both timers fire in the same
   * loop iteration; only the outer scope raises.
   */
  closeInterrupted(): void {
    if (this.state === "open" && this.deadline !== null && this.deadline <= nowMillis(this.caller)) {
      this.hasExpired = true
    }
    this.close()
  }

  stopTimer(): void {
    if (this.timer !== undefined) {
      disarmTimer(this.timer)
      this.timer = undefined
    }
  }

  /** The scope's result, given how its body ended. */
  outcome<A, E>(exit: Exit.Exit<A, E>): Exit.Exit<A, E | Cause.TimeoutError> {
    if (!this.hasExpired || exit._tag === "Success") return exit
    // Our own interruption becomes the timeout; anything else the body raised
    // while stopping (a failing finalizer) is not hidden behind it.
    const reasons = failureReasons(exit.cause)
    return reasons.length === 0 ? Exit.fail(this.timeoutError(this)) : Exit.failCause(Cause.fromReasons(reasons))
  }

  toJSON(): unknown {
    return { _id: "Timeout", when: this.deadline, expired: this.hasExpired, state: this.state }
  }

  /** asyncio's repr: `<Timeout [active] when=12.5>`, `<Timeout [expired]>`, `<Timeout [finished]>`. */
  override toString(): string {
    switch (this.state) {
      case "open":
        return `<Timeout [active] when=${this.deadline}>`
      case "expiring":
        return "<Timeout [expiring]>"
      case "closed":
        return this.hasExpired ? "<Timeout [expired]>" : "<Timeout [finished]>"
    }
  }
}

/** The effect a scope's caller runs when it is interrupted from outside: one field, no closure. */
const callerInterruptedEffect = primitive<{ readonly scope: TimeoutScope }, void, unknown, never>(
  "TimeoutScope.callerInterrupted",
  ({ scope }) => scope.callerInterrupted()
)

// One shared `TypeId` on the prototype rather than a field per scope.
Object.defineProperty(TimeoutScope.prototype, TimeoutTypeId, { value: TimeoutTypeId })

const fireScope = (scope: TimeoutScope): void => scope.fire()

/** What a deadline signal aborts with: what `AbortSignal.timeout` aborts with. */
const deadlinePassed = (): DOMException => new DOMException("The deadline passed", "TimeoutError")

/**
 * The timeout scopes whose deadlines reach `fiber`, innermost first: those
 * still open or expiring around it (through every enclosing primitive, and
 * into the tasks created inside them), up to the first `shield`, whose work
 * they cannot cancel.
 *
 * @internal
 */
export const scopesAround = (fiber: AnyFiber): ReadonlyArray<TimeoutScope> => {
  const scopes: Array<TimeoutScope> = []
  for (let frame = fiber.getRef(CurrentFrame); frame !== undefined; frame = frame.caller.getRef(CurrentFrame)) {
    if (frame.hidesDeadlines === true) break
    if (frame instanceof TimeoutScope && frame.state !== "closed") scopes.push(frame)
  }
  return scopes
}

/**
 * The earliest deadline among `scopes` (ms on the `Clock`), `null` for none.
 *
 * @internal
 */
export const earliestDeadline = (scopes: ReadonlyArray<TimeoutScope>): number | null => {
  let earliest: number | null = null
  for (const scope of scopes) {
    if (scope.deadline !== null && (earliest === null || scope.deadline < earliest)) earliest = scope.deadline
  }
  return earliest
}

/**
 * Runs the body (or `body(scope)`) in a fiber of its own under a new timeout
 * scope and waits for it.
 *
 * One suspension does it all. Its registration arms the scope (before the
 * body starts, as asyncio's `__aenter__` does), then starts the body at once,
 * with the caller's context plus the scope as the innermost frame: no
 * `provideService` frame in the body, and no entry in the caller's children,
 * since the scope owns the body's lifetime. Interrupted from outside, it
 * interrupts the body, waits for its finalizers, and the errors they raise
 * join the caller's cause.
 *
 * @internal
 */
export const runWithDeadline = <A, E, R>(
  options: DeadlineOptions<A, E, R>
): Effect.Effect<A, E | Cause.TimeoutError, R> => {
  const scope = new TimeoutScope(options as DeadlineOptions<unknown, unknown, unknown>)
  return suspendUntil<unknown, unknown>(scope.enter.bind(scope)) as Effect.Effect<A, E | Cause.TimeoutError, R>
}
