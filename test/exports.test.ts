import { assert, describe, it } from "@effect/vitest"
import { Cause } from "effect"
import * as aio from "effect-asyncio"

// The runtime names SPEC.md fixes, exported flat from the package root.
const spec = [
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
  "waitFor"
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
  })
})
