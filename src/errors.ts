/**
 * The two errors this library defines, mirroring asyncio's `InvalidStateError`
 * and the `ExceptionGroup` a `TaskGroup` raises. Timeouts reuse Effect's own
 * `Cause.TimeoutError`, and bad arguments are defects carrying Effect's
 * `Cause.IllegalArgumentError`.
 *
 * @stability stable
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"

/**
 * Raised by {@link result} and {@link exception} on a task that has not
 * finished, as asyncio's `Future.result()` raises `InvalidStateError`.
 *
 * **Example** (Reading the result of a running task)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const task = yield* aio.createTask(Effect.never)
 *   return yield* Effect.flip(aio.result(task))
 * })
 *
 * Effect.runPromise(program).then((error) => console.log(error._tag))
 * // => "InvalidStateError"
 * ```
 *
 * @stability stable
 * @category errors
 * @since 0.1.0
 */
export class InvalidStateError extends Data.TaggedError("InvalidStateError")<{
  readonly message: string
}> {}

// `Data.TaggedError` cannot take a generic field directly (TS2562), so the
// generic class derives from a non-generic tagged base.
const TaskGroupErrorBase = Data.TaggedError("TaskGroupError")<{
  readonly message: string
  readonly errors: ReadonlyArray<unknown>
  readonly cause: Cause.Cause<unknown>
}>

/**
 * The failure of a {@link taskGroup} in which a task or the body failed:
 * asyncio's `ExceptionGroup("unhandled errors in a TaskGroup", ...)`.
 *
 * **Details**
 *
 * - `errors`: every typed failure of the group's tasks and of its body, in the
 *   order they happened. Its element type is inferred from the tasks.
 * - `cause`: the full `Cause` of everything that went wrong, defects included,
 *   so nothing is lost when a task dies instead of failing.
 *
 * @stability stable
 * @category errors
 * @since 0.1.0
 */
export class TaskGroupError<out E = unknown> extends TaskGroupErrorBase {
  declare readonly errors: ReadonlyArray<E>
}
