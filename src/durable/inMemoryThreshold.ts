/**
 * The threshold between a durable timer that waits in memory and one that
 * suspends its run; see {@link InMemoryThreshold}.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"

/**
 * A durable timer with nothing else to wait for in its run waits in memory
 * when it is due within this duration, and suspends the run otherwise.
 *
 * **Details**
 *
 * Waiting in memory keeps the run (and a fiber) alive, and fires on time;
 * suspending frees the run, which the engine replays when its durable clock
 * fires, late by up to the engine's poll interval. Both are durable: the
 * deadline is recorded either way. Provide a different value around a
 * workflow's handler with `Effect.provideService`.
 *
 * @category references
 * @since 0.1.0
 */
export const InMemoryThreshold = Context.Reference<Duration.Duration>("effect-asyncio/durable/InMemoryThreshold", {
  defaultValue: () => Duration.seconds(60)
})
