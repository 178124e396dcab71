/**
 * The machinery behind `timeout`, `timeoutAt` and `waitFor`: asyncio 3.12's
 * `Timeout` context manager, on fibers.
 *
 * A scope runs its body in a fiber of its own, started at once, and waits
 * for it. A timer on the `Clock` fires at the deadline; firing interrupts the
 * body, waits for its finalizers, and turns the interruption into
 * `Cause.TimeoutError`. The deadline can move (`reschedule`) while the body
 * runs.
 *
 * Scopes nest through the `CurrentScope` reference that each body sees, so a
 * firing scope can tell whether an enclosing scope is due too: when two
 * deadlines are equal the outer scope is the one that fires, as in asyncio,
 * whichever timer happens to run first.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import { failureReasons, interruptAllAndCheck } from "./fibers.ts"
import { armTimer, disarmTimer, nowMillis, type Timer } from "./timer.ts"
import { deadlineMillis, misuse } from "./validate.ts"

/** @internal */
export const TypeId = "~effect-asyncio/Timeout" as const

/**
 * asyncio's `Timeout` states: `open` while the body runs (`ENTERED`),
 * `expiring` once the deadline fired and the body is being interrupted,
 * `closed` when the scope has finished.
 */
type State = "open" | "expiring" | "closed"

/**
 * The innermost timeout scope around the running fiber.
 *
 * @internal
 */
export const CurrentScope = Context.Reference<DeadlineScope | undefined>("effect-asyncio/CurrentTimeoutScope", {
  defaultValue: () => undefined
})

/** @internal */
export class DeadlineScope extends Inspectable.Class {
  declare readonly [TypeId]: typeof TypeId
  state: State = "open"
  hasExpired = false
  body: Fiber.Fiber<unknown, unknown> | undefined = undefined
  timer: Timer | undefined = undefined
  /** Bumped by every `arm` and `close`, so that a superseded timer does nothing. */
  generation = 0

  readonly owner: Fiber.Fiber<unknown, unknown>
  readonly parent: DeadlineScope | undefined
  /** The function that opened the scope, for the `TimeoutError` message. */
  readonly fn: string
  /** `waitFor`'s timeout, for the message; `undefined` for a deadline. */
  readonly millis: number | undefined
  deadline: number | null

  constructor(
    owner: Fiber.Fiber<unknown, unknown>,
    deadline: number | null,
    parent: DeadlineScope | undefined,
    fn: string,
    millis: number | undefined
  ) {
    super()
    this.owner = owner
    this.deadline = deadline
    this.parent = parent
    this.fn = fn
    this.millis = millis
  }

  timeoutError(): Cause.TimeoutError {
    return new Cause.TimeoutError(
      this.millis === undefined ? `${this.fn}: the deadline passed` : `${this.fn}: timed out after ${this.millis} ms`
    )
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
      this.arm()
    })
  }

  /**
   * (Re)starts the timer for the current deadline. A deadline that has
   * already passed fires on the next scheduler tick, as asyncio's
   * `loop.call_soon(self._on_timeout)`: the code that set it runs on until
   * it waits, and an enclosing scope entered in the same instant is fully
   * started by then, so it can be the one that fires.
   */
  arm(now?: number): void {
    this.stopTimer()
    if (this.deadline === null) return
    const generation = ++this.generation
    const delay = this.deadline - (now ?? nowMillis(this.owner))
    // A cleared timer never fires, so only the scheduler task (which cannot
    // be cancelled) needs the generation check and its closure.
    if (delay > 0) this.timer = armTimer(this.owner, delay, fireScope, this)
    else {
      this.owner.currentDispatcher.scheduleTask(() => {
        if (generation === this.generation) this.fire()
      }, 0)
    }
  }

  fire(): void {
    this.timer = undefined
    if (this.state !== "open") return
    // An enclosing scope whose deadline is not later than ours fires instead,
    // and its interruption usually closes this scope on the way.
    const limit = Math.max(nowMillis(this.owner), this.deadline ?? -Infinity)
    let outermost: DeadlineScope | undefined
    for (let scope = this.parent; scope !== undefined; scope = scope.parent) {
      if (scope.state === "open" && scope.deadline !== null && scope.deadline <= limit) outermost = scope
    }
    outermost?.expire()
    // Still open: the body is not inside the outer scope's fibers (a detached
    // fiber), so this timeout must not be lost.
    if (this.state === "open") this.expire()
  }

  expire(): void {
    this.state = "expiring"
    this.hasExpired = true
    this.stopTimer()
    this.body?.interruptUnsafe()
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
    if (this.state === "open" && this.deadline !== null && this.deadline <= nowMillis(this.owner)) {
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
    return reasons.length === 0 ? Exit.fail(this.timeoutError()) : Exit.failCause(Cause.fromReasons(reasons))
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

// One shared `TypeId` on the prototype rather than a field per scope.
Object.defineProperty(DeadlineScope.prototype, TypeId, { value: TypeId })

const fireScope = (scope: DeadlineScope): void => scope.fire()

/**
 * Runs `body` (or `body(scope)`) in a fiber of its own under a new deadline
 * scope and waits for it. The body sees the scope as `CurrentScope`.
 *
 * One `callback` does it all. Its registration arms the scope (before the
 * body starts, as asyncio's `__aenter__` does), then starts the body in a
 * fiber at once, with the owner's context plus `CurrentScope`: no
 * `provideService` frame in the body, and no entry in the owner's children,
 * since this callback owns the body's lifetime. Interrupted from outside, the
 * callback's cancel effect interrupts the body, waits for its finalizers, and
 * the errors they raise join the caller's cause. The body's observer is never
 * removed: after a cancel it fires once the body has stopped, and `callback`
 * ignores that late resume.
 *
 * @internal
 */
export const runWithDeadline = <A, E, R>(
  owner: Fiber.Fiber<unknown, unknown>,
  deadline: number | null,
  body: Effect.Effect<A, E, R> | ((scope: DeadlineScope) => Effect.Effect<A, E, R>),
  fn: string,
  millis: number | undefined,
  now: number
): Effect.Effect<A, E | Cause.TimeoutError, R> => {
  const scope = new DeadlineScope(owner, deadline, owner.getRef(CurrentScope), fn, millis)
  const effect = (Effect.isEffect(body) ? body : body(scope)) as Effect.Effect<A, E>
  return Effect.callback<A, E | Cause.TimeoutError>((resume) => {
    scope.arm(now)
    const fiber = Effect.runForkWith(Context.add(owner.context, CurrentScope, scope))(effect)
    scope.body = fiber
    const done = fiber.pollUnsafe()
    if (done !== undefined) {
      // A body that needed no waiting completes even under a past deadline.
      scope.close()
      return resume(scope.outcome(done))
    }
    fiber.addObserver((exit) => {
      scope.close()
      resume(scope.outcome(exit))
    })
    // Interrupted from outside. `Effect.callback` runs this uninterruptibly
    // and adds its failure to the interruption's cause (its type says
    // `never`, its runtime keeps the cause: test/waitFor.test.ts pins it).
    return Effect.suspend(() => {
      scope.closeInterrupted()
      return fiber.pollUnsafe() === undefined ? interruptAllAndCheck<E>([fiber]) : Effect.void
    }) as Effect.Effect<void>
  }) as Effect.Effect<A, E | Cause.TimeoutError, R>
}
