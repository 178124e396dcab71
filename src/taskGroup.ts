/**
 * `taskGroup`: asyncio 3.11's `async with TaskGroup() as tg`, structured
 * concurrency with every failure kept.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import { TaskGroupError } from "./errors.ts"
import { failureReasons } from "./internal/fibers.ts"
import { misuse } from "./internal/validate.ts"

const TypeId = "~effect-asyncio/TaskGroup" as const

/**
 * The handle of a running {@link taskGroup}, like `asyncio.TaskGroup`. Users
 * get one only as the argument of the group's body.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface TaskGroup extends Inspectable.Inspectable {
  readonly [TypeId]: typeof TypeId
  /**
   * Starts a task owned by the group and returns its fiber, like
   * `tg.create_task(coro)`. The task starts as soon as the caller yields.
   *
   * The task's error type `E` appears in the error channel so that the
   * group's `TaskGroupError<E>` is inferred; `createTask` itself never fails
   * with it. On a group that is shutting down (a task failed) or has
   * finished, it dies with `Cause.IllegalArgumentError`, as asyncio raises
   * `RuntimeError`.
   */
  createTask<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Fiber.Fiber<A, E>, E, R>
}

/**
 * asyncio's states: `open` while tasks may be added, `shutting down` once a
 * failure (or an outside interruption) made the group interrupt everything,
 * `finished` once the body and every task have ended.
 */
type State = "open" | "shutting down" | "finished"

class TaskGroupImpl extends Inspectable.Class implements TaskGroup {
  readonly [TypeId] = TypeId
  state: State = "open"
  readonly tasks = new Set<Fiber.Fiber<unknown, unknown>>()
  body: Fiber.Fiber<unknown, unknown> | undefined = undefined
  bodyExit: Exit.Exit<unknown, unknown> | undefined = undefined
  /** Typed failures of the tasks and the body, in the order they happened. */
  readonly errors: Array<unknown> = []
  /** Every failure and defect, for the group's `cause`. */
  readonly reasons: Array<Cause.Reason<unknown>> = []
  onIdle: (() => void) | undefined = undefined

  createTask<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<Fiber.Fiber<A, E>, E, R> {
    return Effect.suspend(() => {
      this.checkOpen()
      return Effect.map(Effect.forkDetach(effect), (fiber) => {
        // The group cannot end while one of its fibers is here creating a
        // task; only a handle leaked to an outside fiber can see it closed.
        if (this.state !== "open") fiber.interruptUnsafe()
        this.checkOpen()
        this.tasks.add(fiber)
        fiber.addObserver((exit) => this.onTaskExit(fiber, exit))
        return fiber
      })
    })
  }

  checkOpen(): void {
    if (this.state !== "open") {
      throw misuse(`TaskGroup.createTask: cannot create a task, the task group is ${this.state}`)
    }
  }

  onTaskExit(fiber: Fiber.Fiber<unknown, unknown>, exit: Exit.Exit<unknown, unknown>): void {
    this.tasks.delete(fiber)
    if (exit._tag === "Failure") this.recordFailure(exit.cause)
    this.checkIdle()
  }

  onBodyExit(exit: Exit.Exit<unknown, unknown>): void {
    this.bodyExit = exit
    if (exit._tag === "Failure") {
      this.recordFailure(exit.cause)
      // Any way out of the body but success (even its own interruption)
      // stops the tasks, as in asyncio.
      this.shutDown()
    }
    this.checkIdle()
  }

  /** Keeps every typed failure and defect; a plain interruption is not an error. */
  recordFailure(cause: Cause.Cause<unknown>): void {
    const reasons = failureReasons(cause)
    if (reasons.length === 0) return
    for (const reason of reasons) {
      this.reasons.push(reason)
      if (reason._tag === "Fail") this.errors.push(reason.error)
    }
    this.shutDown()
  }

  shutDown(): void {
    if (this.state !== "open") return
    this.state = "shutting down"
    this.body?.interruptUnsafe()
    for (const task of this.tasks) task.interruptUnsafe()
  }

  checkIdle(): void {
    if (this.bodyExit !== undefined && this.tasks.size === 0 && this.onIdle !== undefined) {
      this.state = "finished"
      this.onIdle()
    }
  }

  /** Resumes `resume` once the body and every task have ended. */
  whenIdle<A, E>(resume: (effect: Effect.Effect<A, E>) => void, outcome: () => Effect.Effect<A, E>): void {
    this.onIdle = () => {
      this.onIdle = undefined
      resume(outcome())
    }
    this.checkIdle()
  }

