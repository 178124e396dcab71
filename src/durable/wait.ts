/**
 * `wait`: asyncio's `wait(aws, timeout=..., return_when=...)` inside a
 * workflow, over durable steps, with the `ALL_COMPLETED`, `FIRST_COMPLETED`
 * and `FIRST_EXCEPTION` constants and `quorum(k)`.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { checkEffects, isCollection, misuse, quorumOf, show } from "../internal/validate.ts"
import { durableMillis } from "./internal/checks.ts"
import { deadline } from "./internal/deadline.ts"
import { readEntry, writeEntry } from "./internal/journal.ts"
import { callSite, checkName, claimName } from "./internal/naming.ts"
import { type Branches, race } from "./internal/race.ts"
import { runVerb } from "./internal/workflow.ts"

/**
 * `wait` returns when every step has finished (the default).
 *
 * @category constants
 * @since 0.1.0
 */
export const ALL_COMPLETED = "ALL_COMPLETED" as const

/**
 * `wait` returns as soon as any step has finished.
 *
 * @category constants
 * @since 0.1.0
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED" as const

/**
 * `wait` returns as soon as a step fails or dies, or when every step has
 * finished.
 *
 * @category constants
 * @since 0.1.0
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION" as const

/**
 * The `returnWhen` of a quorum wait: see {@link quorum}. The same shape as
 * the core's `Quorum`, so either constructor's value works with either
 * `wait`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Quorum {
  readonly _tag: "Quorum"
  /** How many steps must succeed. */
  readonly k: number
}

/**
 * `wait` returns as soon as `k` steps have succeeded, or as soon as so many
 * have failed, died or been interrupted that `k` successes are impossible
 * (beyond asyncio: quorum reads and writes, hedged calls). The core's
 * `aio.quorum(k)`, in this module's vocabulary: the two make the same value.
 *
 * **Details**
 *
 * - With a timeout, `wait` returns whatever holds when it passes.
 * - Which steps were done is recorded, as for every `returnWhen`, so a replay
 *   returns the same split even when every step answers at once.
 * - The rest stay pending and running, as with every `returnWhen`, until the
 *   fiber that called `wait` ends.
 * - `k` must be a whole number from 1 to the number of steps given to `wait`
 *   (each entry of `steps` is a step of its own); otherwise `wait` dies with
 *   `Cause.IllegalArgumentError`.
 *
 * **Example** (Two of three replicas)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { type Duration, Effect, Fiber, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Read = Workflow.make("Read", {
 *   payload: {},
 *   success: Schema.Array(Schema.String),
 *   idempotencyKey: () => "read"
 * })
 *
 * const replica = (name: string, delay: Duration.Input) => durable.activity(Effect.sleep(delay).pipe(Effect.as(name)))
 *
 * // Two answers are enough: the slow replica is still pending when `wait` returns.
 * const ReadLive = Read.toLayer(() =>
 *   Effect.gen(function*() {
 *     const { done } = yield* durable.wait(
 *       [replica("a", "1 second"), replica("b", "1 minute"), replica("c", "2 seconds")],
 *       { returnWhen: durable.quorum(2) }
 *     )
 *     return yield* Effect.forEach(done, Fiber.join)
 *   })
 * )
 *
 * const program = Read.execute({}).pipe(Effect.provide(ReadLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => ["a", "c"]
 * ```
 *
 * @see {@link wait}
 * @category constructors
 * @since 0.1.0
 */
export const quorum = (k: number): Quorum => ({ _tag: "Quorum", k })

/**
 * When {@link wait} returns.
 *
 * @category models
 * @since 0.1.0
 */
export type ReturnWhen = typeof ALL_COMPLETED | typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | Quorum

/**
 * Options of {@link wait}.
 *
 * @category models
 * @since 0.1.0
 */
export interface WaitOptions {
  /**
   * The longest time to wait, on a durable timer. When it passes, `wait`
   * returns what is done and what is pending; it never interrupts a step.
   * `null`, `undefined` or an infinite duration: no limit.
   */
  readonly timeout?: Duration.Input | null | undefined
  /**
   * When to return: {@link ALL_COMPLETED}, {@link FIRST_COMPLETED},
   * {@link FIRST_EXCEPTION}, or {@link quorum}`(k)`.
   *
   * @default ALL_COMPLETED
   */
  readonly returnWhen?: ReturnWhen | undefined
  /** The name of the wait, under which its steps are named. Default: the call site. */
  readonly name?: string | undefined
}

/**
 * What {@link wait} returns: the fibers of the steps that were done and of
 * those still running, each list in input order.
 *
 * @category models
 * @since 0.1.0
 */
export interface WaitResult<A, E> {
  readonly done: ReadonlyArray<Fiber.Fiber<A, E>>
  readonly pending: ReadonlyArray<Fiber.Fiber<A, E>>
}

const isException = (exit: Exit.Exit<unknown, unknown>): boolean =>
  exit._tag === "Failure" && !Cause.hasInterruptsOnly(exit.cause)

