/**
 * `sleep`: `asyncio.sleep` on the Clock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { settle } from "./utils/fixtures.ts"

describe("sleep", () => {
  it.effect("sleeps for the duration on the TestClock, not a tick less", () =>
    Effect.gen(function*() {
      for (const duration of [100, "100 millis", Duration.millis(100)] as const) {
        const fiber = yield* Effect.forkChild(aio.sleep(duration))
        yield* settle
        yield* TestClock.adjust(99)
        assert.isUndefined(fiber.pollUnsafe())
        yield* TestClock.adjust(1)
        yield* settle
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.void)
      }
    }))

  it.effect("sleep(0) and negative durations yield once, letting other fibers run, and take no time", () =>
    Effect.gen(function*() {
      for (const duration of [0, -5, Duration.zero]) {
        const log: Array<string> = []
        yield* Effect.forkChild(Effect.sync(() => log.push("other")))
        yield* aio.sleep(duration)
        log.push("after")
        assert.deepStrictEqual(log, ["other", "after"])
      }
      assert.strictEqual(yield* Clock.currentTimeMillis, 0)
    }))

  it.effect("is interruptible", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(aio.sleep("1 hour"))
      yield* settle
      yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.hasInterrupts(fiber.pollUnsafe()!))
    }))

  it.effect("an infinite duration never ends", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(aio.sleep(Duration.infinity))
      yield* settle
      yield* TestClock.adjust("1000 days")
      assert.isUndefined(fiber.pollUnsafe())
    }))
})
