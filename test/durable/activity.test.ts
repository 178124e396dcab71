import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import * as durable from "effect-asyncio/durable"
import { Activity } from "effect/workflow"
import { advance, defectOf, failureOf, makeProbe, startWorkflow } from "./utils.ts"

class Declined extends Schema.TaggedError<Declined>()("Declined", { reason: Schema.String }) {}

const hour = 60 * 60 * 1000

describe("durable activity", () => {
  it.effect("runs its effect once; a replay returns the recorded value", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      let bodies = 0
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const value = yield* durable.activity(Effect.sync(() => ++bodies))
          yield* durable.sleep("2 hours")
          return value
        })
      )
      yield* advance(2 * hour)
      assert.isAbove(probe.runs, 1)
      assert.strictEqual(bodies, 1)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(1))
    }))

  it.effect("a call site that runs in a loop gets one name per run of it", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          const values: Array<number> = []
          for (let i = 0; i < 3; i++) values.push(yield* durable.activity(Effect.succeed(i)))
          return values
        })
      )
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([0, 1, 2]))
    }))

  it.effect("keeps typed failures, as the error schema stores them", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        durable.activity(Effect.fail(new Declined({ reason: "no funds" })), { error: Declined })
      )
      const error = failureOf(fiber.pollUnsafe())
      assert.instanceOf(error, Declined)
      assert.strictEqual((error as Declined).reason, "no funds")
    }))

  it.effect("stores a value that is not JSON data through its success schema", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const when = new Date(86_400_000)
      const fiber = yield* startWorkflow(
        probe,
        Effect.all([
          durable.activity(Effect.succeed(when), { success: Schema.Date }),
          Effect.exit(durable.activity(Effect.succeed(when as never)))
        ])
      )
      const exit = fiber.pollUnsafe() as Exit.Success<[Date, Exit.Exit<never>]>
      assert.strictEqual(exit.value[0].getTime(), when.getTime())
      // Without a schema a Date is refused, not stored as a string.
      assert.isTrue(Exit.isFailure(exit.value[1]) && Cause.hasDies(exit.value[1].cause))
    }))

  it.effect("an explicit name used twice in one run is misuse, not a shared result", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          yield* durable.activity(Effect.succeed(1), { name: "charge" })
          return yield* durable.activity(Effect.succeed(2), { name: "charge" })
        })
      )
      const defect = defectOf(fiber.pollUnsafe())
      assert.isTrue(Cause.isIllegalArgumentError(defect))
      assert.match((defect as Error).message, /^activity: name "charge" is already used in this run of workflow "Test"/)
    }))

  it.effect("an Activity made by hand and given twice to a verb is misuse", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const charge = Activity.make({ name: "charge", success: Schema.Number, execute: Effect.succeed(1) })
      const fiber = yield* startWorkflow(probe, durable.gather([charge, charge]))
      const defect = defectOf(fiber.pollUnsafe())
      assert.isTrue(Cause.isIllegalArgumentError(defect))
      assert.match((defect as Error).message, /^gather: name "charge" is already used/)
    }))

  it.effect("names the steps inside an activity under the activity's name", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      // The inner activity has the same call site and counter as the outer
      // one would have at the top: only the path keeps them apart.
      // If they shared a name, the second would return the first's result.
      const inner = (value: string) => durable.activity(Effect.succeed(value))
      const fiber = yield* startWorkflow(
        probe,
        Effect.all([durable.activity(inner("inside outer"), { name: "outer" }), inner("at the top")])
      )
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["inside outer", "at the top"]))
    }))
})
