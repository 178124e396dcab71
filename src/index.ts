/**
 * effect-asyncio: Python asyncio's vocabulary for composing concurrent work
 * (`gather`, `wait`, `as_completed`, `wait_for`, `timeout`, `TaskGroup`,
 * `shield`, tasks with `cancel`; locks, events, conditions, semaphores,
 * barriers, queues, `sleep`, `to_thread`) on Effect v4 fibers.
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * ```
 *
 * @stability stable
 * @since 0.1.0
 */

export { asCompleted, type AsCompletedOptions, asCompletedTasks, type AsCompletedTasksOptions } from "./asCompleted.ts"
export { type Barrier, makeBarrier } from "./barrier.ts"
export { type CancelReason, cancelReason } from "./cancelReason.ts"
export { type Condition, makeCondition } from "./condition.ts"
export { currentDeadline, deadlineSignal } from "./currentDeadline.ts"
export {
  BrokenBarrierError,
  HungError,
  InvalidStateError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  TaskGroupError,
  WorkerError
} from "./errors.ts"
export { type Event, makeEvent } from "./event.ts"
export {
  type Executor,
  type ExecutorOptions,
  makeExecutor,
  toThread,
  type WorkerFunctions,
  type WorkerModule,
  workerModule
} from "./executor.ts"
export { type Gather, gather, type GatherOptions } from "./gather.ts"
export { type Lock, type LockMethods, makeLock } from "./lock.ts"
export { makeProgress, type Progress } from "./progress.ts"
export {
  makeLifoQueue,
  makePriorityQueue,
  makeQueue,
  type PriorityQueueOptions,
  type Queue,
  type QueueOptions
} from "./queue.ts"
export { run, type RunOptions } from "./run.ts"
export { makeBoundedSemaphore, makeSemaphore, type Semaphore } from "./semaphore.ts"
export { shield } from "./shield.ts"
export { sleep } from "./sleep.ts"
export {
  allTasks,
  cancel,
  type CancelOptions,
  createTask,
  type CreateTaskOptions,
  currentTask,
  exception,
  isCancelled,
  isDone,
  result,
  taskName
} from "./task.ts"
export { type TaskGroup, taskGroup, type TaskGroupOptions } from "./taskGroup.ts"
export { failIfHung, formatTaskTree, type TaskTree, taskTree, type TaskTreeNode } from "./taskTree.ts"
export { type Timeout, timeout, timeoutAt, type TimeoutBody } from "./timeout.ts"
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type Quorum,
  quorum,
  type ReturnWhen,
  wait,
  type WaitOptions,
  type WaitResult
} from "./wait.ts"
export { waitFor } from "./waitFor.ts"
