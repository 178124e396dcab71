/**
 * effect-asyncio: Python asyncio's vocabulary for composing concurrent work
 * (`gather`, `wait`, `as_completed`, `wait_for`, `timeout`, `TaskGroup`,
 * `shield`, tasks with `cancel`) on Effect v4 fibers.
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * ```
 *
 * @stability stable
 * @since 0.1.0
 */

export { type AsCompletedOptions, type AsCompletedTasksOptions, asCompleted, asCompletedTasks } from "./asCompleted.ts"
export { InvalidStateError, TaskGroupError } from "./errors.ts"
export { type Gather, gather, type GatherOptions } from "./gather.ts"
export { run, type RunOptions } from "./run.ts"
export { shield } from "./shield.ts"
export { cancel, createTask, exception, isCancelled, isDone, result } from "./task.ts"
export { type TaskGroup, taskGroup } from "./taskGroup.ts"
export { type Timeout, timeout, timeoutAt, type TimeoutBody } from "./timeout.ts"
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  wait,
  type WaitOptions,
  type WaitResult
} from "./wait.ts"
export { waitFor } from "./waitFor.ts"
