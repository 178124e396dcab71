/**
 * Tasks: asyncio's `create_task`, `Task.cancel`, `done`, `cancelled`,
 * `result` and `exception`, on Effect fibers. A task is a plain
 * `Fiber<A, E>`, so everything here also accepts fibers made with
 * `Effect.forkChild`, `Effect.forkScoped` or a `FiberSet`.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import { InvalidStateError } from "./errors.ts"
import { enclosingTask, liveTasks, recordReason, taskNameOf } from "./internal/registry.ts"
import { forkTask, taskName as checkedName } from "./internal/tasks.ts"
import { misuse, show } from "./internal/validate.ts"

/**
 * Options of {@link createTask}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface CreateTaskOptions {
  /** The task's name (see {@link taskName}), as asyncio's `create_task(coro, name=...)`; default `Task-N`. */
  readonly name?: string | undefined
}

/**
 * Options of {@link cancel}.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface CancelOptions {
  /** Why, as asyncio's `task.cancel(msg)`: the task's finalizers read it with `cancelReason`. */
  readonly message?: string | undefined
}

/**
 * Starts an effect as a task and returns its fiber, like
 * `asyncio.create_task`.
 *
 * **When to use**
 *
 * Use to run work concurrently with the code that starts it, keeping a handle
 * to cancel it or read its outcome later.
 *
 * **Details**
 *
 * The task is scheduled at once and begins running as soon as its creator
 * yields (at its next `yield*` that waits), as in asyncio. It is supervised by
 * the fiber that ran `createTask`: when that fiber ends, an unfinished task is
 * interrupted and awaited (asyncio only warns "Task was destroyed but it is
 * pending"). The owner is the running fiber, not the effect that called
 * `createTask`: a helper effect that starts tasks and returns leaves them
 * running until its caller's fiber ends.
 *
 * The library's own fibers are invisible to this rule: a task created inside
 * the body of {@link timeout}, {@link waitFor}, {@link shield}, one of
 * {@link gather}'s or {@link asCompleted}'s effects, or a {@link taskGroup}'s
 * body belongs to whoever called that primitive (a task, {@link run}'s main,
 * or the user's own fiber), so it outlives the call, as in asyncio:
 * `yield* aio.waitFor(connect, "5 seconds")` may start a reader task that
 * keeps running after the connection is returned.
 *
 * **Gotchas**
 *
 * A task cancelled before it started never runs any of its code, as in
 * asyncio. To outlive the creating fiber, use `Effect.forkDetach` or a
 * {@link taskGroup} owned by a longer-lived fiber.
 *
 * **Example** (Running two tasks at once)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const f = yield* aio.createTask(Effect.as(Effect.sleep("100 millis"), "f"))
 *   const g = yield* aio.createTask(Effect.as(Effect.sleep("100 millis"), "g"))
 *   return [yield* Fiber.join(f), yield* Fiber.join(g)]
 * })
 *
 * // Both ran at once: together they take 100 ms, well within 150.
 * Effect.runPromise(aio.waitFor(program, "150 millis")).then(console.log)
 * // => ["f", "g"]
 * ```
 *
 * @see {@link cancel}
 * @stability stable
 * @category constructors
 * @since 0.1.0
 */
export const createTask = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: CreateTaskOptions
): Effect.Effect<Fiber.Fiber<A, E>, never, R> =>
  Effect.isEffect(effect)
    ? (options === undefined
      ? forkTask(effect, undefined)
      : Effect.suspend(() => forkTask(effect, checkedName("createTask", options))))
    : Effect.die(misuse(`createTask: effect must be an Effect, got ${show(effect)}`))

/** Checks that `task` is a fiber, before anything reads it. */
const checkTask = (fn: string, task: unknown): void => {
  if (!Fiber.isFiber(task)) throw misuse(`${fn}: task must be a fiber, got ${show(task)}`)
}

/**
 * Requests the cancellation of a task and waits until it has finished, like
 * `task.cancel()` followed by awaiting the task.
 *
 * **Details**
 *
 * Returns `true` when the task was still running and has now been
 * interrupted, `false` when it had already finished (asyncio's return value).
 * It returns only after the task's finalizers have run.
 *
 * **Gotchas**
 *
 * asyncio's `cancel()` only requests the cancellation and returns at once;
 * to do that here, fork it: `Effect.forkChild(aio.cancel(task))`. (In Effect
 * v4, `fiber.interruptUnsafe()` on a suspended fiber runs its finalizers
 * right away, before returning.) A task that cancels its own fiber ends
 * interrupted.
 *
 * **Example** (Cancelling a sleeping task)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const task = yield* aio.createTask(Effect.sleep("10 seconds"))
 *   const first = yield* aio.cancel(task)
 *   const second = yield* aio.cancel(task)
 *   return [first, second, yield* aio.isCancelled(task)]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ true, false, true ]
 * ```
 *
 * @stability stable
 * @category combinators
 * @since 0.1.0
 */
export const cancel = <A, E>(task: Fiber.Fiber<A, E>, options?: CancelOptions): Effect.Effect<boolean> =>
  Effect.suspend(() => {
    checkTask("cancel", task)
    const message = options?.message
    if (message !== undefined && typeof message !== "string") {
      throw misuse(`cancel: message must be a string, got ${show(message)}`)
    }
    if (task.pollUnsafe() !== undefined) return Effect.succeed(false)
    recordReason(task, { _tag: "Cancelled", message })
    return Effect.as(Fiber.interrupt(task), true)
  })