  error<E>(): TaskGroupError<E> {
    const count = this.reasons.length
    return new TaskGroupError({
      message: `unhandled errors in a TaskGroup (${count} sub-exception${count === 1 ? "" : "s"})`,
      errors: this.errors,
      cause: Cause.fromReasons(this.reasons)
    }) as TaskGroupError<E>
  }

  toJSON(): unknown {
    return { _id: "TaskGroup", state: this.state, tasks: this.tasks.size }
  }
}

/**
 * Runs a body that starts tasks, and waits for all of them, like
 * `async with asyncio.TaskGroup() as tg`. If any task fails, the others and
 * the body are interrupted and the group fails with a {@link TaskGroupError}
 * holding every error.
 *
 * **When to use**
 *
 * Use when the number of tasks is not known up front, when tasks start more
 * tasks, or whenever a failure should stop the whole group: it is the safest
 * way to run work concurrently.
 *
 * **Details**
 *
 * - The body runs at once. `tg.createTask(effect)` starts a task owned by
 *   the group; the body and running tasks may add tasks until the group is
 *   shutting down or has finished.
 * - The group waits for every task, then returns the body's value.
 * - When a task or the body fails (typed failure or defect, but not a plain
 *   interruption of one task), every other task and the body are
 *   interrupted, and the group fails with `TaskGroupError`: `errors` holds
 *   every typed failure in the order they happened, `cause` the full `Cause`.
 * - Interrupting the group from outside interrupts the body and all tasks
 *   and waits for them; the group then ends interrupted (errors raised on
 *   the way out are kept in the cause).
 * - The error type is inferred: a group whose tasks can fail with `ApiError`
 *   fails with `TaskGroupError<ApiError>`.
 *
 * **Gotchas**
 *
 * `tg.createTask` after the group is shutting down or finished dies with
 * `Cause.IllegalArgumentError`. The body's own typed failure is reported in
 * `errors` too, as asyncio puts it in the `ExceptionGroup`.
 *
 * **Example** (One failure stops the group)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Data, Deferred, Effect, Exit } from "effect"
 *
 * class ApiError extends Data.TaggedError("ApiError")<{ readonly id: number }> {}
 *
 * const program = Effect.gen(function*() {
 *   const sleeper = yield* Deferred.make<Exit.Exit<void>>()
 *   const error = yield* Effect.flip(aio.taskGroup((tg) =>
 *     Effect.gen(function*() {
 *       yield* tg.createTask(Effect.onExit(Effect.sleep("1 second"), (exit) => Deferred.succeed(sleeper, exit)))
 *       yield* tg.createTask(Effect.fail(new ApiError({ id: 2 })).pipe(Effect.delay("100 millis")))
 *     })
 *   ))
 *   return [error.errors, Exit.hasInterrupts(yield* Deferred.await(sleeper))]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [[new ApiError({ id: 2 })], true]
 * ```
 *
 * @see {@link gather} when the effects are known up front
 * @stability stable
 * @category constructors
 * @since 0.1.0
 */
export const taskGroup = <A, E, R>(
  body: (tg: TaskGroup) => Effect.Effect<A, E, R>
): Effect.Effect<A, TaskGroupError<E>, R> =>
  Effect.suspend(() => {
    const group = new TaskGroupImpl()
    const outcome = (): Effect.Effect<A, TaskGroupError<E>> => {
      if (group.reasons.length > 0) return Effect.fail(group.error<E>())
      // No errors: success, or the body's own interruption.
      return group.bodyExit as Exit.Exit<A, never>
    }
    const awaitGroup = (bodyFiber: Fiber.Fiber<A, E>) =>
      Effect.callback<A, TaskGroupError<E>>((resume) => {
        group.body = bodyFiber
        if (group.state !== "open") bodyFiber.interruptUnsafe()
        bodyFiber.addObserver((exit) => group.onBodyExit(exit))
        group.whenIdle(resume, outcome)
        return Effect.sync(() => {
          group.onIdle = undefined
          group.shutDown()
        })
      })
    // Interrupted from outside: the callback has stopped everything; wait for
    // it all to end and keep any error raised on the way out in the cause.
    const awaitShutdown = Effect.callback<void, TaskGroupError<E>>((resume) =>
      group.whenIdle(resume, () => group.reasons.length > 0 ? Effect.fail(group.error<E>()) : Effect.void)
    )
    return Effect.flatMap(
      Effect.forkChild(Effect.suspend(() => body(group)), { startImmediately: true }),
      (bodyFiber) =>
        Effect.onExitPrimitive(
          awaitGroup(bodyFiber),
          () => group.state === "finished" ? undefined : awaitShutdown
        )
    )
  })
