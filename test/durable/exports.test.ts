import { assert, describe, it } from "@effect/vitest"
import * as durable from "effect-asyncio/durable"

// The runtime names of effect-asyncio/durable (issue 14): the verbs, the
// engines, the store's error and the timer setting, and the core's quorum for
// wait.
const names = [
  "ALL_COMPLETED",
  "DurableStoreError",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
  "InMemoryThreshold",
  "activity",
  "asCompleted",
  "defaultPollInterval",
  "gather",
  "layerMemory",
  "layerPostgres",
  "layerSqlite",
  "layerSqliteClient",
  "quorum",
  "sleep",
  "timeout",
  "wait",
  "waitFor"
]

describe("durable exports", () => {
  it("exports exactly the durable names, nothing missing and nothing leaked", () => {
    assert.deepStrictEqual(Object.keys(durable).sort(), [...names].sort())
  })
})
