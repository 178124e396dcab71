/**
 * The two errors this library defines, mirroring asyncio's `InvalidStateError`
 * and the `ExceptionGroup` a `TaskGroup` raises. Timeouts reuse Effect's own
 * `Cause.TimeoutError`, and bad arguments are defects carrying Effect's
 * `Cause.IllegalArgumentError`.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"

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

const TaskGroupErrorBase = Data.TaggedError("TaskGroupError")<{
  readonly message: string
  readonly cause: Cause.Cause<unknown>
}>

/**
 * The failure of a {@link taskGroup} in which a task or the body failed:
 * asyncio's `ExceptionGroup("unhandled errors in a TaskGroup", ...)`.
 *
 * **Details**
 *
 * - `cause`: the full `Cause` of everything that went wrong, typed failures
 *   and defects, in the order they happened, so nothing is lost when a task
 *   dies instead of failing.
 * - `errors`: every typed failure of the group's tasks and of its body, in the
 *   order they happened: the `Fail` reasons of `cause`. Its element type is
 *   inferred from the tasks.
 * - The error holds its failures once (in `cause`; `errors` is read from it),
 *   so printing, logging, comparing or serialising an error of many nested
 *   groups takes time in proportion to its size.
 *
 * @stability stable
 * @category errors
 * @since 0.1.0
 */
export class TaskGroupError<out E = unknown> extends TaskGroupErrorBase {
  declare readonly cause: Cause.Cause<E>

  constructor(args: { readonly cause: Cause.Cause<E>; readonly message?: string | undefined }) {
    super({ message: args.message ?? taskGroupMessage(args.cause), cause: args.cause })
  }

  /** The typed failures of `cause`, in order (computed once, not serialised). */
  get errors(): ReadonlyArray<E> {
    const errors = this.cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error)
    Object.defineProperty(this, "errors", { value: errors, enumerable: false })
    return errors
  }

  // Equal by message and cause, once each. Effect's structural default would
  // also walk `errors` and the constructor's arguments, which hold the same
  // failures again: time exponential in the depth of nested groups.
  [Equal.symbol](that: unknown): boolean {
    return that instanceof TaskGroupError && this.message === that.message && Equal.equals(this.cause, that.cause)
  }

  [Hash.symbol](): number {
    return Hash.combine(Hash.string(this.message))(Hash.hash(this.cause))
  }
}

const taskGroupMessage = (cause: Cause.Cause<unknown>): string => {
  const count = cause.reasons.length
  return `unhandled errors in a TaskGroup (${count} sub-exception${count === 1 ? "" : "s"})`
}

/**
 * Raised by `putNowait` on a full queue, as asyncio raises
 * `asyncio.QueueFull`.
 *
 * @category errors
 * @since 0.1.0
 */
export class QueueFull extends Data.TaggedError("QueueFull")<{
  readonly message: string
}> {}

/**
 * Raised by `getNowait` on an empty queue that is not shut down, as asyncio
 * raises `asyncio.QueueEmpty`.
 *
 * @category errors
 * @since 0.1.0
 */
export class QueueEmpty extends Data.TaggedError("QueueEmpty")<{
  readonly message: string
}> {}

/**
 * Raised by a queue after `shutdown()`: by `put` and `putNowait` at once
 * (blocked putters are woken with it), and by `get` and `getNowait` once the
 * queue is empty (blocked getters are woken with it), as asyncio 3.13 raises
 * `asyncio.QueueShutDown`.
 *
 * @category errors
 * @since 0.1.0
 */
export class QueueShutDown extends Data.TaggedError("QueueShutDown")<{
  readonly message: string
}> {}

/**
 * Raised by a barrier's `wait` when the barrier is aborted, or reset while
 * fibers wait on it, as asyncio raises `asyncio.BrokenBarrierError`.
 *
 * @category errors
 * @since 0.1.0
 */
export class BrokenBarrierError extends Data.TaggedError("BrokenBarrierError")<{
  readonly message: string
}> {}

/**
 * The failure of a job run on a worker thread by `toThread` or an
 * executor's `run`: the job threw (or its promise rejected), or its thread
 * died under it. asyncio's `to_thread` re-raises the function's own
 * exception; a thrown value cannot keep its class across threads, so it is
 * kept in `error` as it crossed: an `Error` keeps its name, message, stack,
 * cause and own properties (such as `code`), other values are copied.
 *
 * @category errors
 * @since 0.1.0
 */
export class WorkerError extends Data.TaggedError("WorkerError")<{
  readonly message: string
  /** The URL of the job's module. */
  readonly module: string
  /** The name of the job's function. */
  readonly job: string
  /** What the job threw, as it crossed the thread boundary. */
  readonly error: unknown
}> {}

/**
 * The failure of {@link failIfHung}: the effect had not finished after the
 * given real time. `tree` is the task tree at that moment (print it with
 * `formatTaskTree`), and the message holds it already rendered, so a hung
 * test says where it waits.
 *
 * @category errors
 * @since 0.1.0
 */
export class HungError extends Data.TaggedError("HungError")<{
  readonly message: string
  /** The task tree when the limit passed. */
  readonly tree: import("./taskTree.ts").TaskTree
}> {}
