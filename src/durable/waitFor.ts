/**
 * `waitFor`: asyncio's `wait_for(aw, timeout)` inside a workflow, on a
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

/**
 * Options of {@link waitFor} and `timeout`.
 *
 * @category models
 * @since 0.1.0
 */
export interface BoundedOptions {
  /** The name of the step, under which its body is named. Default: the call site. */
  readonly name?: string | undefined
}

/**
 * Runs a durable step with a durable time limit, like
 * `asyncio.wait_for(aw, timeout)`: when the limit passes first, the step is
 * interrupted and `waitFor` fails with `Cause.TimeoutError`. Which side won
 * is recorded, so a replay takes the same branch, whenever it runs.
 *
 * **When to use**
 *
 * Use to bound a slow activity (a payment provider, a human approval) inside
 * a workflow, where the limit must hold across restarts.
 *
 * **Details**
 *
 * - The deadline is read once from the `Clock`, when the workflow first
 *   reaches `waitFor`, and recorded; a replay waits only for what is left,
 *   and the outcome (the step's result or the timeout) is recorded before
 *   `waitFor` returns.
 * - A replay after a timeout fails at once without running the step again; a
 *   replay after the step won runs it again, and it returns its recorded
 *   result.
 * - The step runs under its own name path (`name/0/`).
 * - `timeout` of `null`, `undefined` or an infinite duration: no limit, and
 *   nothing is recorded.
 * - Callable data-first, `waitFor(step, timeout)`, or data-last,
 *   `step.pipe(waitFor(timeout))`.
 *
 * **Gotchas**
 *
 * While the step runs, the timer waits in memory and fires on time; only when
 * the step itself waits on a durable timer may the run suspend, and then the
 * engine wakes it up to its poll interval late. An interrupted activity may
 * still finish on an engine that runs it elsewhere; its result is then
 * ignored. A NaN or negative timeout, an empty or reused name, and use
 * outside a workflow die with `Cause.IllegalArgumentError`.
 *
 * **Example** (A payment that must answer within 30 seconds)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { type Duration, Effect, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Payments = Workflow.make("Payments", {
 *   payload: {},
 *   success: Schema.Array(Schema.String),
 *   idempotencyKey: () => "payments"
 * })
 *
 * const pay = (provider: string, answersAfter: Duration.Input) =>
 *   durable.activity(Effect.sleep(answersAfter).pipe(Effect.as(`paid with ${provider}`))).pipe(
 *     durable.waitFor("30 seconds"),
 *     Effect.catchTag("TimeoutError", () => Effect.succeed(`${provider} did not answer`))
 *   )
 *
 * const PaymentsLive = Payments.toLayer(() => Effect.all([pay("fast", "10 seconds"), pay("slow", "45 seconds")]))
 *
 * const program = Payments.execute({}).pipe(Effect.provide(PaymentsLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => ["paid with fast", "slow did not answer"]
 * ```
 *
 * @see {@link timeout}
 * @category delays & timeouts
 * @since 0.1.0
 */
export const waitFor: {
  (
    timeout?: Duration.Input | null | undefined,
    options?: BoundedOptions
  ): <A, E, R>(
    step: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | Cause.TimeoutError, R | WorkflowEngine | WorkflowInstance>
  <A, E, R>(
    step: Effect.Effect<A, E, R>,
    timeout?: Duration.Input | null | undefined,
    options?: BoundedOptions
  ): Effect.Effect<A, E | Cause.TimeoutError, R | WorkflowEngine | WorkflowInstance>
} = function(...args: ReadonlyArray<any>): any {
  // Not `Function.dual`: the call site must be read when `waitFor` itself is
  // called, and an omitted timeout would make the arity ambiguous.
  const site = callSite(waitFor)
  const run = (step: unknown, timeout: unknown, options: BoundedOptions | undefined) =>
    Effect.suspend(() => {
      if (!Effect.isEffect(step)) throw misuse(`waitFor: step must be an Effect, got ${show(step)}`)
      const millis = durableMillis("waitFor", "timeout", timeout, true)
      return runBounded("waitFor", site, checkName("waitFor", options?.name), step, millis)
    })
  return Effect.isEffect(args[0])
    ? run(args[0], args[1], args[2])
    : (step: unknown) => run(step, args[0], args[1])
}
