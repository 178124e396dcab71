/**
 * `makeLock`: asyncio's `Lock`, a mutual exclusion lock for fibers.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import { LockImpl } from "./internal/permits.ts"

/**
 * The methods a `Lock` and a `Condition` (over its lock) share.
 *
 * @category models
 * @since 0.1.0
 */
export interface LockMethods {
  /**
   * Waits until the lock is free, then takes it; returns `true`
   * (`await lock.acquire()`). Waiters are served first come, first served.
   * Interrupted while waiting, it leaves the line and takes nothing.
   */
  readonly acquire: Effect.Effect<true>
  /**
   * Releases the lock (`lock.release()`), handing it to the first waiter.
   * Any fiber may release a held lock: a lock has no owner. Releasing a lock
   * that is not locked is misuse: the effect dies with
   * `Cause.IllegalArgumentError`, as asyncio raises `RuntimeError`.
   */
  readonly release: Effect.Effect<void>
  /** Whether the lock is held (`lock.locked()`). */
  readonly locked: Effect.Effect<boolean>
  /**
   * Runs `effect` holding the lock and releases it however `effect` ends
   * (`async with lock:`).
   */
  withLock<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
}

/**
 * A mutual exclusion lock, like `asyncio.Lock`. Users get one from
 * {@link makeLock}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Lock extends Inspectable.Inspectable, LockMethods {
  readonly "~effect-asyncio/Lock": "~effect-asyncio/Lock"
}

/**
 * Makes a lock, like `asyncio.Lock()`: one fiber at a time holds it; the
 * others wait in line.
 *
 * **When to use**
 *
 * Use to give one fiber at a time exclusive access to shared state across
 * several steps that wait (a read, a call, a write). Prefer
 * `lock.withLock(effect)`, which is `async with lock:`.
 *
 * **Details**
 *
 * - `acquire` waits until the lock is free and takes it; `release` hands it
 *   to the fiber that has waited longest (FIFO), so a newcomer never
 *   overtakes a waiter.
 * - Interrupting a fiber that waits for the lock takes it out of the line:
 *   it never gets the lock, and the lock is never lost, even when the
 *   interruption comes just as the lock is handed to it.
 * - `withLock(effect)` waits interruptibly, then takes the lock and arranges
 *   its release in one uninterruptible step, so the lock is released however
 *   `effect` ends (success, failure, defect, interruption).
 *
 * **Gotchas**
 *
 * As in asyncio, a lock has no owner: any fiber may release a held lock, and
 * a fiber that acquires it twice waits for itself forever. `release` on a
 * lock that is not locked is misuse: the effect dies with
 * `Cause.IllegalArgumentError` (asyncio raises `RuntimeError`). A bare
 * `acquire` followed by `release` leaks the lock if the fiber is interrupted
 * in between: use `withLock`.
 *
 * **Example** (One writer at a time)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const lock = yield* aio.makeLock()
 *   const log: Array<string> = []
 *   const write = (name: string) =>
 *     lock.withLock(Effect.gen(function*() {
 *       log.push(`${name} in`)
 *       yield* Effect.sleep("10 millis")
 *       log.push(`${name} out`)
 *     }))
 *
 *   yield* Effect.all([write("a"), write("b")], { concurrency: "unbounded" })
 *   return log
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "a in", "a out", "b in", "b out" ]
 * ```
 *
 * @see {@link makeSemaphore} for more than one holder at a time
 * @see {@link makeCondition} to wait for a change made under the lock
 * @category constructors
 * @since 0.1.0
 */
export const makeLock = (): Effect.Effect<Lock> => Effect.sync(() => new LockImpl())
