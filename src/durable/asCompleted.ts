/**
 * `asCompleted`: asyncio's `as_completed(aws, timeout=...)` inside a
 * workflow, over durable steps.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { checkEffects, concurrencyLimit, isCollection, misuse, show } from "../internal/validate.ts"
import { durableMillis } from "./internal/checks.ts"
import { deadline } from "./internal/deadline.ts"
import { readEntry, writeEntry } from "./internal/journal.ts"
import { callSite, checkName, claimName } from "./internal/naming.ts"
import { race } from "./internal/race.ts"
import { parked, runVerb } from "./internal/workflow.ts"

/**
 * Options of {@link asCompleted}.
 *
 * @category models
 * @since 0.1.0
 */
export interface AsCompletedOptions {
  /**
   * The longest time for all the steps, on a durable timer; when it passes
   * first, the stream fails with `Cause.TimeoutError` after the results
   * already delivered. `null`, `undefined` or an infinite duration: no limit.
   */
  readonly timeout?: Duration.Input | null | undefined
  /**
   * How many steps run at a time: a whole number of at least 1, or
   * `"unbounded"`.
   *
   * @default "unbounded"
   */
  readonly concurrency?: number | "unbounded" | undefined
  /** The name of the stream, under which its steps are named. Default: the call site. */
  readonly name?: string | undefined
}

/**
 * `Cause.TimeoutError` when the options of {@link asCompleted} set a
 * timeout, `never` otherwise.
 *
 * @category models
 * @since 0.1.0
 */
export type TimeoutErrorOf<O> = O extends { readonly timeout: infer T } ?
  [T] extends [null | undefined] ? never : Cause.TimeoutError
  : never

/** Journal value of a delivery that was the timeout. */
const timedOut = -1

/**
 * Runs durable steps concurrently inside a workflow and streams their
 * results in the order they finish, like `asyncio.as_completed`. Each
 * delivery is recorded before the stream emits it, so a replay delivers the
 * same results in the same order.
 *
 * **When to use**
 *
 * Use to act on each result as soon as it is there (notify, start the next
 * step) while the others are still running.
 *
 * **Details**
 *
 * - A replay first delivers what the run recorded, in the recorded order
 *   (each step returns its recorded result), then runs the steps not yet
 *   delivered.
 * - Each step runs under its own name path (`name/index/`).
 * - The stream owns the steps: when the consumer stops early, a step fails,
 *   or the timeout passes, the unfinished ones are interrupted.
 * - A failing step fails the stream with its error (recorded like a value).
 *
 * **Gotchas**
 *
 * A NaN or negative timeout, a bad concurrency, an empty or reused name, and
 * use outside a workflow make the stream die with
 * `Cause.IllegalArgumentError`.
 *
 * **Example** (Shipping each parcel as soon as it is packed)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { type Duration, Effect, Layer, Schema, Stream } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Shipping = Workflow.make("Shipping", {
 *   payload: {},
 *   success: Schema.Array(Schema.String),
 *   idempotencyKey: () => "shipping"
 * })
 *
 * const pack = (parcel: string, delay: Duration.Input) => durable.activity(Effect.sleep(delay).pipe(Effect.as(parcel)))
 * const ship = (parcel: string) => durable.activity(Effect.succeed(`shipped ${parcel}`))
 *
 * const ShippingLive = Shipping.toLayer(() =>
 *   durable.asCompleted([pack("crate", "3 seconds"), pack("letter", "1 second")]).pipe(
 *     Stream.mapEffect(ship),
 *     Stream.runCollect
 *   )
 * )
 *
 * const program = Shipping.execute({}).pipe(Effect.provide(ShippingLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => ["shipped letter", "shipped crate"]
 * ```
 *
 * **Example** (No timeout, no TimeoutError)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { type Duration, Effect, Layer, Schema, Stream } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Quotes = Workflow.make("Quotes", {
 *   payload: {},
 *   success: Schema.Array(Schema.Number),
 *   idempotencyKey: () => "quotes"
 * })
 *
 * const quote = (price: number, delay: Duration.Input) => durable.activity(Effect.sleep(delay).pipe(Effect.as(price)))
 *
 * // Without a timeout the stream cannot fail with a TimeoutError, so the
 * // workflow needs no error schema for one.
 * //
 * //      ┌─── Stream<number, never, WorkflowEngine | WorkflowInstance>
 * //      ▼
 * const quotes = durable.asCompleted([quote(12, "2 seconds"), quote(10, "1 second")])
 *
 * const QuotesLive = Quotes.toLayer(() => Stream.runCollect(quotes))
 *
 * const program = Quotes.execute({}).pipe(Effect.provide(QuotesLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => [10, 12]
 * ```
 *
 * @see {@link wait}
 * @category combinators
 * @since 0.1.0
 */
