import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit } from "effect"
import * as durable from "effect-asyncio/durable"
import { act, advance, makeProbe, starts, startWorkflow } from "./utils.ts"

const hour = 60 * 60 * 1000

describe("durable sleep", () => {
  it.effect("a sleep within the in-memory threshold waits in memory, without suspending the run", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(probe, Effect.as(durable.sleep("30 seconds"), "woke"))
      yield* advance(30_000 - 1)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("woke"))
      // No replay: the run never suspended.
      assert.strictEqual(probe.runs, 1)
    }))

  it.effect("a longer sleep suspends the run, which is replayed when its durable clock fires", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const before = yield* act(probe, "before", 10, 1)
          yield* durable.sleep("2 hours")
          return before + (yield* act(probe, "after", 10, 2))
        })
      )
      yield* advance(10 + 2 * hour - 1)
      assert.isUndefined(fiber.pollUnsafe())
      assert.strictEqual(starts(probe, "after"), 0)
      yield* advance(1)
      yield* advance(10)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(3))
      assert.isAbove(probe.runs, 1)
      assert.strictEqual(starts(probe, "before"), 1)
    }))

  it.effect("InMemoryThreshold decides: zero makes every sleep suspend the run", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.provideService(durable.sleep("1 second"), durable.InMemoryThreshold, Duration.zero)
      )
      yield* advance(1000)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(undefined))
      assert.isAbove(probe.runs, 1)
    }))

  it.effect("a replay waits only for what is left of a recorded deadline", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      // Both start at 0; the 2-hour one wakes the run, whose replay finds the
      // 3-hour one with 1 hour left, not 3.
      const fiber = yield* startWorkflow(
        probe,
        durable.gather([durable.sleep("2 hours"), durable.sleep("3 hours")])
      )
      yield* advance(2 * hour)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(hour - 1)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([undefined, undefined]))
    }))

  it.effect("sleep(0) returns at once", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(probe, Effect.as(durable.sleep(0), "now"))
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("now"))
    }))
})
