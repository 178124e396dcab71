/**
 * Progress of a `gather`, `taskGroup` or `asCompleted`, as counts in a
 * `SubscriptionRef` (beyond asyncio, whose answer is `as_completed` and a
 * counter of your own).
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as SubscriptionRef from "effect/SubscriptionRef"

/**
 * How far some concurrent work has come. `total = done + running + queued`
 * always holds, and `failed` and `cancelled` are parts of `done`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Progress {
  /** Every effect or task the work was given (for a task group: created so far). */
  readonly total: number
  /** Finished, whichever way: succeeded, failed or cancelled (asyncio's `done()`). */
  readonly done: number
  /** Finished with a typed failure or a defect. */
  readonly failed: number
  /** Finished interrupted, or never started because the work stopped early. */
  readonly cancelled: number
  /** Started and not finished. */
  readonly running: number
  /** Waiting for a place under `concurrency`. */
  readonly queued: number
}

/**
 * A `SubscriptionRef` of {@link Progress} counts, all zero, for the
 * `progress` option of `gather`, `taskGroup` and `asCompleted`.
 *
 * **Details**
 *
 * - The primitive adds to the counts as its work starts and finishes, so one
 *   ref given to several calls adds them up.
 * - Read it with `SubscriptionRef.get`, or follow it with
 *   `SubscriptionRef.changes` (a `Stream` of every update, starting with the
 *   current counts).
 * - Nothing is counted, and nothing costs, where no ref is given.
 *
 * **Example** (Counting as the work finishes)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber, SubscriptionRef } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const progress = yield* aio.makeProgress()
 *   const jobs = [100, 200, 300].map((ms) => Effect.sleep(ms))
 *   const running = yield* Effect.forkChild(aio.gather(jobs, { concurrency: 2, progress }))
 *   yield* Effect.sleep(150)
 *   const halfway = yield* SubscriptionRef.get(progress)
 *   yield* Fiber.join(running)
 *   return [halfway, yield* SubscriptionRef.get(progress)]
 * })
 *
 * Effect.runPromise(program).then(([halfway, end]) => {
 *   console.log(halfway)
 *   console.log(end)
 * })
 * // => { total: 3, done: 1, failed: 0, cancelled: 0, running: 2, queued: 0 }
 * // => { total: 3, done: 3, failed: 0, cancelled: 0, running: 0, queued: 0 }
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeProgress = (): Effect.Effect<SubscriptionRef.SubscriptionRef<Progress>> =>
  SubscriptionRef.make<Progress>({ total: 0, done: 0, failed: 0, cancelled: 0, running: 0, queued: 0 })