export const asCompleted = <A, E, R, O extends AsCompletedOptions = {}>(
  steps: Iterable<Effect.Effect<A, E, R>>,
  options?: O
): Stream.Stream<A, E | TimeoutErrorOf<O>, R | WorkflowEngine | WorkflowInstance> => {
  const site = callSite(asCompleted)
  return Stream.callback<A, E | Cause.TimeoutError, R | WorkflowEngine | WorkflowInstance>((queue) =>
    Effect.suspend(() => {
      if (!isCollection(steps)) throw misuse(`asCompleted: steps must be an iterable of effects, got ${show(steps)}`)
      const list = Array.from(steps)
      checkEffects("asCompleted", list)
      const concurrency = concurrencyLimit("asCompleted", options?.concurrency)
      const millis = durableMillis("asCompleted", "timeout", options?.timeout, true)
      const explicit = checkName("asCompleted", options?.name)
      const timeoutError = () => new Cause.TimeoutError(`asCompleted: timed out after ${millis} ms`)
      const delivered = new Set<number>()
      // Emits one result; a failure ends the stream.
      const deliver = (index: number, exit: Exit.Exit<A, E>) => {
        delivered.add(index)
        return exit._tag === "Success"
          ? Effect.as(Queue.offer(queue, exit.value), exit._tag)
          : Effect.as(Queue.failCause(queue, exit.cause), exit._tag)
      }

      return runVerb("asCompleted", (parent) =>
        Effect.gen(function*() {
          const key = claimName("asCompleted", parent, site, explicit)
          const base = { fn: "asCompleted", parent, key, steps: list, concurrency } as const
          let count = 0
          // Replay the recorded deliveries, in order.
          while (true) {
            const recorded = yield* readEntry(`${key}/${count}`)
            if (Option.isNone(recorded)) break
            count++
            if (recorded.value === timedOut) return yield* Queue.fail(queue, timeoutError())
            const index = recorded.value as number
            const exit = yield* race({ ...base, order: [index], onEnd: (_, exit) => Effect.succeedSome(exit) })
            if (exit === parked) return parked
            if ((yield* deliver(index, exit)) === "Failure") return
          }
          if (delivered.size === list.length) return yield* Queue.end(queue)

          const timer = millis === Infinity ? undefined : yield* deadline(`${key}/deadline`, millis)
          const outcome = yield* race({
            ...base,
            order: list.map((_, i) => i).filter((i) => !delivered.has(i)),
            deadline: timer,
            onEnd: (index, exit) =>
              Effect.gen(function*() {
                yield* writeEntry(`${key}/${count++}`, index)
                const delivery = yield* deliver(index, exit)
                return delivery === "Failure" || delivered.size === list.length ? Option.some(delivery) : Option.none()
              }),
            onDeadline: () =>
              Effect.andThen(
                writeEntry(`${key}/${count}`, timedOut),
                Effect.as(Queue.fail(queue, timeoutError()), "Failure")
              )
          })
          if (outcome === parked) return parked
          if (outcome === "Success") yield* Queue.end(queue)
        }))
    }).pipe(
      // A producer that suspends the run ends interrupted: pass that on to
      // the consumer, which then suspends too.
      Effect.onExit((exit) => exit._tag === "Failure" ? Queue.failCause(queue, exit.cause) : Effect.void)
    )
  ) as Stream.Stream<A, E | TimeoutErrorOf<O>, R | WorkflowEngine | WorkflowInstance>
}
