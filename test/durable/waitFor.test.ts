import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as durable from "effect-asyncio/durable"
import { act, advance, failureOf, makeProbe, starts, startWorkflow } from "./utils.ts"

const hour = 60 * 60 * 1000

describe("durable waitFor", () => {
  it.effect("returns the step's value when it finishes before the timeout", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(probe, durable.waitFor(act(probe, "a", 900, "A"), 1000))
      yield* advance(899)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("A"))
    }))

  it.effect("fails with TimeoutError at the deadline and interrupts the step", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(probe, durable.waitFor(act(probe, "slow", 5000, "A"), 1000))
      yield* advance(999)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.strictEqual((failureOf(fiber.pollUnsafe()) as { _tag: string })._tag, "TimeoutError")
      assert.include(probe.log, "slow interrupted")
    }))

  it.effect("passes the step's typed failure through", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(probe, durable.waitFor(act(probe, "a", 10, "A", "boom"), 1000))
      yield* advance(10)
      assert.strictEqual(failureOf(fiber.pollUnsafe()), "boom")
    }))

  it.effect("is pipeable, and a null timeout means no limit", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.all([act(probe, "a", 10, 1).pipe(durable.waitFor(20)), durable.waitFor(act(probe, "b", hour, 2), null)])
      )
      yield* advance(10 + hour)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1, 2]))
    }))

  it.effect("a replay after a timeout fails again without running the step again", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const error = yield* Effect.flip(durable.waitFor(act(probe, "slow", 5000, "A"), 1000))
          yield* durable.sleep("2 hours")
          return typeof error === "string" ? error : error._tag
        })
      )
      yield* advance(1000)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("TimeoutError"))
      assert.strictEqual(starts(probe, "slow"), 1)
    }))

  it.effect("a replay after the step won returns its value, even once the deadline has passed", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const value = yield* durable.waitFor(act(probe, "quick", 999, "A"), 1000)
          yield* durable.sleep("2 hours")
          return value
        })
      )
      yield* advance(999)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("A"))
      assert.strictEqual(starts(probe, "quick"), 1)
    }))

  it.effect("a step waiting on a durable timer suspends the run, and the deadline still holds on replay", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      // The body parks on a 2-hour sleep; the 3-hour deadline was recorded
      // before the run suspended, so the replay at 2 hours has 1 hour left.
      const fiber = yield* startWorkflow(
        probe,
        durable.waitFor(Effect.andThen(durable.sleep("2 hours"), act(probe, "then", 2 * hour, "A")), "3 hours")
      )
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.strictEqual(starts(probe, "then"), 1)
      yield* advance(hour - 1)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.strictEqual((failureOf(fiber.pollUnsafe()) as { _tag: string })._tag, "TimeoutError")
      assert.include(probe.log, "then interrupted")
    }))
})

describe("durable timeout", () => {
  it.effect("bounds a body of several steps, delay first", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.all([
          durable.timeout(1000, Effect.andThen(act(probe, "a", 400, 1), act(probe, "b", 400, 2))),
          Effect.flip(durable.timeout(500, Effect.andThen(act(probe, "c", 400, 1), act(probe, "d", 400, 2))))
        ], { concurrency: "unbounded" })
      )
      yield* advance(500)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(300)
      const exit = fiber.pollUnsafe()
      assert.isTrue(exit !== undefined && Exit.isSuccess(exit))
      const [value, error] = (exit as unknown as Exit.Success<[number, { _tag: string }]>).value
      assert.strictEqual(value, 2)
      assert.strictEqual(error._tag, "TimeoutError")
      assert.include(probe.log, "d interrupted")
    }))

  it.effect("a replay after the deadline passed fails again, without running the body again", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const error = yield* Effect.flip(
            durable.timeout(500, Effect.andThen(act(probe, "a", 400, 1), act(probe, "b", 400, 2)))
          )
          yield* durable.sleep("2 hours")
          return typeof error === "string" ? error : error._tag
        })
      )
      yield* advance(500)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("TimeoutError"))
      assert.strictEqual(starts(probe, "a"), 1)
      assert.strictEqual(starts(probe, "b"), 1)
    }))

  it.effect("is pipeable: body.pipe(timeout(delay))", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(probe, act(probe, "a", 10, 1).pipe(durable.timeout(20)))
      yield* advance(10)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(1))
    }))
})
