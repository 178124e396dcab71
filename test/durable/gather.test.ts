import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as durable from "effect-asyncio/durable"
import { act, advance, failureOf, makeProbe, starts, startWorkflow } from "./utils.ts"

describe("durable gather", () => {
  describe("success", () => {
    it.effect("runs the activities at once and returns their results in input order", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          durable.gather([act(probe, "a", 300, "A"), act(probe, "b", 100, "B"), act(probe, "c", 200, "C")])
        )
        assert.deepStrictEqual(probe.log, ["a started", "b started", "c started"])
        yield* advance(299)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["A", "B", "C"]))
        assert.deepStrictEqual(probe.log.filter((line) => line.endsWith("done")), ["b done", "c done", "a done"])
      }))

    it.effect("keeps the shape of a record", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          durable.gather({ x: act(probe, "x", 10, 1), y: act(probe, "y", 5, 2) })
        )
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed({ x: 1, y: 2 }))
      }))

    it.effect("runs at most `concurrency` steps at a time", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          durable.gather([act(probe, "a", 100, 1), act(probe, "b", 100, 2), act(probe, "c", 100, 3)], {
            concurrency: 2
          })
        )
        assert.deepStrictEqual(probe.log, ["a started", "b started"])
        yield* advance(100)
        assert.strictEqual(starts(probe, "c"), 1)
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1, 2, 3]))
      }))

    it.effect("succeeds at once with an empty input", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(probe, Effect.all([durable.gather([]), durable.gather({})]))
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([[], {}]))
      }))

    it.effect("a replay returns the recorded results without running the activities again", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          Effect.gen(function*() {
            const results = yield* durable.gather([act(probe, "a", 100, 1), act(probe, "b", 200, 2)])
            yield* durable.sleep("2 hours")
            return results
          })
        )
        yield* advance(200)
        const runsBeforeSleep = probe.runs
        yield* advance(2 * 60 * 60 * 1000)
        assert.isAbove(probe.runs, runsBeforeSleep)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1, 2]))
        assert.strictEqual(starts(probe, "a"), 1)
        assert.strictEqual(starts(probe, "b"), 1)
      }))
  })

  describe("failure", () => {
    it.effect("fails with the first failure and interrupts the other steps", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          durable.gather([act(probe, "slow", 500, 1), act(probe, "broken", 100, 2, "boom")])
        )
        yield* advance(100)
        assert.strictEqual(failureOf(fiber.pollUnsafe()), "boom")
        assert.include(probe.log, "slow interrupted")
      }))

    it.effect("a replay fails the recorded way, and runs only the step that failed", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        // Both fail at the same instant: the first to end is recorded.
        const fiber = yield* startWorkflow(
          probe,
          Effect.gen(function*() {
            const error = yield* Effect.flip(
              durable.gather([act(probe, "a", 100, 1, "a failed"), act(probe, "b", 100, 2, "b failed")])
            )
            yield* durable.sleep("1 hour")
            return error
          })
        )
        yield* advance(100)
        yield* advance(60 * 60 * 1000)
        assert.isAbove(probe.runs, 1)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("a failed"))
        assert.strictEqual(starts(probe, "a"), 1)
        assert.strictEqual(starts(probe, "b"), 1)
      }))

    it.effect("returnExceptions keeps every outcome and never fails", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          durable.gather([act(probe, "ok", 100, 1), act(probe, "ko", 50, 2, "boom")], { returnExceptions: true })
        )
        yield* advance(100)
        const exit = fiber.pollUnsafe()
        assert.isTrue(exit !== undefined && Exit.isSuccess(exit))
        const [ok, ko] = (exit as Exit.Success<[Exit.Exit<number, string>, Exit.Exit<number, string>]>).value
        assert.deepStrictEqual(ok, Exit.succeed(1))
        assert.strictEqual(failureOf(ko), "boom")
      }))
  })

  describe("durable waits", () => {
    it.effect("a step waiting on a long durable timer suspends the run once the others are done, and the replay finishes", () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(
          probe,
          durable.gather([
            Effect.andThen(durable.sleep("2 hours"), act(probe, "after-sleep", 100, "late")),
            act(probe, "now", 100, "now")
          ])
        )
        yield* advance(100)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(2 * 60 * 60 * 1000 - 100)
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["late", "now"]))
        assert.strictEqual(starts(probe, "now"), 1)
        assert.strictEqual(starts(probe, "after-sleep"), 1)
      }))
  })
})
