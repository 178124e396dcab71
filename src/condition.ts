/**
 * `makeCondition`: asyncio's `Condition`, a lock with a line of fibers that
 * wait to be notified of a change made under it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import { isLock, LockImpl } from "./internal/permits.ts"
import { misuse, show, wholeNumberAtLeast } from "./internal/validate.ts"
import { WaiterLine } from "./internal/waiters.ts"
import type { Lock, LockMethods } from "./lock.ts"

const TypeId = "~effect-asyncio/Condition" as const

/**
 * A condition variable, like `asyncio.Condition`: its lock's methods
 * (`acquire`, `release`, `locked`, `withLock`) and the waits. Users get one
 * from {@link makeCondition}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Condition extends Inspectable.Inspectable, LockMethods {
  readonly [TypeId]: typeof TypeId
  /**
   * Releases the lock, waits until notified, and takes the lock again before
   * it returns `true` (`await cond.wait()`), also when it is interrupted.
   * Misuse if the lock is not locked.
   */
  readonly wait: Effect.Effect<true>
  /**
   * Waits until `predicate` gives a truthy value and returns it
   * (`await cond.wait_for(predicate)`): the predicate is checked at once and
   * after each wake, always holding the lock. Misuse if the lock is not
   * locked.
   */
  waitFor<A, E = never, R = never>(predicate: Effect.Effect<A, E, R> | (() => A)): Effect.Effect<A, E, R>
  /**
   * Wakes up to `n` fibers waiting (default 1), those that waited longest
   * (`cond.notify(n)`). Misuse if the lock is not locked.
   */
  notify(n?: number): Effect.Effect<void>
  /** Wakes every fiber waiting (`cond.notify_all()`). Misuse if the lock is not locked. */
  readonly notifyAll: Effect.Effect<void>
}

const notified: Exit.Exit<true> = Exit.succeed(true)

class ConditionImpl extends Inspectable.Class implements Condition {
  readonly [TypeId] = TypeId
  readonly lock: LockImpl
  /** A fiber interrupted after it was notified, before it resumed, passes the notification on (asyncio 3.12). */
  readonly waiters = new WaiterLine<true>((fiber) => this.notifyUnsafe(fiber, 1))
  readonly acquire: Effect.Effect<true>
  readonly release: Effect.Effect<void>
  readonly locked: Effect.Effect<boolean>
  readonly wait: Effect.Effect<true>
  readonly notifyAll: Effect.Effect<void>

  constructor(lock: LockImpl) {
    super()
    this.lock = lock
    this.acquire = lock.acquire
    this.release = lock.release
    this.locked = lock.locked
    this.wait = Effect.uninterruptibleMask((restore) =>
      Effect.withFiber((fiber) => {
        const notLocked = this.checkLocked("wait")
        if (notLocked !== undefined) return notLocked
        // The lock is released in the step that joins the line, as asyncio
        // releases it and appends the waiter with no await in between: a
        // notify made as soon as the lock is free finds the waiter.
        // (Interrupted before that step, it never released the lock.)
        let released = false
        const release = (): undefined => {
          released = true
          lock.permits.releaseUnsafe(fiber)
        }
        // Taking the lock back is not interruptible: whatever ended the
        // wait, the caller holds the lock again when `wait` returns.
        return Effect.flatMap(
          Effect.exit(restore(this.waiters.wait(undefined, release))),
          (exit) => released ? Effect.andThen(lock.acquire, exit) : exit
        )
      })
    )
    this.notifyAll = Effect.withFiber((fiber) => {
      const notLocked = this.checkLocked("notifyAll")
      if (notLocked !== undefined) return notLocked
      this.waiters.grantAll(fiber, notified)
      return Effect.void
    })
  }

  readonly withLock = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => this.lock.withLock(effect)

