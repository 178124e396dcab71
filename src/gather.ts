/**
 * `gather`: asyncio's `gather(*aws, return_exceptions=...)`, a fan-out over
 * the library's supervisor.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as SubscriptionRef from "effect/SubscriptionRef"
import type * as Types from "effect/Types"
import { GatherImpl } from "./internal/gather.ts"
import { progressOption } from "./internal/progress.ts"
import { isDeep } from "./internal/trampoline.ts"
import { concurrencyLimit, isCollection, misuse, show } from "./internal/validate.ts"
import type { Progress } from "./progress.ts"

type AnyEffect = Effect.Effect<unknown, unknown, unknown>
type Awaitable = AnyEffect | Fiber.Fiber<unknown, unknown>

/**
 * Options of {@link gather}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface GatherOptions {
  /**
   * How many effects run at a time: a whole number of at least 1, or
   * `"unbounded"`.
   *
   * @default "unbounded" (asyncio starts them all at once)
   */
  readonly concurrency?: Types.Concurrency | undefined
  /**
   * When `true`, `gather` never fails: each slot holds the `Exit` of its
   * effect (success, typed failure, defect or interruption).
   *
   * @default false
   */
  readonly returnExceptions?: boolean | undefined
  /**
   * Counts of the work queued, running and done, updated as it goes (see
   * {@link makeProgress}). Tasks among the inputs count as running from the
   * start.
   *
   * @default none: nothing is counted
   */
  readonly progress?: SubscriptionRef.SubscriptionRef<Progress> | undefined
}

/**
 * The types of {@link gather}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export declare namespace Gather {
  /**
   * What the options say about `returnExceptions`: `"exits"` when it is
   * `true`, `"values"` when it is `false` or absent, `"either"` when the type
   * allows both (a `boolean`, or a `GatherOptions` built elsewhere).
   */
  export type Mode<O> = [ReturnExceptions<O>] extends [true] ? "exits"
    : true extends ReturnExceptions<O> ? "either"
    : "values"

  /** The type of `returnExceptions` in the options type (`undefined` when absent). */
  export type ReturnExceptions<O> = "returnExceptions" extends keyof O ? O["returnExceptions" & keyof O] : undefined

  /** The value of an effect or a task. */
  export type Success<T> = T extends Effect.Effect<infer A, infer _E, infer _R> ? A
    : T extends Fiber.Fiber<infer A, infer _E> ? A
    : never

  /** The typed failure of an effect or a task. */
  export type Failure<T> = T extends Effect.Effect<infer _A, infer E, infer _R> ? E
    : T extends Fiber.Fiber<infer _A, infer E> ? E
    : never

  /** The services an effect needs (a task needs none). */
  export type Services<T> = T extends Effect.Effect<infer _A, infer _E, infer R> ? R : never

  /** One slot of the result: the value, or its `Exit`. */
  export type Slot<T, Exits extends boolean> = Exits extends true ? Exit.Exit<Success<T>, Failure<T>> : Success<T>

  /** The result: same shape as the input (tuple, array or record). */
  export type Result<T, Exits extends boolean> = [T] extends [ReadonlyArray<Awaitable>]
    ? { -readonly [K in keyof T]: Slot<T[K], Exits> }
    : [T] extends [Iterable<infer X>] ? Array<Slot<X, Exits>>
    : { -readonly [K in keyof T]: Slot<T[K], Exits> }

  /** The effects and tasks of the input, as a union. */
  export type Members<T> = [T] extends [Iterable<infer X>] ? X : T[keyof T]

  /** What `gather(awaitables, options)` returns: for `"either"`, the union of both shapes. */
  export type Return<T, O> = Effect.Effect<
    Mode<O> extends "exits" ? Result<T, true>
      : Mode<O> extends "values" ? Result<T, false>
      : Result<T, true> | Result<T, false>,
    Mode<O> extends "exits" ? never : Failure<Members<T>>,
    Services<Members<T>>
  >
}

