/**
 * `makeEvent`: the behaviour CPython's test_locks.py `EventTests` checks.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { settle } from "./utils/fixtures.ts"

describe("makeEvent", () => {
  it.effect("starts clear; set and clear flip isSet (test_clear)", () =>
    Effect.gen(function*() {
      const event = yield* aio.makeEvent()
      assert.isFalse(yield* event.isSet)
      yield* event.set
      assert.isTrue(yield* event.isSet)
      yield* event.clear
      assert.isFalse(yield* event.isSet)
    }))

  it.effect("set wakes every waiter, in the order they came, each with true (test_wait)", () =>
    Effect.gen(function*() {
      const event = yield* aio.makeEvent()
      const log: Array<number> = []
      const waiters = []
      for (const id of [1, 2, 3]) {
        waiters.push(yield* Effect.forkChild(Effect.tap(event.wait, () => Effect.sync(() => log.push(id)))))
      }
      yield* settle
      assert.deepStrictEqual(log, [])
      yield* event.set
      yield* settle
      assert.deepStrictEqual(log, [1, 2, 3])
      for (const waiter of waiters) assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed(true))
    }))

  it.effect("wait on a set event returns true at once (test_wait_on_set)", () =>
    Effect.gen(function*() {
      const event = yield* aio.makeEvent()
      yield* event.set
      assert.strictEqual(yield* event.wait, true)
    }))

  it.effect("waiters woken by set return true even if the event is cleared before they run (test_clear_with_waiters)", () =>
    Effect.gen(function*() {
      const event = yield* aio.makeEvent()
      const waiter = yield* Effect.forkChild(event.wait)
      yield* settle
      yield* event.set
      yield* event.clear
      yield* settle
      assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed(true))
      const later = yield* Effect.forkChild(event.wait)
      yield* settle
      assert.isUndefined(later.pollUnsafe(), "a wait after clear waits again")
    }))

  it.effect("an interrupted waiter leaves; the others are still woken (test_wait_cancel)", () =>
    Effect.gen(function*() {
      const event = yield* aio.makeEvent()
      const a = yield* Effect.forkChild(event.wait)
      const b = yield* Effect.forkChild(event.wait)
      yield* settle
      yield* Fiber.interrupt(a)
      yield* event.set
      yield* settle
      assert.isTrue(Exit.hasInterrupts(a.pollUnsafe()!))
      assert.deepStrictEqual(b.pollUnsafe(), Exit.succeed(true))
    }))
})
