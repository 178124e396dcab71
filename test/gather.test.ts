import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as aio from "effect-asyncio"
import { advance, succeedAfter } from "./utils/fixtures.ts"

describe("gather", () => {
  it.effect("returns results in input order whatever order the work finished in", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(aio.gather([succeedAfter(200, "a"), succeedAfter(100, "b")]))
      yield* advance(200)
      assert.deepStrictEqual(fiber.pollUnsafe()?._tag, "Success")
    }))
})
