/**
 * `timeout`: asyncio's `async with timeout(delay):` inside a workflow, on a
 * durable timer.
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { misuse, show } from "../internal/validate.ts"
import { runBounded } from "./internal/bounded.ts"
import { durableMillis } from "./internal/checks.ts"
import { callSite, checkName } from "./internal/naming.ts"
import type { BoundedOptions } from "./waitFor.ts"

/**
 * Runs a body of durable steps under a durable deadline, like
 * `async with asyncio.timeout(delay):`; when the deadline passes first, the
 * body is interrupted and `timeout` fails with `Cause.TimeoutError`. The
 * outcome is recorded, so a replay takes the same branch.
 *
 * **When to use**
 *
 * Use to put one time limit on several steps in sequence (reserve, then
 * confirm), where the limit must hold across restarts.
 *
 * **Details**
 *
 * - The same as {@link waitFor}, in the argument order of asyncio's
 *   `timeout`: the delay first, the body last; data-last as
 *   `body.pipe(timeout(delay))`.
 * - `delay` of `null`, `undefined` or an infinite duration: no limit.
 *
 * **Gotchas**
 *
 * There is no durable `Timeout` handle (`when`, `reschedule`, `expired`): a
 * rescheduled deadline would be one more decision to record; nest another
 * `timeout` instead. A NaN or negative delay, an empty or reused name, and
 * use outside a workflow die with `Cause.IllegalArgumentError`.
 *
 * **Example** (Reserving and confirming within a minute)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Effect, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Booking = Workflow.make("Booking", { payload: {}, success: Schema.String, idempotencyKey: () => "booking" })
 *
 * const reserve = durable.activity(Effect.sleep("20 seconds").pipe(Effect.as("r-1")))
 * const confirm = (id: string) => durable.activity(Effect.sleep("50 seconds").pipe(Effect.as(`${id} confirmed`)))
 *
 * // Each step takes less than a minute; the two together take more.
 * const BookingLive = Booking.toLayer(() =>
 *   durable.timeout("1 minute", Effect.flatMap(reserve, confirm)).pipe(
 *     Effect.catchTag("TimeoutError", () => Effect.succeed("no booking within a minute"))
 *   )
 * )
 *
 * const program = Booking.execute({}).pipe(Effect.provide(BookingLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => "no booking within a minute"
 * ```
 *
 * @see {@link waitFor}
 * @category delays & timeouts
 * @since 0.1.0
 */
export const timeout: {
  (
    delay: Duration.Input | null | undefined,
    options?: BoundedOptions
  ): <A, E, R>(
    body: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | Cause.TimeoutError, R | WorkflowEngine | WorkflowInstance>
  <A, E, R>(
    delay: Duration.Input | null | undefined,
    body: Effect.Effect<A, E, R>,
    options?: BoundedOptions
  ): Effect.Effect<A, E | Cause.TimeoutError, R | WorkflowEngine | WorkflowInstance>
} = function(...args: ReadonlyArray<any>): any {
  // The call site is read when `timeout` itself is called, in both forms.
  const site = callSite(timeout)
  const run = (delay: unknown, body: unknown, options: BoundedOptions | undefined) =>
    Effect.suspend(() => {
      if (!Effect.isEffect(body)) throw misuse(`timeout: body must be an Effect, got ${show(body)}`)
      const millis = durableMillis("timeout", "delay", delay, true)
      return runBounded("timeout", site, checkName("timeout", options?.name), body, millis)
    })
  return Effect.isEffect(args[1])
    ? run(args[0], args[1], args[2])
    : (body: unknown) => run(args[0], body, args[1])
}
