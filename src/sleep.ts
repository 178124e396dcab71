/**
 * `sleep`: `asyncio.sleep`, on Effect's `Clock`.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { durationMillis, misuse, show } from "./internal/validate.ts"

/**
 * Suspends the fiber for `duration`, like `await asyncio.sleep(delay)`:
 * `Effect.sleep` on the `Clock` (so `TestClock` drives it), except that a
 * duration of zero or less yields to the other fibers once, as asyncio's
 * `sleep(0)` does, where `Effect.sleep(0)` returns without yielding.
 *
 * **When to use**
 *
 * Use where asyncio code sleeps: a delay between retries, a tick of a
 * ticker, or `sleep(0)` to let other fibers run in a long loop.
 *
 * **Details**
 *
 * - `duration`: a `Duration.Input` (`"100 millis"`, a number of
 *   milliseconds, a `Duration`); an infinite one never ends.
 * - Interrupting the fiber ends the sleep at once.
 *
 * **Gotchas**
 *
 * A NaN duration, `null` or `undefined` makes the effect die with
 * `Cause.IllegalArgumentError`. asyncio's `sleep(delay, result)` returns
 * `result`: write `Effect.as(aio.sleep(delay), result)`.
 *
 * **Example** (`sleep(0)` lets another fiber run)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const log: Array<string> = []
 *   yield* aio.createTask(Effect.sync(() => log.push("other fiber")))
 *   yield* aio.sleep(0)
 *   log.push("after sleep(0)")
 *   return log
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "other fiber", "after sleep(0)" ]
 * ```
 *
 * @see {@link timeout} to bound work rather than wait
 * @category delays & timeouts
 * @since 0.1.0
 */
export const sleep = (duration: Duration.Input): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (duration === null || duration === undefined) {
      throw misuse(`sleep: duration must be a duration, got ${show(duration)}`)
    }
    const millis = durationMillis("sleep", "duration", duration)
    if (millis <= 0) return Effect.yieldNow
    if (millis === Infinity) return Effect.never
    return Effect.sleep(duration)
  })
