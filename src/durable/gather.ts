/**
 * `gather`: asyncio's `gather(*aws, return_exceptions=...)` inside a
 * workflow, over durable steps.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { checkEffects, concurrencyLimit, isCollection, misuse, show } from "../internal/validate.ts"
import { readEntry, writeEntry } from "./internal/journal.ts"
import { callSite, checkName, claimName } from "./internal/naming.ts"
import { race } from "./internal/race.ts"
import { parked, runVerb } from "./internal/workflow.ts"

type AnyEffect = Effect.Effect<unknown, unknown, unknown>

/**
 * Options of {@link gather}.
 *
 * @category models
 * @since 0.1.0
 */
export interface GatherOptions {
  /**
   * How many steps run at a time: a whole number of at least 1, or
   * `"unbounded"`.
   *
   * @default "unbounded"
   */
  readonly concurrency?: number | "unbounded" | undefined
  /**
   * When `true`, `gather` never fails: each slot holds the `Exit` of its step.
   *
   * @default false
   */
  readonly returnExceptions?: boolean | undefined
  /** The name of the gather, under which its steps are named. Default: the call site. */
  readonly name?: string | undefined
}

/**
 * The types of {@link gather}.
 *
 * @category models
 * @since 0.1.0
 */
export declare namespace Gather {
  /** Whether the options ask for `Exit` slots. */
  export type IsExits<O> = [Extract<O, { readonly returnExceptions: true }>] extends [never] ? false : true

  /** One slot of the result: the value, or its `Exit`. */
  export type Slot<T, Exits extends boolean> = T extends Effect.Effect<infer A, infer E, infer _R>
    ? Exits extends true ? Exit.Exit<A, E> : A
    : never

  /** The result: same shape as the input (tuple, array or record). */
  export type Result<T, Exits extends boolean> = [T] extends [ReadonlyArray<AnyEffect>]
    ? { -readonly [K in keyof T]: Slot<T[K], Exits> }
    : [T] extends [Iterable<infer X>] ? Array<Slot<X, Exits>>
    : { -readonly [K in keyof T]: Slot<T[K], Exits> }

  /** The steps of the input, as a union. */
  export type Members<T> = [T] extends [Iterable<infer X>] ? X : T[keyof T]

  /** What `gather(steps, options)` returns. */
  export type Return<T, O> = Effect.Effect<
    Result<T, IsExits<O>>,
    IsExits<O> extends true ? never : Effect.Error<Members<T>>,
    Effect.Services<Members<T>> | WorkflowEngine | WorkflowInstance
  >
}

const readInput = (
  input: unknown
): { readonly keys: ReadonlyArray<string> | undefined; readonly steps: Array<AnyEffect> } => {
  if (isCollection(input)) return { keys: undefined, steps: Array.from(input as Iterable<AnyEffect>) }
  if (typeof input === "object" && input !== null && !Effect.isEffect(input)) {
    return { keys: Object.keys(input), steps: Object.values(input) }
  }
  throw misuse(`gather: steps must be an iterable or a record of effects, got ${show(input)}`)
}

