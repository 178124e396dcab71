/**
 * `gather`: asyncio's `gather(*aws, return_exceptions=...)`, built on
 * `Effect.all` with unbounded concurrency.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { interruptAllAndCheck, joinOrCancel } from "./internal/fibers.ts"
import { concurrencyLimit, describe, isIterable, misuse } from "./internal/validate.ts"

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
  readonly concurrency?: number | "unbounded" | undefined
  /**
   * When `true`, `gather` never fails: each slot holds the `Exit` of its
   * effect (success, typed failure, defect or interruption).
   *
   * @default false
   */
  readonly returnExceptions?: boolean | undefined
}

/**
 * The types of {@link gather}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export declare namespace Gather {
  /** Whether the options ask for `Exit` slots. */
  export type IsExits<O> = [Extract<O, { readonly returnExceptions: true }>] extends [never] ? false : true

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

  /** What `gather(awaitables, options)` returns. */
  export type Return<T, O> = Effect.Effect<
    Result<T, IsExits<O>>,
    IsExits<O> extends true ? never : Failure<Members<T>>,
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
 *   `Exit` of that effect, so nothing is lost.
 * - A child that ends interrupted by itself makes `gather` end interrupted,
 *   as asyncio raises `CancelledError`. Interrupting `gather` interrupts every
 *   child and waits for them.
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
  Effect.suspend((): Effect.Effect<unknown, unknown, unknown> => {
    const concurrency = concurrencyLimit("gather", options?.concurrency)
    const exits = options?.returnExceptions === true
    const tasks: Array<Fiber.Fiber<unknown, unknown>> = []
    const prepare = (items: ReadonlyArray<unknown>) =>
      items.map((item, index) => {
        const effect = toEffect(item, index, tasks)
        return exits ? Effect.exit(effect) : effect
      })
    const all = (items: ReadonlyArray<unknown>) => {
      const prepared = prepare(items)
      return cancelTasksOnFailure(
        tasks.length === 0 || concurrency === Infinity
          ? Effect.all(prepared, { concurrency })
          : boundEffectsOnly(prepared, items.map(Fiber.isFiber), concurrency),
        tasks
      )
    }
    if (isIterable(effects)) return all(Array.from(effects))
    if (typeof effects !== "object" || effects === null) {
      throw misuse(`gather: effects must be an iterable or a record of effects, got ${describe(effects)}`)
    }
    const keys = Object.keys(effects)
    return Effect.map(all(keys.map((key) => (effects as Record<string, unknown>)[key])), (results) => {
      const out: Record<string, unknown> = {}
      for (let i = 0; i < keys.length; i++) out[keys[i]] = results[i]
      return out
    })
  }) as unknown as Gather.Return<T, O>

/** An effect runs as it is; a task is awaited, and cancelled if `gather` stops waiting. */
const toEffect = (item: unknown, index: number, tasks: Array<Fiber.Fiber<unknown, unknown>>): AnyEffect => {
  if (Effect.isEffect(item)) return item
  if (Fiber.isFiber(item)) {
    tasks.push(item)
    return joinOrCancel(item)
  }
  throw misuse(`gather: effects must contain only effects or tasks, got ${describe(item)} at index ${index}`)
}

/**
 * Tasks are already running, so a bound applies to the effects only: the
 * tasks are awaited all at once beside them, and the first failure of either
 * kind is noticed when it happens.
 */
const boundEffectsOnly = (
  prepared: ReadonlyArray<AnyEffect>,
  isTask: ReadonlyArray<boolean>,
  concurrency: number
): Effect.Effect<Array<unknown>, unknown, unknown> =>
  Effect.map(
    Effect.all([
      Effect.all(prepared.filter((_, i) => !isTask[i]), { concurrency }),
      Effect.all(prepared.filter((_, i) => isTask[i]), { concurrency: "unbounded" })
    ], { concurrency: "unbounded" }),
    ([effects, tasks]) => {
      let e = 0
      let t = 0
      return isTask.map((task) => (task ? tasks[t++] : effects[e++]))
    }
  )

/**
 * When `gather` fails or is interrupted, the tasks it was given are
 * cancelled too, also those a bounded concurrency had not reached yet.
 */
const cancelTasksOnFailure = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  tasks: ReadonlyArray<Fiber.Fiber<unknown, unknown>>
): Effect.Effect<A, E, R> =>
  tasks.length === 0 ? effect : Effect.onExitPrimitive(effect, (exit) => {
    if (exit._tag === "Success") return undefined
    const running = tasks.filter((task) => task.pollUnsafe() === undefined)
    return running.length === 0 ? undefined : (interruptAllAndCheck(running) as Effect.Effect<void, E>)
  })
