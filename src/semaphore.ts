/**
 * `makeSemaphore` and `makeBoundedSemaphore`: asyncio's `Semaphore` and
 * `BoundedSemaphore`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import { Permits } from "./internal/permits.ts"
import { misuse, wholeNumberAtLeast } from "./internal/validate.ts"

const TypeId = "~effect-asyncio/Semaphore" as const

/**
 * A counting semaphore, like `asyncio.Semaphore` and
 * `asyncio.BoundedSemaphore`. Users get one from {@link makeSemaphore} or
 * {@link makeBoundedSemaphore}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Semaphore extends Inspectable.Inspectable {
  readonly [TypeId]: typeof TypeId
  /**
   * Takes a permit, waiting in line while there is none; returns `true`
   * (`await sem.acquire()`). Interrupted while waiting, it takes nothing.
   */
  readonly acquire: Effect.Effect<true>
  /**
   * Gives a permit back (`sem.release()`), to the fiber that has waited
   * longest if any. On a bounded semaphore, a release above the initial
   * value is misuse.
   */
  readonly release: Effect.Effect<void>
  /** Whether `acquire` would wait: no permit free, or fibers already waiting (`sem.locked()`). */
  readonly locked: Effect.Effect<boolean>
  /** The permits free now (asyncio's `_value`). */
  readonly value: Effect.Effect<number>
  /** Runs `effect` holding a permit and gives it back however `effect` ends (`async with sem:`). */
  withPermit<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
}

class SemaphoreImpl extends Inspectable.Class implements Semaphore {
  readonly [TypeId] = TypeId
  readonly permits: Permits
  /** The initial value of a bounded semaphore, `undefined` for an unbounded one. */
  readonly bound: number | undefined
  readonly acquire: Effect.Effect<true>
  readonly release: Effect.Effect<void>
  readonly locked: Effect.Effect<boolean>
  readonly value: Effect.Effect<number>

  constructor(value: number, bounded: boolean) {
    super()
    const permits = new Permits(value)
    this.permits = permits
    this.bound = bounded ? value : undefined
    this.acquire = permits.acquire
    this.release = Effect.withFiber((fiber) => {
      // Permits being handed to a waiter are held: only free ones count.
      if (this.bound !== undefined && permits.free >= this.bound) {
        return Effect.die(
          misuse(`BoundedSemaphore.release: cannot release above the initial value ${this.bound}`)
        )
      }
      permits.releaseUnsafe(fiber)
      return Effect.void
    })
    // asyncio's `locked()`: whether `acquire` would wait.
    this.locked = Effect.sync(() => permits.free === 0 || permits.line.size > 0 || permits.inFlight > 0)
    this.value = Effect.sync(() => permits.free)
  }

  readonly withPermit = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => this.permits.with(effect)

  toJSON(): unknown {
    return {
      _id: this.bound === undefined ? "Semaphore" : "BoundedSemaphore",
      value: this.permits.free,
      waiters: this.permits.line.size
    }
  }
}

/**
 * Makes a semaphore with `value` permits, like `asyncio.Semaphore(value)`:
 * at most `value` fibers hold a permit at a time; the others wait in line.
 *
 * **When to use**
 *
 * Use to bound how many fibers do something at once (calls to a rate-limited
 * service, open files), around code you do not start yourself. To run a
 * known list of effects with a bound, `gather` with `concurrency` is simpler.
 *
 * **Details**
 *
 * - `acquire` takes a permit or waits; `release` gives one back, handing it
 *   straight to the fiber that has waited longest (FIFO), so a newcomer
 *   never overtakes a waiter.
 * - `locked` is `true` when `acquire` would wait; `value` is the number of
 *   free permits. `release` may raise the value above the initial one, as in
 *   asyncio (use {@link makeBoundedSemaphore} to forbid that).
 * - An interrupted waiter takes nothing and loses nothing, even when a
 *   permit was being handed to it at that moment: the permit goes to the
 *   next waiter.
 * - `withPermit(effect)` holds a permit while `effect` runs and gives it back
 *   however `effect` ends.
 *
 * **Gotchas**
 *
 * `value` must be a whole number of at least 0: a negative, fractional or
 * NaN value makes the effect die with `Cause.IllegalArgumentError` (asyncio
 * raises `ValueError` for a negative one). Unlike Effect's `Semaphore`, one
 * call takes one permit, as in asyncio.
 *
 * **Example** (At most two requests at a time)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const sem = yield* aio.makeSemaphore(2)
 *   let running = 0
 *   let most = 0
 *   const request = sem.withPermit(Effect.gen(function*() {
 *     most = Math.max(most, ++running)
 *     yield* Effect.sleep("10 millis")
 *     running--
 *   }))
 *
 *   yield* aio.gather([request, request, request, request, request])
 *   return most
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => 2
 * ```
 *
 * @see {@link makeBoundedSemaphore} to catch a release too many
 * @see {@link makeLock} for one holder at a time
 * @category constructors
 * @since 0.1.0
 */
export const makeSemaphore = (value: number = 1): Effect.Effect<Semaphore> =>
  Effect.sync(() => new SemaphoreImpl(wholeNumberAtLeast("makeSemaphore", "value", value, 0), false))

/**
 * Makes a bounded semaphore, like `asyncio.BoundedSemaphore(value)`: a
 * semaphore for which a release above the initial value is a bug.
 *
 * **When to use**
 *
 * Use instead of {@link makeSemaphore} whenever every `release` pairs with an
 * `acquire`, so that a release too many is caught where it happens.
 *
 * **Details**
 *
 * Everything is as for {@link makeSemaphore}; `release` when every permit is
 * already free dies with `Cause.IllegalArgumentError` (asyncio raises
 * `ValueError`), before anything changes. A permit being handed to a waiter
 * counts as held.
 *
 * **Gotchas**
 *
 * The same checks of `value` as {@link makeSemaphore}.
 *
 * **Example** (A release too many)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Cause, Effect, Exit } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const sem = yield* aio.makeBoundedSemaphore(1)
 *   yield* sem.acquire
 *   yield* sem.release
 *   return yield* Effect.exit(sem.release)
 * })
 *
 * Effect.runPromise(program).then((exit) =>
 *   console.log(Exit.isFailure(exit) && Cause.pretty(exit.cause).includes("above the initial value 1"))
 * )
 * // => true
 * ```
 *
 * @see {@link makeSemaphore}
 * @category constructors
 * @since 0.1.0
 */
export const makeBoundedSemaphore = (value: number = 1): Effect.Effect<Semaphore> =>
  Effect.sync(() => new SemaphoreImpl(wholeNumberAtLeast("makeBoundedSemaphore", "value", value, 0), true))
