/**
 * `wait`: asyncio's `wait(aws, timeout=..., return_when=...)` over fibers,
 * with the `ALL_COMPLETED`, `FIRST_COMPLETED` and `FIRST_EXCEPTION`
 * constants.
 *
 * @stability stable
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import { suspendUntil } from "./internal/suspend.ts"
import { nested } from "./internal/trampoline.ts"
import { durationMillis, misuse, quorumOf, uniqueFibers } from "./internal/validate.ts"
import { partition, WaitImpl } from "./internal/wait.ts"

// The value and error types of a union of fibers, so that tasks of different
// types infer `Fiber<A1 | A2, E1 | E2>`. (Local to the module; the d.ts keeps them.)
type SuccessOf<F> = F extends Fiber.Fiber<infer A, infer _E> ? A : never
type ErrorOf<F> = F extends Fiber.Fiber<infer _A, infer E> ? E : never

/**
 * `wait` returns when every task has finished (the default).
 *
 * @stability stable
 * @category constants
 * @since 0.1.0
 */
export const ALL_COMPLETED = "ALL_COMPLETED" as const

/**
 * `wait` returns as soon as any task has finished.
 *
 * @stability stable
 * @category constants
 * @since 0.1.0
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED" as const

/**
 * `wait` returns as soon as any task fails or dies, or when every task has
 * finished. A task that was only interrupted is done but is no exception.
 *
 * @stability stable
 * @category constants
 * @since 0.1.0
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION" as const

/**
 * The `returnWhen` of a quorum wait: see {@link quorum}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Quorum {
  readonly _tag: "Quorum"
  /** How many tasks must succeed. */
  readonly k: number
}

/**
 * `wait` returns as soon as `k` tasks have succeeded, or as soon as so many
 * have failed or been interrupted that `k` successes are impossible (beyond
 * asyncio: quorum reads, hedged calls).
 *
 * **Details**
 *
 * - With a timeout, `wait` returns whatever holds when it passes.
 * - The rest stay pending and running, as with every `returnWhen`: cancel
 *   them yourself when the answer is in.
 * - `k` must be a whole number from 1 to the number of distinct tasks given
 *   to `wait`; otherwise `wait` dies with `Cause.IllegalArgumentError`.
 *
 * **Example** (Two of three replicas)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const replica = (name: string, delay: number) => Effect.as(Effect.sleep(delay), name)
 *
 * const program = Effect.gen(function*() {
 *   const tasks = [
 *     yield* aio.createTask(replica("a", 10)),
 *     yield* aio.createTask(replica("b", 20)),
 *     yield* aio.createTask(replica("c", 1000))
 *   ]
 *   const { done, pending } = yield* aio.wait(tasks, { returnWhen: aio.quorum(2) })
 *   for (const task of pending) yield* aio.cancel(task)
 *   return [done.length, pending.length]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ 2, 1 ]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const quorum = (k: number): Quorum => ({ _tag: "Quorum", k })

/**
 * When {@link wait} returns.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export type ReturnWhen = typeof ALL_COMPLETED | typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | Quorum

/**
 * Options of {@link wait}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface WaitOptions {
  /**
   * The longest time to wait. When it passes, `wait` returns what is done and
   * what is pending; it never interrupts a task and never fails with a
   * timeout. Zero or less reports the current state at once; `null` or an
   * infinite duration means no limit.
   *
   * @default no limit
   */
  readonly timeout?: Duration.Input | null | undefined
  /**
   * When to return: {@link ALL_COMPLETED}, {@link FIRST_COMPLETED},
   * {@link FIRST_EXCEPTION}, or {@link quorum}`(k)`.
   *
   * @default ALL_COMPLETED
   */
  readonly returnWhen?: ReturnWhen | undefined
}

/**
 * What {@link wait} returns: the tasks that have finished and those that
 * have not, each in input order.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface WaitResult<A, E> {
  readonly done: ReadonlyArray<Fiber.Fiber<A, E>>
  readonly pending: ReadonlyArray<Fiber.Fiber<A, E>>
}

/**
 * Waits on tasks until a condition holds and sorts them into `done` and
 * `pending`, like `asyncio.wait`.
 *
 * **When to use**
 *
 * Use to build dispatchers: react to the first task that finishes (or fails),
 * tell tasks apart by identity, and decide yourself what to do with the rest.
 *
 * **Details**
 *
 * - `tasks`: an iterable of fibers; duplicates count once. Both arrays keep
 *   the input order, so results are deterministic where asyncio's sets are
 *   not.
 * - `wait` never interrupts a task and never fails: not on timeout, not when
 *   a task fails. Read outcomes with {@link result} or `Fiber.join`.
 * - When the condition already holds, `wait` returns at once.
 * - Interrupting `wait` leaves the tasks running.
 *
 * **Gotchas**
 *
 * Pass fibers, not effects (start them with {@link createTask}): asyncio
 * 3.11 refuses bare coroutines too, and the type rejects an effect. An empty
 * `tasks`, an unknown `returnWhen` or a NaN timeout make the effect die with
 * `Cause.IllegalArgumentError` (asyncio raises `ValueError`); it never hangs.
 *
 * **Example** (Handling results as they arrive)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Console, Effect, Fiber } from "effect"
 *
 * const callApi = (result: number, delay: number) => Effect.as(Effect.sleep(delay), result)
 *
 * const program = Effect.gen(function*() {
 *   let pending = [
 *     yield* aio.createTask(callApi(1, 100)),
 *     yield* aio.createTask(callApi(2, 200))
 *   ]
 *   while (pending.length > 0) {
 *     const state = yield* aio.wait(pending, { returnWhen: aio.FIRST_COMPLETED })
 *     for (const task of state.done) yield* Console.log(yield* Fiber.join(task))
 *     pending = [...state.pending]
 *   }
 * })
 *
 * Effect.runPromise(program)
 * // => 1
 * // => 2
 * ```
 *
 * @see {@link asCompletedTasks} to receive the tasks one at a time as they finish
 * @stability stable
 * @category combinators
 * @since 0.1.0
 */
export const wait = <F extends Fiber.Fiber<unknown, unknown>>(
  tasks: Iterable<F>,
  options?: WaitOptions
): Effect.Effect<WaitResult<SuccessOf<F>, ErrorOf<F>>> =>
  waitFibers(tasks as Iterable<Fiber.Fiber<SuccessOf<F>, ErrorOf<F>>>, options)

const waitFibers = <A, E>(
  tasks: Iterable<Fiber.Fiber<A, E>>,
  options: WaitOptions | undefined
): Effect.Effect<WaitResult<A, E>> =>
  Effect.withFiber((caller) => {
    const fibers = uniqueFibers("wait", tasks)
    if (fibers.length === 0) throw misuse("wait: tasks must not be empty")
    const returnWhen = options?.returnWhen ?? ALL_COMPLETED
    const k = quorumOf(returnWhen, fibers.length, "distinct tasks")
    const timeout = durationMillis("wait", "timeout", options?.timeout)
    const wait = new WaitImpl(caller, fibers, typeof returnWhen === "string" ? returnWhen : undefined, k)
    if (wait.countFinished()) return Effect.succeed(partition(fibers))
    if (timeout <= 0) return Effect.succeed(partition(fibers))
    return suspendUntil<WaitResult<A, E>, never>((resume) => {
      wait.resume = (sort) => nested(caller, () => resume(sort))
      wait.watchUnfinished(timeout)
      return Effect.sync(() => wait.stop())
    })
  })
