import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import * as durable from "effect-asyncio/durable"
import { act, advance, makeProbe, starts, startWorkflow } from "./utils.ts"

const hour = 60 * 60 * 1000

describe("durable wait", () => {
  it.effect("FIRST_COMPLETED returns the first done; the pending ones go on and can be joined", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { done, pending } = yield* durable.wait(
            [act(probe, "slow", 300, "S"), act(probe, "fast", 100, "F")],
            { returnWhen: durable.FIRST_COMPLETED }
          )
          const first = yield* Fiber.join(done[0])
          probe.log.push(`wait returned ${first}, ${pending.length} pending`)
          return [first, yield* Fiber.join(pending[0])]
        })
      )
      yield* advance(100)
      assert.include(probe.log, "wait returned F, 1 pending")
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(200)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["F", "S"]))
    }))

  it.effect("FIRST_EXCEPTION returns at the first failure; ALL_COMPLETED waits for all", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const first = yield* durable.wait(
            [act(probe, "a", 300, 1), act(probe, "b", 100, 2), act(probe, "c", 200, 3, "boom")],
            { returnWhen: durable.FIRST_EXCEPTION }
          )
          const all = yield* durable.wait([act(probe, "d", 50, 4), act(probe, "e", 100, 5)])
          return [first.done.length, first.pending.length, all.done.length, all.pending.length]
        })
      )
      yield* advance(200)
      yield* advance(100)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([2, 1, 2, 0]))
    }))

  it.effect("a timeout returns what was done by the deadline, and never fails", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { done, pending } = yield* durable.wait(
            [act(probe, "a", 100, 1), act(probe, "b", 5000, 2)],
            { timeout: 1000 }
          )
          return [yield* Effect.forEach(done, Fiber.join), pending.length]
        })
      )
      yield* advance(999)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([[1], 1]))
    }))

  it.effect("a replay returns the recorded split, though by then every step is done", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { done, pending } = yield* durable.wait(
            [act(probe, "slow", 300, "S"), act(probe, "fast", 100, "F")],
            { returnWhen: durable.FIRST_COMPLETED }
          )
          const late = yield* Fiber.join(pending[0])
          yield* durable.sleep("2 hours")
          return [yield* Fiber.join(done[0]), late, done.length, pending.length]
        })
      )
      yield* advance(300)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["F", "S", 1, 1]))
      assert.strictEqual(starts(probe, "slow"), 1)
      assert.strictEqual(starts(probe, "fast"), 1)
    }))

  it.effect("a pending step that waits on a durable timer makes its joiner suspend the run", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { pending } = yield* durable.wait(
            [Effect.andThen(durable.sleep("2 hours"), act(probe, "late", 10, "L")), act(probe, "now", 10, "N")],
            { returnWhen: durable.FIRST_COMPLETED }
          )
          return yield* Fiber.join(pending[0])
        })
      )
      yield* advance(10)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(2 * hour)
      yield* advance(10)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("L"))
      assert.strictEqual(starts(probe, "now"), 1)
    }))
})