  readonly waitFor = <A, E = never, R = never>(
    predicate: Effect.Effect<A, E, R> | (() => A)
  ): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      const notLocked = this.checkLocked("waitFor")
      if (notLocked !== undefined) return notLocked
      if (!Effect.isEffect(predicate) && typeof predicate !== "function") {
        return Effect.die(
          misuse(`Condition.waitFor: predicate must be an Effect or a function, got ${show(predicate)}`)
        )
      }
      const check: Effect.Effect<A, E, R> = Effect.isEffect(predicate) ? predicate : Effect.sync(predicate)
      const loop: Effect.Effect<A, E, R> = Effect.flatMap(
        check,
        (result) => result ? Effect.succeed(result) : Effect.andThen(this.wait, loop)
      )
      return loop
    })

  readonly notify = (n: number = 1): Effect.Effect<void> =>
    Effect.withFiber((fiber) => {
      const notLocked = this.checkLocked("notify")
      if (notLocked !== undefined) return notLocked
      this.notifyUnsafe(fiber, wholeNumberAtLeast("Condition.notify", "n", n, 0))
      return Effect.void
    })

  notifyUnsafe(fiber: Fiber.Fiber<unknown, unknown>, n: number): void {
    for (let i = 0; i < n && this.waiters.grantFirst(fiber, notified); i++);
  }

  checkLocked(method: string): Effect.Effect<never> | undefined {
    if (this.lock.isLocked()) return undefined
    return Effect.die(
      misuse(`Condition.${method}: cannot ${method === "waitFor" ? "wait" : method}, the lock is not locked`)
    )
  }

  toJSON(): unknown {
    return { _id: "Condition", locked: this.lock.isLocked(), waiters: this.waiters.size }
  }
}

/**
 * Makes a condition variable, like `asyncio.Condition(lock=None)`: fibers
 * holding its lock wait until another fiber, holding the lock, notifies them
 * of a change.
 *
 * **When to use**
 *
 * Use when fibers wait for a state that other fibers change under a lock (a
 * buffer becomes non-empty, a counter reaches a value): `waitFor(predicate)`
 * rechecks the state each time it is woken. For a one-off flag,
 * {@link makeEvent} is simpler.
 *
 * **Details**
 *
 * - `lock`: a lock from {@link makeLock} to share with other code; by
 *   default the condition makes its own.
 * - `wait` releases the lock, waits for a notification, then takes the lock
 *   again and returns `true`. It takes the lock again even when it is
 *   interrupted (uninterruptibly: it waits as long as the lock is held
 *   elsewhere), and then ends interrupted, as asyncio re-raises
 *   `CancelledError` after re-acquiring.
 * - `notify(n)` wakes the `n` fibers that have waited longest (FIFO);
 *   `notifyAll` wakes all. A woken fiber runs once it has the lock.
 * - A fiber interrupted after it was notified, before it resumed, passes the
 *   notification to the next waiter, so no notification is lost (asyncio
 *   3.12's fix).
 *
 * **Gotchas**
 *
 * `wait`, `waitFor`, `notify` and `notifyAll` while the lock is not locked
 * are misuse (asyncio raises `RuntimeError`): the effect dies with
 * `Cause.IllegalArgumentError`. So is a `lock` that does not come from
 * {@link makeLock}, and a negative or fractional `n`. As in asyncio, the
 * lock has no owner: "locked" means held by some fiber, not necessarily the
 * caller.
 *
 * **Example** (Waiting for an item)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const cond = yield* aio.makeCondition()
 *   const items: Array<string> = []
 *   const consumer = yield* aio.createTask(
 *     cond.withLock(Effect.andThen(cond.waitFor(() => items.length > 0), Effect.sync(() => items.shift())))
 *   )
 *   yield* Effect.sleep("10 millis")
 *   yield* cond.withLock(Effect.andThen(Effect.sync(() => items.push("apple")), cond.notify()))
 *   return yield* Fiber.join(consumer)
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => "apple"
 * ```
 *
 * @see {@link makeLock}
 * @see {@link makeEvent} for a one-off flag
 * @category constructors
 * @since 0.1.0
 */
export const makeCondition = (lock?: Lock): Effect.Effect<Condition> =>
  Effect.sync(() => {
    if (lock === undefined) return new ConditionImpl(new LockImpl())
    if (!isLock(lock)) throw misuse(`makeCondition: lock must be a Lock made by makeLock, got ${show(lock)}`)
    return new ConditionImpl(lock)
  })