/**
 * Whether a task has finished, in any way: asyncio's `task.done()`.
 *
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const isDone = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<boolean> =>
  Effect.sync(() => {
    checkTask("isDone", task)
    return task.pollUnsafe() !== undefined
  })

/**
 * Whether a task has finished by interruption only: asyncio's
 * `task.cancelled()`. A task that failed or died while being interrupted is
 * not counted as cancelled, since its error would otherwise be hidden.
 *
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const isCancelled = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<boolean> =>
  Effect.sync(() => {
    checkTask("isCancelled", task)
    const exit = task.pollUnsafe()
    return exit !== undefined && exit._tag === "Failure" && Cause.hasInterruptsOnly(exit.cause)
  })

const notDone = (fn: string) => new InvalidStateError({ message: `${fn}: the task has not finished yet` })

/**
 * The outcome of a finished task, like asyncio's `task.result()`: its value,
 * or its typed failure, defect or interruption re-raised.
 *
 * **Details**
 *
 * On a task that has not finished it fails with {@link InvalidStateError},
 * as asyncio raises `InvalidStateError`; it never waits. To wait, use
 * `Fiber.join`.
 *
 * **Example** (Reading results)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const task = yield* aio.createTask(Effect.succeed(42))
 *   yield* Fiber.await(task)
 *   return yield* aio.result(task)
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => 42
 * ```
 *
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const result = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<A, E | InvalidStateError> =>
  Effect.suspend((): Effect.Effect<A, E | InvalidStateError> => {
    checkTask("result", task)
    return task.pollUnsafe() ?? Effect.fail(notDone("result"))
  })

/**
 * The typed failure of a finished task, like asyncio's `task.exception()`:
 * `Option.some(error)` when it failed, `Option.none()` when it succeeded.
 *
 * **Details**
 *
 * A task that was cancelled or died has no typed failure to report, so its
 * cause (interruption or defect) is re-raised, as asyncio raises
 * `CancelledError`. On a task that has not finished it fails with
 * {@link InvalidStateError}.
 *
 * **Example** (Inspecting a failed task)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber, Option } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const task = yield* aio.createTask(Effect.fail("boom"))
 *   yield* Fiber.await(task)
 *   return yield* aio.exception(task)
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => Option.some("boom")
 * ```
 *
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const exception = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<Option.Option<E>, InvalidStateError> =>
  Effect.suspend(() => {
    checkTask("exception", task)
    const exit = task.pollUnsafe()
    if (exit === undefined) return Effect.fail(notDone("exception"))
    if (exit._tag === "Success") return Effect.succeed(Option.none())
    const failure = exit.cause.reasons.find(Cause.isFailReason)
    return failure === undefined
      ? Effect.failCause(exit.cause as Cause.Cause<never>)
      : Effect.succeed(Option.some(failure.error))
  })

/**
 * A task's name, like asyncio's `task.get_name()`: the one given to
 * {@link createTask} or `tg.createTask` (`{ name }`), else asyncio's default
 * `Task-N` (N counts the tasks the library created, from 1).
 *
 * **Details**
 *
 * A fiber the library did not create as a task is named `Fiber-<id>`, after
 * Effect's fiber id. The name outlives the task.
 *
 * **Example** (Named and numbered tasks)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const named = yield* aio.createTask(Effect.void, { name: "reader" })
 *   return yield* aio.taskName(named)
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => "reader"
 * ```
 *
 * @see {@link currentTask}
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const taskName = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<string> =>
  Effect.sync(() => {
    checkTask("taskName", task)
    return taskNameOf(task) ?? `Fiber-${task.id}`
  })

/**
 * The task the caller runs in, like asyncio's `current_task()`: the task
 * itself when called from a task's code, the task around it when called from
 * the library's own fibers (a `gather` effect, a `timeout` body) or a fiber
 * the task forked; `undefined` outside every task the library created.
 *
 * **Example** (Inside and outside a task)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const outside = yield* aio.currentTask
 *   const task = yield* aio.createTask(Effect.flatMap(aio.currentTask, (t) => aio.taskName(t!)), { name: "worker" })
 *   return [outside, yield* Fiber.join(task)]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [undefined, "worker"]
 * ```
 *
 * @see {@link allTasks}
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const currentTask: Effect.Effect<Fiber.Fiber<unknown, unknown> | undefined> = Effect.withFiber((fiber) =>
  Effect.succeed(enclosingTask(fiber))
)

/**
 * Every unfinished task the library created (with {@link createTask} or
 * `tg.createTask`), in creation order, like asyncio's `all_tasks()`.
 *
 * **Example** (Counting running tasks)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   yield* aio.createTask(Effect.never)
 *   yield* aio.createTask(Effect.never)
 *   return (yield* aio.allTasks).length
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => 2
 * ```
 *
 * @see {@link taskTree} for the tree of everything running
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const allTasks: Effect.Effect<ReadonlyArray<Fiber.Fiber<unknown, unknown>>> = Effect.sync(() => [...liveTasks()])
