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
import type * as Inspectable from "effect/Inspectable"
import type * as SubscriptionRef from "effect/SubscriptionRef"
import { TaskGroupError } from "./errors.ts"
import { progressAdded, progressEnded, progressOption, type ProgressRef } from "./internal/progress.ts"
import { registerNode } from "./internal/registry.ts"
import { Supervisor } from "./internal/supervisor.ts"
import { forkGroupTask, taskName } from "./internal/tasks.ts"
import { isDeep } from "./internal/trampoline.ts"
import { misuse } from "./internal/validate.ts"
import type { Progress } from "./progress.ts"

/**
 * The handle of a running {@link taskGroup}, like `asyncio.TaskGroup`. Users
 * get one only as the argument of the group's body.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface TaskGroup extends Inspectable.Inspectable {
  readonly "~effect-asyncio/TaskGroup": "~effect-asyncio/TaskGroup"
  /**
   * Starts a task owned by the group and returns its fiber, like
   * `tg.create_task(coro)`. The task starts as soon as the caller yields.
   *
   * The task's error type `E` appears in the error channel, as SPEC asks, and
   * also as {@link TaskGroup.TaskErrors} in the requirements, so that the
   * group's `TaskGroupError<E>` holds it even when the body catches its own
   * errors; `createTask` itself never fails with it, and `taskGroup` removes
   * the marker. On a group that is shutting down (a task failed) or has
   * finished, it dies with `Cause.IllegalArgumentError`, as asyncio raises
   * `RuntimeError`.
   */
  createTask<A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: TaskGroup.TaskOptions
  ): Effect.Effect<Fiber.Fiber<A, E>, E, R | TaskGroup.TaskErrors<E>>
  /**
   * Cancels the group, like asyncio 3.15's `TaskGroup.cancel()`: every task
   * and the body (if it is still running) are interrupted and awaited, and
   * the group then ends without an error (unless a task failed on its way
   * out: nothing is lost). The group's value is the body's, if the body had
   * returned before the cancellation, else `undefined`: the type says so
   * through the {@link TaskGroup.Cancels} marker, which makes the group's
   * value `A | undefined` as soon as its body or a task uses `cancel`. On a
   * group that is shutting down or has finished it does nothing.
   */
  readonly cancel: Effect.Effect<void, never, TaskGroup.Cancels>
}

/**
 * @category models
 * @since 0.1.0
 */
export declare namespace TaskGroup {
  /**
   * A type-only marker in the requirements of `tg.createTask`: it carries the
   * task's error type to the group, whatever the body does with its own
   * errors. Nothing provides it and nothing needs to: {@link taskGroup}
   * removes it from its requirements.
   */
  export interface TaskErrors<out E> {
    readonly "~effect-asyncio/TaskErrors": E
  }

  /**
   * A type-only marker in the requirements of `tg.cancel`: a group whose body
   * or tasks may cancel it can end before its body returns a value, so its
   * value is `A | undefined`. {@link taskGroup} removes it from its
   * requirements.
   */
  export interface Cancels {
    readonly "~effect-asyncio/Cancels": "~effect-asyncio/Cancels"
  }

  /** Options of `tg.createTask`. */
  export interface TaskOptions {
    /** The task's name (`aio.taskName`), as asyncio's `create_task(coro, name=...)`; default `Task-N`. */
    readonly name?: string | undefined
  }

  /** The task error types carried by a body's requirements. */
  export type ErrorsOf<R> = R extends TaskErrors<infer E> ? E : never

  /** A body's requirements without the markers. */
  export type Services<R> = Exclude<R, TaskErrors<any> | Cancels>

  /** The group's value: the body's, or possibly `undefined` when the group may be cancelled. */
  export type Result<A, R> = [Extract<R, Cancels>] extends [never] ? A : A | undefined
}

/**
 * Options of {@link taskGroup}.
 *
 * @category models
 * @since 0.1.0
 */
export interface TaskGroupOptions {
  /**
   * Counts of the group's tasks, updated as they are created and finish (see
   * {@link makeProgress}); the body is not counted. A task counts as running
   * from its creation.
   *
   * @default none: nothing is counted
   */
  readonly progress?: SubscriptionRef.SubscriptionRef<Progress> | undefined
}

/**
 * asyncio's states: `open` while tasks may be added, `shutting down` once a
 * failure (or an outside interruption) made the group interrupt everything,
 * `finished` once the body and every task have ended.
 */
const stateNames = { open: "open", stopping: "shutting down", closed: "finished" } as const

type AnyFiber = Fiber.Fiber<unknown, unknown>

