/**
 * `activity`: one durable step, the unit the engine records. Temporal's
 * `workflow.execute_activity`, DBOS's `@DBOS.step()`, Restate's `ctx.run`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Activity from "effect/workflow/Activity"
import { type WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { misuse, show } from "../internal/validate.ts"
import { callSite, checkName, claimName, setPath } from "./internal/naming.ts"
import { currentInstance } from "./internal/workflow.ts"

/**
 * Options of {@link activity}.
 *
 * @category models
 * @since 0.1.0
 */
export interface ActivityOptions<A, E> {
  /**
   * The name the engine records the result under. Default: the call site of
   * `activity` with a counter, under the path of the verb branch it runs in.
   * An explicit name survives edits of the code around it; it must be used
   * once per run of the workflow.
   */
  readonly name?: string | undefined
  /**
   * How the value is stored. Default: JSON data (`null`, booleans, finite
   * numbers, strings, arrays and plain objects of those); a `void` result
   * comes back as `null`.
   */
  readonly success?: Schema.Codec<A, any> | undefined
  /**
   * How a typed failure is stored. Required when the effect can fail.
   */
  readonly error?: Schema.Codec<E, any> | undefined
}

/**
 * The schemas {@link activity} cannot do without: one for a value that is not
 * JSON data, one for a typed failure.
 *
 * @category models
 * @since 0.1.0
 */
export type RequiredSchemas<A, E> =
  & ([A] extends [Schema.Json | void | undefined] ? {} : { readonly success: Schema.Codec<A, any> })
  & ([E] extends [never] ? {} : { readonly error: Schema.Codec<E, any> })

/**
 * The options argument of {@link activity}: optional when no schema is
 * required.
 *
 * @category models
 * @since 0.1.0
 */
export type ActivityArgs<A, E> = {} extends RequiredSchemas<A, E> ? [options?: ActivityOptions<A, E>]
  : [options: ActivityOptions<A, E> & RequiredSchemas<A, E>]

// JSON data, checked when stored: a `Date`, a class instance or NaN is
// refused rather than stored as something else. `undefined` is stored as
// `null`, and comes back as `null`.
const jsonOrVoid = Schema.Union([Schema.Json, Schema.Undefined])

const checkSchema = (argument: string, schema: unknown): void => {
  if (schema !== undefined && !Schema.isSchema(schema)) {
    throw misuse(`activity: ${argument} must be a Schema, got ${show(schema)}`)
  }
}

/**
 * Makes an effect one durable step of a workflow: the engine runs it, records
 * its outcome, and a replay returns the recorded outcome instead of running
 * it again. Inside a workflow, I/O belongs in activities.
 *
 * **When to use**
 *
 * Use for every piece of work with an effect on the world, or whose result
 * may differ between runs (a network call, a database write, a random
 * number): the verbs of this module ({@link gather}, {@link wait},
 * {@link asCompleted}, {@link waitFor}) compose activities.
 *
 * **Details**
 *
 * - Activities are at least once: the outcome is stored just after the body
 *   ends, so a crash in between runs the body again on resume. Give the
 *   outside world an idempotency key (`Activity.idempotencyKey(name)`).
 * - The name is the call site of `activity` (file base name, line, column)
 *   with a counter, under the path of the verb branch it runs in; or
 *   `options.name`. A name used twice in one run of a workflow dies with
 *   `Cause.IllegalArgumentError`: two steps with one name would share one
 *   recorded result.
 * - The value is stored as JSON data unless `options.success` is given; a
 *   typed failure needs `options.error` (the types ask for them).
 * - Steps inside the activity's effect are named under the activity's name.
 *
 * **Gotchas**
 *
 * Running it outside a workflow dies with `Cause.IllegalArgumentError`, as
 * does a non-string or empty name. Interrupting a running activity is a
 * request: an engine that runs it elsewhere may finish it anyway.
 *
 * **Example** (Charging a card once)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Effect, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * let charges = 0
 * const charge = (orderId: string) =>
 *   durable.activity(Effect.sync(() => `receipt-${orderId}-${++charges}`), { name: `charge-${orderId}` })
 *
 * const Order = Workflow.make("Order", {
 *   payload: { id: Schema.String },
 *   success: Schema.String,
 *   idempotencyKey: ({ id }) => id
 * })
 *
 * let runs = 0
 * const OrderLive = Order.toLayer(({ id }) =>
 *   Effect.gen(function*() {
 *     runs++
 *     const receipt = yield* charge(id)
 *     // Longer than durable.InMemoryThreshold: the run suspends, and the engine
 *     // runs the workflow again from the start when the timer fires.
 *     yield* durable.sleep("2 minutes")
 *     return receipt
 *   })
 * )
 *
 * const program = Order.execute({ id: "o-1" }).pipe(
 *   Effect.provide(OrderLive.pipe(Layer.provideMerge(durable.layerMemory)))
 * )
 *
 * // The workflow ran again after the timer; that run got the recorded receipt.
 * Effect.runPromise(program).then((receipt) => console.log({ receipt, replayed: runs > 1, charges }))
 * // => { receipt: "receipt-o-1-1", replayed: true, charges: 1 }
 * ```
 *
 * @see {@link gather}
 * @category constructors
 * @since 0.1.0
 */
export function activity<A extends Schema.Json | void | undefined, R>(
  effect: Effect.Effect<A, never, R>,
  options?: ActivityOptions<A, never>
): Effect.Effect<A, never, R | WorkflowEngine | WorkflowInstance>
export function activity<A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: ActivityOptions<A, E> & RequiredSchemas<A, E>
): Effect.Effect<A, E, R | WorkflowEngine | WorkflowInstance>
export function activity<A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: ActivityOptions<A, E>
): Effect.Effect<A, E, R | WorkflowEngine | WorkflowInstance> {
  // Two overloads rather than one signature with `...args: ActivityArgs<A, E>`:
  // a rest parameter whose type depends on `A` makes TypeScript infer
  // `unknown` for an effect built inline by a generic call
  // (`activity(Effect.as(Effect.sleep(1), 10))`).
  const site = callSite(activity)
  return Effect.suspend(() => {
    if (!Effect.isEffect(effect)) throw misuse(`activity: effect must be an Effect, got ${show(effect)}`)
    const explicit = checkName("activity", options?.name)
    checkSchema("success", options?.success)
    checkSchema("error", options?.error)
    return Effect.flatMap(currentInstance("activity"), (instance) => {
      const name = claimName("activity", instance, site, explicit)
      return Activity.make({
        name,
        success: (options?.success ?? jsonOrVoid) as Schema.Codec<A, any>,
        error: (options?.error ?? Schema.Never) as Schema.Codec<E, any>,
        // The steps inside the body are named under the activity's name.
        execute: Effect.flatMap(Effect.service(WorkflowInstance), (bodyInstance) => {
          setPath(bodyInstance, `${name}/`)
          return effect
        })
      })
    })
  })
}
