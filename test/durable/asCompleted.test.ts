import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import * as durable from "effect-asyncio/durable"
import { act, advance, failureOf, makeProbe, starts, startWorkflow } from "./utils.ts"

const hour = 60 * 60 * 1000

describe("durable asCompleted", () => {
  it.effect("streams the results in the order the steps finish", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        durable.asCompleted([act(probe, "a", 300, "A"), act(probe, "b", 100, "B"), act(probe, "c", 200, "C")]).pipe(
          Stream.runCollect
        )
      )
      yield* advance(300)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["B", "C", "A"]))
    }))

  it.effect("a replay delivers the recorded order, without running the steps again", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      // On replay every step returns its recorded result at once; the order
      // is the recorded one, not the order of the input.
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const order = yield* durable.asCompleted([act(probe, "a", 200, "A"), act(probe, "b", 100, "B")]).pipe(
            Stream.runCollect
          )
          yield* durable.sleep("2 hours")
          return order
        })
      )
      yield* advance(200)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["B", "A"]))
      assert.strictEqual(starts(probe, "a"), 1)
      assert.strictEqual(starts(probe, "b"), 1)
    }))

  it.effect("the timeout fails the stream after the results already delivered, the same way on replay", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const seen: Array<string> = []
          const error = yield* durable.asCompleted(
            [act(probe, "fast", 100, "F"), act(probe, "slow", 5000, "S")],
            { timeout: 1000 }
          ).pipe(Stream.runForEach((value) => Effect.sync(() => seen.push(value))), Effect.flip)
          yield* durable.sleep("2 hours")
          return [seen, typeof error === "string" ? error : error._tag]
        })
      )
      yield* advance(1000)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([["F"], "TimeoutError"]))
      assert.strictEqual(starts(probe, "slow"), 1)
    }))

  it.effect("a failing step fails the stream and stops the others", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        durable.asCompleted([act(probe, "a", 300, "A"), act(probe, "b", 100, "B", "boom")]).pipe(Stream.runCollect)
      )
      yield* advance(100)
      assert.strictEqual(failureOf(fiber.pollUnsafe()), "boom")
      assert.include(probe.log, "a interrupted")
    }))

  it.effect("a consumer that stops early stops the steps it did not take", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        durable.asCompleted([act(probe, "a", 300, "A"), act(probe, "b", 100, "B")]).pipe(
          Stream.take(1),
          Stream.runCollect
        )
      )
      yield* advance(100)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["B"]))
      assert.include(probe.log, "a interrupted")
    }))

  it.effect("runs at most `concurrency` steps at a time", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        durable.asCompleted([act(probe, "a", 100, "A"), act(probe, "b", 100, "B")], { concurrency: 1 }).pipe(
          Stream.runCollect
        )
      )
      assert.deepStrictEqual(probe.log, ["a started"])
      yield* advance(200)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["A", "B"]))
    }))

  it.effect("an empty input ends at once", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        durable.asCompleted([] as Array<Effect.Effect<string>>).pipe(Stream.runCollect)
      )
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([]))
    }))
})