/** The group: its body and its tasks are the supervisor's members; only the body is its own fiber. */
class TaskGroupImpl extends Supervisor<unknown> implements TaskGroup {
  declare readonly "~effect-asyncio/TaskGroup": "~effect-asyncio/TaskGroup"
  readonly kind = "task group"
  body: AnyFiber | undefined = undefined
  bodyExit: Exit.Exit<unknown, unknown> | undefined = undefined
  /** Set once `cancel` stopped the group. */
  cancelled = false
  /** Where to count the tasks, if the caller asked. */
  progress: ProgressRef | undefined = undefined
  readonly cancel: Effect.Effect<void, never, TaskGroup.Cancels> = Effect.suspend(() => {
    if (this.state !== "open") return Effect.void
    this.cancelled = true
    this.stop({ _tag: "GroupCancelled" })
    // Called by the body while it starts, before the group holds it: the
    // body stops itself, as it would at its next step.
    return this.body === undefined ? Effect.interrupt : Effect.void
  })

  override runs(fiber: AnyFiber): boolean {
    return fiber === this.body
  }

  /** Starts the body at once, as the group's one own fiber. */
  startBody(body: Effect.Effect<unknown, unknown>): void {
    this.body = this.startOwn(body)
    this.add(this.body)
  }

  readonly createTask = <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    options?: TaskGroup.TaskOptions
  ): Effect.Effect<Fiber.Fiber<A, E>, E, R | TaskGroup.TaskErrors<E>> =>
    Effect.suspend(() => {
      this.checkOpen()
      return Effect.map(forkGroupTask(effect, this, taskName("TaskGroup.createTask", options)), (fiber) => {
        // The group cannot end while one of its fibers is here creating a
        // task; only a handle leaked to an outside fiber can see it closed.
        if (this.state !== "open") fiber.interruptUnsafe()
        this.checkOpen()
        if (this.progress !== undefined) progressAdded(this.progress, 0, 1)
        this.add(fiber)
        return fiber
      })
    })

  checkOpen(): void {
    if (this.state !== "open") {
      throw misuse(`TaskGroup.createTask: cannot create a task, the task group is ${stateNames[this.state]}`)
    }
  }

  override ended(fiber: AnyFiber, exit: Exit.Exit<unknown, unknown>): void {
    if (fiber === this.body) this.bodyExit = exit
    else if (this.progress !== undefined) progressEnded(this.progress, exit)
    super.ended(fiber, exit)
  }

  /**
   * A typed failure or defect of a task or the body stops the group; so does
   * any way out of the body but success (even its own interruption), as in
   * asyncio. A plain interruption of one task is not an error.
   */
  protected override memberExited(fiber: AnyFiber, exit: Exit.Exit<unknown, unknown>): void {
    if (exit._tag === "Success") return
    const before = this.failures.length
    this.record(exit.cause)
    if (fiber === this.body || this.failures.length > before) {
      this.stop({ _tag: "SiblingFailed", task: fiber, cause: exit.cause })
    }
  }

  protected isComplete(): boolean {
    return true
  }

  outcome<A, E>(): Effect.Effect<A | undefined, TaskGroupError<E>> {
    if (this.failures.length > 0) return Effect.fail(this.error<E>())
    // Cancelled: the body's value if it had returned, else none.
    if (this.cancelled) return Effect.succeed(this.bodyExit?._tag === "Success" ? this.bodyExit.value as A : undefined)
    // No errors: success, or the body's own interruption.
    return this.bodyExit as Exit.Exit<A, never>
  }

  override own(): ReadonlyArray<AnyFiber> {
    return this.body !== undefined && this.body.pollUnsafe() === undefined ? [this.body] : []
  }

  override details(): string {
    const tasks = this.running - (this.bodyExit === undefined ? 1 : 0)
    return `${tasks} task${tasks === 1 ? "" : "s"}${this.cancelled ? ", cancelled" : ""}`
  }

  whenInterrupted<E>(): Effect.Effect<void, TaskGroupError<E>> {
    return this.failures.length > 0 ? Effect.fail(this.error<E>()) : Effect.void
  }

  error<E>(): TaskGroupError<E> {
    return new TaskGroupError({ cause: Cause.fromReasons(this.failures) as Cause.Cause<E> })
  }

  override toJSON(): unknown {
    return { _id: "TaskGroup", state: stateNames[this.state], tasks: this.running - (this.bodyExit ? 0 : 1) }
  }
}

Object.defineProperty(TaskGroupImpl.prototype, "~effect-asyncio/TaskGroup", { value: "~effect-asyncio/TaskGroup" })

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
  body: (tg: TaskGroup) => Effect.Effect<A, E, R>,
  options?: TaskGroupOptions
): Effect.Effect<TaskGroup.Result<A, R>, TaskGroupError<E | TaskGroup.ErrorsOf<R>>, TaskGroup.Services<R>> =>
  Effect.withFiber((caller) => {
    if (isDeep()) return Effect.andThen(Effect.yieldNow, taskGroup(body, options))
    const group = new TaskGroupImpl(caller)
    group.progress = progressOption("taskGroup", options?.progress)
    registerNode(group)
    group.startBody(Effect.suspend(() => body(group)) as Effect.Effect<unknown, unknown>)
    return group.awaitClosed(() => group.outcome<A, E>(), () => group.whenInterrupted<E>())
  }) as Effect.Effect<TaskGroup.Result<A, R>, TaskGroupError<E | TaskGroup.ErrorsOf<R>>, TaskGroup.Services<R>>