/**
 * Runs effects concurrently and collects their results in input order, like
 * `asyncio.gather`.
 *
 * **When to use**
 *
 * Use when you need every result of a known set of effects, and the first
 * failure makes the rest pointless.
 *
 * **Details**
 *
 * - Input: a tuple, an iterable or a record of effects, as `Effect.all`
 *   takes. The result has the same shape and order, whatever order the work
 *   finished in; a tuple in gives a typed tuple out, and the error channel is
 *   the union of the inputs' errors.
 * - Tasks (fibers) may stand among the effects, as asyncio's `gather` takes
 *   tasks: they are awaited, and cancelled when `gather` stops early (first
 *   failure, interruption).
 * - First failure: it is raised, and the other effects are interrupted;
 *   `gather` returns only after their finalizers have run. Errors raised
 *   while they were being interrupted are added to the cause, not dropped.
 * - `returnExceptions: true`: `gather` never fails; each slot holds the
 *   `Exit` of that effect, so nothing is lost. Interrupted from outside, it
 *   still keeps what the stopped effects raised in the cause.
 * - A child that ends interrupted by itself makes `gather` end interrupted,
 *   as asyncio raises `CancelledError`. Interrupting `gather` interrupts every
 *   child and waits for them.
 * - A task created with {@link createTask} inside one of the effects belongs
 *   to the caller of `gather`, and outlives it as in asyncio.
 * - Empty input succeeds at once with an empty result.
 *
 * **Gotchas**
 *
 * asyncio leaves the other awaitables running after the first failure;
 * nobody can reach them, so here they stop. Bad arguments (a concurrency
 * that is not a whole number of at least 1, an input that is not a
 * collection of effects) make the effect die with
 * `Cause.IllegalArgumentError`.
 *
 * **Example** (Results in input order)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const phase = (name: string, delay: number) => Effect.as(Effect.sleep(delay), `${name} result`)
 *
 * const program = aio.gather([phase("phase1", 200), phase("phase2", 100)])
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "phase1 result", "phase2 result" ]
 * ```
 *
 * **Example** (Keeping every outcome)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Exit } from "effect"
 *
 * const program = aio.gather([Effect.succeed(1), Effect.fail("boom")], { returnExceptions: true })
 *
 * Effect.runPromise(program).then((exits) => console.log(exits.map(Exit.isSuccess)))
 * // => [ true, false ]
 * ```
 *
 * @see {@link wait} to wait on tasks without collecting their results
 * @stability stable
 * @category combinators
 * @since 0.1.0
 */
export const gather = <
  const T extends Iterable<Awaitable> | Readonly<Record<string, Awaitable>>,
  const O extends GatherOptions = {}
>(effects: T, options?: O): Gather.Return<T, O> =>
  Effect.withFiber((caller): Effect.Effect<unknown, unknown, unknown> => {
    if (isDeep()) return Effect.andThen(Effect.yieldNow, gather(effects, options))
    const concurrency = concurrencyLimit("gather", options?.concurrency)
    const exits = options?.returnExceptions === true
    const progress = progressOption("gather", options?.progress)
    if (isCollection(effects)) {
      const items = Array.from(effects) as Array<Awaitable>
      const hasTasks = checkItems(items)
      return items.length === 0
        ? Effect.succeed([])
        : new GatherImpl(caller, items, concurrency, exits, hasTasks, progress).run()
    }
    if (typeof effects !== "object" || effects === null) {
      throw misuse(`gather: effects must be an iterable or a record of effects, got ${show(effects)}`)
    }
    const keys = Object.keys(effects)
    const items = keys.map((key) => (effects as Record<string, Awaitable>)[key])
    const hasTasks = checkItems(items)
    if (items.length === 0) return Effect.succeed({})
    return Effect.map(new GatherImpl(caller, items, concurrency, exits, hasTasks, progress).run(), (slots) => {
      const record: Record<string, unknown> = {}
      for (let i = 0; i < keys.length; i++) record[keys[i]] = slots[i]
      return record
    })
  }) as unknown as Gather.Return<T, O>

/** Checks that every item is an effect or a task; whether there is a task among them. */
const checkItems = (items: ReadonlyArray<unknown>): boolean => {
  let hasTasks = false
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (Effect.isEffect(item)) continue
    if (!Fiber.isFiber(item)) {
      throw misuse(`gather: effects must contain only effects or tasks, got ${show(item)} at index ${i}`)
    }
    hasTasks = true
  }
  return hasTasks
}
