/**
 * `wait`: asyncio's `wait(aws, timeout=..., return_when=...)` over fibers,
 * with the `ALL_COMPLETED`, `FIRST_COMPLETED` and `FIRST_EXCEPTION`
 * constants.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type { ErrorOf, SuccessOf } from "./internal/fiberTypes.ts"
import { startTimer } from "./internal/timer.ts"
import { describe, durationMillis, misuse, uniqueFibers } from "./internal/validate.ts"

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
 * When {@link wait} returns.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export type ReturnWhen = typeof ALL_COMPLETED | typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION

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
   * When to return: {@link ALL_COMPLETED}, {@link FIRST_COMPLETED} or
   * {@link FIRST_EXCEPTION}.
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

const isException = (exit: Exit.Exit<unknown, unknown>): boolean =>
  exit._tag === "Failure" && !Cause.hasInterruptsOnly(exit.cause)

const returnWhenOf = (input: unknown): ReturnWhen => {
  if (input === undefined) return ALL_COMPLETED
  if (input === ALL_COMPLETED || input === FIRST_COMPLETED || input === FIRST_EXCEPTION) return input
  throw misuse(
    `wait: returnWhen must be one of ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, got ${describe(input)}`
  )
}

const partition = <A, E>(fibers: ReadonlyArray<Fiber.Fiber<A, E>>): WaitResult<A, E> => {
  const done: Array<Fiber.Fiber<A, E>> = []
  const pending: Array<Fiber.Fiber<A, E>> = []
  for (const fiber of fibers) (fiber.pollUnsafe() === undefined ? pending : done).push(fiber)
  return { done, pending }
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
): Effect.Effect<WaitResult<SuccessOf<F>, ErrorOf<F>>> => waitFibers(tasks as Iterable<Fiber.Fiber<SuccessOf<F>, ErrorOf<F>>>, options)

const waitFibers = <A, E>(
  tasks: Iterable<Fiber.Fiber<A, E>>,
  options: WaitOptions | undefined
): Effect.Effect<WaitResult<A, E>> =>
  Effect.withFiber((parent) => {
    const fibers = uniqueFibers("wait", tasks)
    if (fibers.length === 0) throw misuse("wait: tasks must not be empty")
    const returnWhen = returnWhenOf(options?.returnWhen)
    const timeout = durationMillis("wait", "timeout", options?.timeout)

    let remaining = 0
    for (const fiber of fibers) {
      const exit = fiber.pollUnsafe()
      if (exit === undefined) remaining++
      else if (returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && isException(exit))) {
        return Effect.succeed(partition(fibers))
      }
    }
    if (remaining === 0 || timeout <= 0) return Effect.succeed(partition(fibers))

    return Effect.callback<WaitResult<A, E>>((resume) => {
      const stop = () => {
        cancelTimer()
        for (const remove of removers) remove()
      }
      // Woken by a task, `wait` sorts after one yield, so that tasks finishing
      // in the same round are reported done, as asyncio's waiter also resumes
      // a loop iteration later (test_wait_really_done). Woken by the timeout,
      // it sorts at once: a task due at the same instant is still pending.
      const finish = (sort: Effect.Effect<WaitResult<A, E>>) => {
        stop()
        resume(sort)
      }
      const sortNow = Effect.sync(() => partition(fibers))
      const sortNextRound = Effect.andThen(Effect.yieldNow, sortNow)
      const onExit = (exit: Exit.Exit<A, E>) => {
        remaining--
        if (remaining === 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && isException(exit))) {
          finish(sortNextRound)
        }
      }
      const removers: Array<() => void> = []
      const cancelTimer = startTimer(parent, timeout, () => finish(sortNow))
      for (const fiber of fibers) {
        if (fiber.pollUnsafe() === undefined) removers.push(fiber.addObserver(onExit))
      }
      return Effect.sync(stop)
    })
  })
