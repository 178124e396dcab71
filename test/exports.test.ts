import { assert, describe, it } from "@effect/vitest"
import { Cause } from "effect"
import * as aio from "effect-asyncio"

// The runtime names SPEC.md fixes, exported flat from the package root.
const spec = [
  "HungError",
  "failIfHung",
  "taskTree",
  "taskName",
  "formatTaskTree",
  "currentTask",
  "cancelReason",
  "allTasks",
  // Progress and deadline propagation (issue 13)
  "makeProgress",
  "currentDeadline",
  "deadlineSignal",
  "ALL_COMPLETED",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
  "InvalidStateError",
  "TaskGroupError",
  "asCompleted",
  "asCompletedTasks",
  "cancel",
  "createTask",
  "exception",
  "gather",
  "isCancelled",
  "isDone",
  "quorum",
  "result",
  "run",
  "shield",
  "taskGroup",
  "timeout",
  "timeoutAt",
  "wait",
  "waitFor",
  // Synchronization and queues
  "BrokenBarrierError",
  "QueueEmpty",
  "QueueFull",
  "QueueShutDown",
  "makeBarrier",
  "makeBoundedSemaphore",
  "makeCondition",
  "makeEvent",
  "makeLifoQueue",
  "makeLock",
  "makePriorityQueue",
  "makeQueue",
  "makeSemaphore",
  "sleep",
  // Work off the event loop (issue 12): asyncio's to_thread / run_in_executor
  "WorkerError",
  "makeExecutor",
  "toThread",
  "workerModule"
]

describe("exports", () => {
  it("exports exactly SPEC's names, nothing missing and nothing leaked", () => {
    assert.deepStrictEqual(Object.keys(aio).sort(), [...spec].sort())
  })

  it("exports the return_when constants under their own names", () => {
    assert.deepStrictEqual([aio.ALL_COMPLETED, aio.FIRST_COMPLETED, aio.FIRST_EXCEPTION], [
      "ALL_COMPLETED",
      "FIRST_COMPLETED",
      "FIRST_EXCEPTION"
    ])
  })

  it("exports errors with their tags", () => {
    assert.strictEqual(new aio.InvalidStateError({ message: "m" })._tag, "InvalidStateError")
    assert.strictEqual(new aio.TaskGroupError({ cause: Cause.empty })._tag, "TaskGroupError")
    assert.deepStrictEqual(
      [aio.QueueFull, aio.QueueEmpty, aio.QueueShutDown, aio.BrokenBarrierError].map((E) =>
        new E({ message: "m" })._tag
      ),
      ["QueueFull", "QueueEmpty", "QueueShutDown", "BrokenBarrierError"]
    )
    assert.strictEqual(
      new aio.WorkerError({ message: "m", module: "file:///j.ts", job: "f", error: 1 })._tag,
      "WorkerError"
    )
  })
})
