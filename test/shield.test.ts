import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Logger, Ref } from "effect"
import * as aio from "effect-asyncio"
import { advance, defectOf, failAfter, isInterruptedOnly, settle, succeedAfter } from "./utils/fixtures.ts"

describe("shield", () => {
  it.effect("without interruption behaves like the effect: same value", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(aio.shield(succeedAfter(10, "saved")))
      yield* advance(10)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("saved"))
    }))

  it.effect("without interruption raises the effect's typed failure and defects", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Effect.exit(aio.shield(Effect.fail("boom"))), Exit.fail("boom"))
      assert.strictEqual(defectOf(yield* Effect.exit(aio.shield(Effect.die("bug")))), "bug")
    }))

  it.effect("when the caller is interrupted, the caller ends at once and the work goes on to completion", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<Array<string>>([])
      const save = Effect.andThen(Effect.sleep(200), Ref.update(log, (l) => [...l, "saved"]))
      const caller = yield* Effect.forkChild(aio.shield(save))
      yield* advance(50)
      yield* Fiber.interrupt(caller)
      assert.isTrue(isInterruptedOnly(caller.pollUnsafe()!))
      assert.deepStrictEqual(yield* Ref.get(log), [])
      yield* advance(150)
      assert.deepStrictEqual(yield* Ref.get(log), ["saved"])
    }))

  it.effect("the work outlives a waitFor that times out (asyncio.wait_for(shield(...)))", () =>
    Effect.gen(function*() {
      const log = yield* Ref.make<Array<string>>([])
      const save = Effect.andThen(Effect.sleep(200), Ref.update(log, (l) => [...l, "saved"]))
      const fiber = yield* Effect.forkChild(Effect.gen(function*() {
        const exit = yield* Effect.exit(aio.waitFor(aio.shield(save), 100))
        yield* Ref.update(log, (l) => [...l, Exit.isFailure(exit) ? "timed out" : "in time"])
      }))
      yield* advance(100)
      assert.deepStrictEqual(yield* Ref.get(log), ["timed out"])
      yield* advance(100)
      assert.deepStrictEqual(yield* Ref.get(log), ["timed out", "saved"])
      assert.isTrue(Exit.isSuccess(fiber.pollUnsafe()!))
    }))

  it.effect("a failure after the caller left is logged, not lost", () =>
    Effect.gen(function*() {
      const logged = yield* Ref.make<Array<unknown>>([])
      const logger = Logger.make((options) => {
        Effect.runSync(Ref.update(logged, (l) => [...l, options.message]))
      })
      const caller = yield* Effect.forkChild(
        aio.shield(failAfter(100, "late failure")).pipe(Effect.provide(Logger.layer([logger])))
      )
      yield* advance(10)
      yield* Fiber.interrupt(caller)
      yield* advance(90)
      yield* settle
      const messages = JSON.stringify(yield* Ref.get(logged))
      assert.include(messages, "shield: the shielded effect failed after its caller was interrupted")
    }))
})
