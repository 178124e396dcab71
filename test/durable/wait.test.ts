import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
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

describe("durable wait with quorum(k)", () => {
  it.effect("durable.quorum(k) and aio.quorum(k) make the same value, which either wait takes", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(durable.quorum(2), aio.quorum(2))
      const tasks = [yield* aio.createTask(Effect.succeed(1)), yield* aio.createTask(Effect.never)]
      const { done, pending } = yield* aio.wait(tasks, { returnWhen: durable.quorum(1) })
      assert.deepStrictEqual([done, pending], [[tasks[0]], [tasks[1]]])
      yield* aio.cancel(tasks[1])
    }))

  it.effect("returns as soon as k steps have succeeded; a failure does not count, the rest stay pending", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { done, pending } = yield* durable.wait(
            [
              act(probe, "a", 100, "A", "no"),
              act(probe, "b", 200, "B"),
              act(probe, "c", 300, "C"),
              act(probe, "d", 5000, "D")
            ],
            { returnWhen: durable.quorum(2) }
          )
          probe.log.push("wait returned")
          const outcomes = yield* Effect.forEach(done, (step) => Effect.catch(Fiber.join(step), Effect.succeed))
          return [outcomes, pending.length]
        })
      )
      yield* advance(299)
      assert.notInclude(probe.log, "wait returned")
      yield* advance(1)
      assert.deepStrictEqual(
        fiber.pollUnsafe(),
        Exit.succeed([["no", "B", "C"], 1])
      )
      assert.include(probe.log, "d interrupted")
    }))

  it.effect("returns as soon as k successes are impossible: failures, defects and interruptions count against it", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { done, pending } = yield* durable.wait(
            [
              act(probe, "a", 100, 1, "no"),
              Effect.andThen(act(probe, "b", 200, 2), Effect.die("crash")),
              Effect.andThen(act(probe, "c", 300, 3), Effect.interrupt),
              act(probe, "d", 5000, 4)
            ],
            { returnWhen: durable.quorum(2) }
          )
          probe.log.push("wait returned")
          return [done.length, pending.length]
        })
      )
      // Two of four ended without a value: c and d could still make two.
      yield* advance(299)
      assert.notInclude(probe.log, "wait returned")
      yield* advance(1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([3, 1]))
      assert.strictEqual(starts(probe, "d"), 1)
    }))

  it.effect("with a timeout, returns what holds when it passes; aio.quorum is the same value", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const { done, pending } = yield* durable.wait(
            [act(probe, "a", 100, 1), act(probe, "b", 5000, 2), act(probe, "c", 6000, 3)],
            { returnWhen: aio.quorum(2), timeout: 1000 }
          )
          return [yield* Effect.forEach(done, Fiber.join), pending.length]
        })
      )
      yield* advance(999)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([[1], 2]))
    }))

  it.effect("a replay returns the recorded split, though by then every step is done", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          // The first step is the slowest: a replay in which all three answer
          // at once would otherwise count the first two.
          const { done, pending } = yield* durable.wait(
            [act(probe, "slow", 300, "S"), act(probe, "fast", 100, "F"), act(probe, "mid", 200, "M")],
            { returnWhen: durable.quorum(2) }
          )
          const late = yield* Effect.forEach(pending, Fiber.join)
          yield* durable.sleep("2 hours")
          return [yield* Effect.forEach(done, Fiber.join), late]
        })
      )
      yield* advance(300)
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([["F", "M"], ["S"]]))
      for (const name of ["slow", "fast", "mid"]) assert.strictEqual(starts(probe, name), 1)
    }))
})