/**
 * Runs durable steps concurrently inside a workflow and returns when the
 * `returnWhen` condition holds or the timeout passes, like `asyncio.wait`:
 * the fibers of the steps that are done, and of those still running. Which
 * steps were done is recorded, so a replay returns the same split.
 *
 * **When to use**
 *
 * Use when the workflow acts on the first results while the rest go on (a
 * hedged request, the first of several quotes), or needs to know what was
 * done when a deadline passed.
 *
 * **Details**
 *
 * - Each step runs under its own name path (`wait-name/index/`), in its own
 *   fiber; `wait` starts them itself (a durable step cannot be a task that
 *   exists outside the workflow).
 * - The split is recorded before `wait` returns. A replay starts every step
 *   again: the done ones return their recorded results, the pending ones go
 *   on (an activity that finished meanwhile returns its result; one that was
 *   cut off by a crash runs again).
 * - The pending fibers keep running after `wait` returns; they are
 *   interrupted when the fiber that called `wait` ends. Join them later with
 *   `Fiber.join`. A pending step that then waits on a durable timer makes its
 *   joiner suspend the run.
 * - `FIRST_EXCEPTION` returns at the first step that fails or dies (one
 *   that was only interrupted is done but is no exception), or when all are
 *   done.
 * - {@link quorum}`(k)` (or the core's `aio.quorum(k)`, the same value)
 *   returns as soon as `k` steps have succeeded, or as soon as so many have
 *   failed, died or been interrupted that `k` successes are impossible. A
 *   step waiting on a durable timer counts as neither until it ends.
 * - `timeout`: a durable deadline. When it passes, `wait` returns what was
 *   done by then; it never fails with a timeout.
 *
 * **Gotchas**
 *
 * An empty list of steps, an unknown `returnWhen`, a `quorum(k)` whose `k` is
 * not a whole number from 1 to the number of steps (each entry of `steps` is
 * a step of its own), a NaN or negative timeout, an empty or reused name, and
 * use outside a workflow die with `Cause.IllegalArgumentError`.
 *
 * **Example** (The first quote wins)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { type Duration, Effect, Fiber, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 *
 * const Quotes = Workflow.make("Quotes", {
 *   payload: {},
 *   success: Schema.Struct({ first: Schema.Number, stillRunning: Schema.Number }),
 *   idempotencyKey: () => "quotes"
 * })
 *
 * const quote = (price: number, delay: Duration.Input) => durable.activity(Effect.sleep(delay).pipe(Effect.as(price)))
 *
 * const QuotesLive = Quotes.toLayer(() =>
 *   Effect.gen(function*() {
 *     const { done, pending } = yield* durable.wait(
 *       [quote(12, "3 seconds"), quote(10, "1 second")],
 *       { returnWhen: durable.FIRST_COMPLETED, timeout: "5 seconds" }
 *     )
 *     return { first: yield* Fiber.join(done[0]), stillRunning: pending.length }
 *   })
 * )
 *
 * const program = Quotes.execute({}).pipe(Effect.provide(QuotesLive.pipe(Layer.provideMerge(durable.layerMemory))))
 *
 * Effect.runPromise(program).then(console.log)
 * // => { first: 10, stillRunning: 1 }
 * ```
 *
 * @see {@link asCompleted}
 * @category combinators
 * @since 0.1.0
 */
export const wait = <A, E, R>(
  steps: Iterable<Effect.Effect<A, E, R>>,
  options?: WaitOptions
): Effect.Effect<WaitResult<A, E>, never, R | WorkflowEngine | WorkflowInstance> => {
  const site = callSite(wait)
  return Effect.suspend(() => {
    if (!isCollection(steps)) throw misuse(`wait: steps must be an iterable of effects, got ${show(steps)}`)
    const list = Array.from(steps)
    if (list.length === 0) throw misuse("wait: steps must not be empty")
    checkEffects("wait", list)
    const returnWhen = options?.returnWhen ?? ALL_COMPLETED
    // Every entry of `steps` is a step of its own (it runs under its own name): k counts entries.
    const k = quorumOf(returnWhen, list.length, "steps")
    const millis = durableMillis("wait", "timeout", options?.timeout, true)
    const explicit = checkName("wait", options?.name)
    const everyIndex = list.map((_, i) => i)

    const split = (done: ReadonlyArray<number>, branches: Branches<A, E>): WaitResult<A, E> => ({
      done: done.slice().sort((a, b) => a - b).map((i) => branches.fibers[i]!),
      pending: everyIndex.filter((i) => !done.includes(i)).map((i) => branches.fibers[i]!)
    })

    return runVerb("wait", (parent) =>
      Effect.gen(function*() {
        const key = claimName("wait", parent, site, explicit)
        const recorded = yield* readEntry(key)
        const done: Array<number> = []
        let succeeded = 0
        const base = {
          fn: "wait",
          parent,
          key,
          steps: list,
          order: everyIndex,
          concurrency: Infinity,
          leaveRunning: true
        }

        if (Option.isSome(recorded)) {
          // Replay: start every step again, return once the recorded ones have ended.
          const expected = recorded.value as ReadonlyArray<number>
          return yield* race({
            ...base,
            onStart: (branches) => expected.length === 0 ? Option.some(split(expected, branches)) : Option.none(),
            onEnd: (index, _, branches) => {
              if (expected.includes(index)) done.push(index)
              return Effect.succeed(
                done.length === expected.length ? Option.some(split(expected, branches)) : Option.none()
              )
            }
          })
        }

        const finish = (branches: Branches<A, E>) => Effect.as(writeEntry(key, done), split(done, branches))
        const timer = millis === Infinity ? undefined : yield* deadline(`${key}/deadline`, millis)
        return yield* race({
          ...base,
          deadline: timer,
          onEnd: (index, exit, branches) => {
            done.push(index)
            if (exit._tag === "Success") succeeded++
            const ready = done.length === list.length || (k === undefined
              ? returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && isException(exit))
              // The quorum is reached, or so many failed or were interrupted that it cannot be.
              : succeeded >= k || done.length - succeeded > list.length - k)
            return ready ? Effect.map(finish(branches), Option.some) : Effect.succeedNone
          },
          onDeadline: finish
        })
      }))
  }).pipe(Effect.map((result) => result as WaitResult<A, E>))
}