/**
 * Runs durable steps concurrently inside a workflow and collects their
 * results in input order, like `asyncio.gather`; the first failure is
 * recorded, so a replay fails the same way.
 *
 * **When to use**
 *
 * Use to fan out activities (or whole sub-flows of activities and timers)
 * and wait for all of them, as in "charge the card, reserve the stock and
 * book the courier".
 *
 * **Details**
 *
 * - Input: a tuple, an iterable or a record of steps, as `Effect.all` takes;
 *   the result has the same shape and order.
 * - A step is any effect that is deterministic workflow code: an
 *   {@link activity}, another verb, or a sequence of them. Each runs under its
 *   own name path (`gather-name/index/`), so the activities inside it are
 *   named apart.
 * - First failure: recorded (which step failed), then the other steps are
 *   interrupted and `gather` fails with it. A replay runs only that step,
 *   whose outcome is recorded, and fails the same way, even if another step
 *   failed at nearly the same moment the first time.
 * - `returnExceptions: true`: never fails; each slot holds its step's
 *   `Exit`. Nothing is recorded: a replay gets the same outcomes from the
 *   steps' own records.
 * - A step waiting on a durable timer does not stop the others: when every
 *   step has finished or waits on something durable, the run suspends, and
 *   its replay picks up the finished steps' recorded results.
 * - Empty input succeeds at once.
 *
 * **Gotchas**
 *
 * Like the core's `gather`, the other steps stop at the first failure (asyncio
 * leaves them running). An error raised while an interrupted step cleans up
 * is logged, not raised: a replay would not repeat it. Bad arguments (a
 * concurrency that is not a whole number of at least 1, an input that is not
 * a collection of effects, an empty or reused name) and use outside a
 * workflow die with `Cause.IllegalArgumentError`.
 *
 * **Example** (Three activities at once)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Effect, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Checkout = Workflow.make("Checkout", {
 *   payload: {},
 *   success: Schema.Tuple([Schema.String, Schema.String, Schema.Number]),
 *   idempotencyKey: () => "checkout"
 * })
 *
 * // The three run at once and finish in another order; the results keep the input order.
 * const CheckoutLive = Checkout.toLayer(() =>
 *   durable.gather([
 *     durable.activity(Effect.sleep("2 seconds").pipe(Effect.as("charged"))),
 *     durable.activity(Effect.sleep("1 second").pipe(Effect.as("reserved"))),
 *     durable.activity(Effect.sleep("3 seconds").pipe(Effect.as(3)))
 *   ])
 * )
 *
 * const program = Checkout.execute({}).pipe(Effect.provide(CheckoutLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => ["charged", "reserved", 3]
 * ```
 *
 * @see {@link wait}
 * @category combinators
 * @since 0.1.0
 */
export const gather = <
  const T extends Iterable<AnyEffect> | { readonly [key: string]: AnyEffect },
  O extends GatherOptions = {}
>(steps: T, options?: O): Gather.Return<T, O> => {
  const site = callSite(gather)
  return Effect.suspend(() => {
    const input = readInput(steps)
    checkEffects("gather", input.steps)
    const concurrency = concurrencyLimit("gather", options?.concurrency)
    const returnExceptions = options?.returnExceptions === true
    const explicit = checkName("gather", options?.name)
    const count = input.steps.length
    const shape = (values: ReadonlyArray<unknown>): unknown =>
      input.keys === undefined ? values : Object.fromEntries(input.keys.map((key, i) => [key, values[i]]))

    return runVerb("gather", (parent) =>
      Effect.gen(function*() {
        const key = claimName("gather", parent, site, explicit)
        if (count === 0) return shape([])
        const failed = returnExceptions ? Option.none() : yield* readEntry(key)
        const slots: Array<unknown> = Array.from({ length: count })
        let pending = count
        const outcome = yield* race({
          fn: "gather",
          parent,
          key,
          steps: input.steps,
          // A recorded failure: replay only the step that failed.
          order: Option.isSome(failed) ? [failed.value as number] : input.steps.map((_, i) => i),
          concurrency,
          onEnd: (index, exit) =>
            Effect.gen(function*() {
              if (exit._tag === "Failure" && !returnExceptions) {
                if (Option.isNone(failed)) yield* writeEntry(key, index)
                return Option.some(exit)
              }
              if (Option.isSome(failed)) {
                return yield* Effect.die(
                  new Error(
                    `gather: the replay of step ${index} succeeded, but the run recorded that it failed; ` +
                      `workflow code must be deterministic (see docs/durable.md)`
                  )
                )
              }
              slots[index] = returnExceptions || exit._tag === "Failure" ? exit : exit.value
              return --pending === 0 ? Option.some(undefined) : Option.none()
            })
        })
        if (outcome === parked) return parked
        if (outcome !== undefined) return yield* outcome
        return shape(slots)
      }))
  }) as any
}
