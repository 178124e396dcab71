/**
 * `sleep`: asyncio's `sleep(delay)` inside a workflow, on a durable timer.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { durableMillis } from "./internal/checks.ts"
import { deadline } from "./internal/deadline.ts"
import { callSite, checkName, claimName } from "./internal/naming.ts"
import { race } from "./internal/race.ts"
import { parked, runVerb } from "./internal/workflow.ts"

/**
 * Options of {@link sleep}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SleepOptions {
  /** The timer's name. Default: the call site, as for {@link activity}. */
  readonly name?: string | undefined
}

/**
 * Waits inside a workflow, like `asyncio.sleep(delay)`, on a durable timer:
 * the deadline is recorded when the workflow first reaches the sleep, and a
 * replay, after a restart or on another machine, waits only for what is left.
 *
 * **When to use**
 *
 * Use for any wait inside a workflow (`Effect.sleep` there would start over
 * on every replay, and keeps no record).
 *
 * **Details**
 *
 * - The deadline is read once from the `Clock` and recorded.
 * - While the run has nothing else to do, a sleep due within
 *   {@link InMemoryThreshold} (60 s by default) waits in memory, on time; a
 *   longer one suspends the run, which the engine replays when its durable
 *   clock fires, up to the engine's poll interval late.
 * - `sleep(0)` yields once and records nothing; an infinite duration
 *   suspends the run for good.
 *
 * **Gotchas**
 *
 * A NaN or negative duration, a missing one, or use outside a workflow dies
 * with `Cause.IllegalArgumentError`.
 *
 * **Example** (Five minutes between two steps)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Clock, Effect, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Reminder = Workflow.make("Reminder", { payload: {}, success: Schema.Number, idempotencyKey: () => "reminder" })
 *
 * // The time is read in activities: their results are recorded, so a replay sees the same times.
 * const now = () => durable.activity(Clock.currentTimeMillis)
 *
 * const ReminderLive = Reminder.toLayer(() =>
 *   Effect.gen(function*() {
 *     const sent = yield* now()
 *     // Longer than durable.InMemoryThreshold: the run suspends, and the engine
 *     // runs it again when the timer fires; that run waits only for what is left.
 *     yield* durable.sleep("5 minutes")
 *     const checked = yield* now()
 *     return Math.round((checked - sent) / 60_000)
 *   })
 * )
 *
 * const program = Reminder.execute({}).pipe(Effect.provide(ReminderLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => 5
 * ```
 *
 * @see {@link waitFor}
 * @category delays & timeouts
 * @since 0.1.0
 */
export const sleep = (
  duration: Duration.Input,
  options?: SleepOptions
): Effect.Effect<void, never, WorkflowEngine | WorkflowInstance> => {
  const site = callSite(sleep)
  return Effect.suspend(() => {
    const millis = durableMillis("sleep", "duration", duration, false)
    const explicit = checkName("sleep", options?.name)
    return runVerb("sleep", (parent) =>
      Effect.gen(function*() {
        const key = claimName("sleep", parent, site, explicit)
        if (millis === 0) return yield* Effect.yieldNow
        // Forever: suspend the run, which nothing but an interrupt ends.
        if (millis === Infinity) return parked
        const timer = yield* deadline(key, millis)
        return yield* race({
          fn: "sleep",
          parent,
          key,
          steps: [] as ReadonlyArray<Effect.Effect<never>>,
          order: [],
          concurrency: 1,
          deadline: timer,
          onEnd: () => Effect.die("sleep: no branch can end"),
          onDeadline: () => Effect.void
        })
      }))
  })
}
