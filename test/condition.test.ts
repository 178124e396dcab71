/**
 * `makeCondition`: the behaviour CPython's test_locks.py `ConditionTests`
 * checks (3.12's notified-then-cancelled fix included).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { atEveryYieldPoint, settle } from "./utils/fixtures.ts"

/** A fiber that waits on `cond` under its lock and logs `id` once woken (holding the lock, then releasing it). */
const waiter = (cond: aio.Condition, log: Array<number>, id: number) =>
  Effect.forkChild(cond.withLock(Effect.andThen(cond.wait, Effect.sync(() => log.push(id)))))

/** A fiber waiting on a new condition, logging whether the lock is held when its wait is interrupted. */
const waitingUnderLock = Effect.gen(function*() {
  const cond = yield* aio.makeCondition()
  const log: Array<string> = []
  const fiber = yield* Effect.forkChild(cond.withLock(
    Effect.onInterrupt(cond.wait, () => Effect.map(cond.locked, (locked) => log.push(`locked ${locked}`)))
  ))
  yield* settle
  return { cond, fiber, log }
})

describe("makeCondition", () => {
  it.effect("wait releases the lock while it waits and holds it again when it returns true (test_wait)", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      const log: Array<string> = []
      const fiber = yield* Effect.forkChild(cond.withLock(Effect.gen(function*() {
        const result = yield* cond.wait
        log.push(`woken ${result}, locked ${yield* cond.locked}`)
      })))
      yield* settle
      assert.isFalse(yield* cond.locked, "released while waiting")
      yield* cond.withLock(cond.notify())
      yield* settle
      assert.deepStrictEqual(log, ["woken true, locked true"])
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.void)
      assert.isFalse(yield* cond.locked)
    }))

  it.effect("notify(n) wakes the n fibers that waited longest; notifyAll the rest (test_notify, test_notify_all)", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      const log: Array<number> = []
      for (const id of [1, 2, 3, 4]) yield* waiter(cond, log, id)
      yield* settle
      yield* cond.withLock(cond.notify())
      yield* settle
      assert.deepStrictEqual(log, [1])
      yield* cond.withLock(cond.notify(2))
      yield* settle
      assert.deepStrictEqual(log, [1, 2, 3])
      yield* cond.withLock(cond.notifyAll)
      yield* settle
      assert.deepStrictEqual(log, [1, 2, 3, 4])
      yield* cond.withLock(cond.notify(5)) // nobody waits: nothing happens
    }))

  it.effect("a woken fiber runs only once it has the lock back", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      const log: Array<number> = []
      yield* waiter(cond, log, 1)
      yield* settle
      yield* cond.acquire
      yield* cond.notify()
      yield* settle
      assert.deepStrictEqual(log, [], "notified, but the notifier holds the lock")
      yield* cond.release
      yield* settle
      assert.deepStrictEqual(log, [1])
    }))

  it.effect("waitFor rechecks the predicate after each wake and returns its value (test_wait_for)", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      let presses = 0
      const fiber = yield* Effect.forkChild(cond.withLock(cond.waitFor(() => presses >= 3 && `pressed ${presses}`)))
      for (let i = 0; i < 3; i++) {
        yield* settle
        assert.isUndefined(fiber.pollUnsafe())
        yield* cond.withLock(Effect.andThen(Effect.sync(() => presses++), cond.notify()))
      }
      yield* settle
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("pressed 3"))
    }))

  it.effect("waitFor with a true predicate returns at once; the predicate may be an effect", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      assert.strictEqual(yield* cond.withLock(cond.waitFor(Effect.succeed(7))), 7)
    }))

  it.effect("an interrupted wait takes the lock back before it ends interrupted (test_wait_cancel)", () =>
    Effect.gen(function*() {
      const { cond, fiber, log } = yield* waitingUnderLock
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(log, ["locked true"])
      assert.isTrue(Exit.hasInterrupts(fiber.pollUnsafe()!))
      assert.isFalse(yield* cond.locked, "withLock released it on the way out")
    }))

  it.effect("an interrupted wait waits for the lock, uninterruptibly, when another fiber holds it (test_wait_cancel_contested)", () =>
    Effect.gen(function*() {
      const { cond, fiber, log } = yield* waitingUnderLock
      yield* cond.acquire
      const interrupting = yield* Effect.forkChild(Fiber.interrupt(fiber))
      yield* settle
      assert.isUndefined(fiber.pollUnsafe(), "still taking the lock back")
      assert.isUndefined(interrupting.pollUnsafe())
      yield* cond.release
      yield* settle
      assert.deepStrictEqual(log, ["locked true"])
      assert.isTrue(Exit.hasInterrupts(fiber.pollUnsafe()!))
      assert.isFalse(yield* cond.locked)
    }))

  it.effect("a fiber interrupted after it was notified, before it ran, passes the notification on (test_wait_cancel_after_notify)", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      const log: Array<number> = []
      const first = yield* waiter(cond, log, 1)
      yield* waiter(cond, log, 2)
      yield* waiter(cond, log, 3)
      yield* settle
      yield* cond.withLock(cond.notify())
      first.interruptUnsafe()
      yield* settle
      assert.deepStrictEqual(log, [2], "the notification went to 2, not lost")
      assert.isTrue(Exit.hasInterrupts(first.pollUnsafe()!))
      assert.isFalse(yield* cond.locked)
    }))

  it.effect("a lock can be shared between conditions (test_explicit_lock)", () =>
    Effect.gen(function*() {
      const lock = yield* aio.makeLock()
      const a = yield* aio.makeCondition(lock)
      const b = yield* aio.makeCondition(lock)
      yield* lock.acquire
      assert.isTrue(yield* a.locked)
      assert.isTrue(yield* b.locked)
      yield* b.release
      assert.isFalse(yield* lock.locked)
    }))

  it.effect("waitFor(cond.wait, 500) under the lock times out and holds the lock again (test_timeout_in_block)", () =>
    Effect.gen(function*() {
      const cond = yield* aio.makeCondition()
      const fiber = yield* Effect.forkChild(cond.withLock(
        Effect.andThen(
          Effect.flip(aio.waitFor(cond.wait, 500)),
          (error) => Effect.map(cond.locked, (locked) => [error._tag, locked])
        )
      ))
      yield* settle
      yield* TestClock.adjust(500)
      yield* settle
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["TimeoutError", true]))
      assert.isFalse(yield* cond.locked)
    }))
})

describe("Condition's methods detached from the condition", () => {
  it.effect("withLock, waitFor and notify work point-free and destructured", () =>
    Effect.gen(function*() {
      const condition = yield* aio.makeCondition()
      const { withLock, waitFor, notify } = condition
      let ready = false
      const waiter = yield* Effect.forkChild(withLock(waitFor(() => ready)))
      yield* settle
      yield* withLock(Effect.andThen(Effect.sync(() => ready = true), Effect.forEach([1], notify)))
      assert.isTrue(yield* Fiber.join(waiter))
      assert.deepStrictEqual(yield* Effect.forEach([Effect.succeed("a")], condition.withLock), ["a"])
    }))
})

describe("Condition and a fiber yielding between any two steps", () => {
  // wait released the lock, then yielded before it joined the line: a
  // notifier that took the lock meanwhile found nobody to notify.
  it("a notify made as soon as wait releases the lock reaches the waiter", async () => {
    assert.deepStrictEqual(
      await atEveryYieldPoint((pad) =>
        Effect.gen(function*() {
          const condition = yield* aio.makeCondition()
          yield* condition.acquire
          const waiter = yield* Effect.forkChild(condition.withLock(pad(condition.wait)))
          yield* condition.release
          yield* Effect.yieldNow
          yield* condition.withLock(condition.notifyAll)
          return yield* Fiber.join(waiter)
        })
      ),
      []
    )
  })
})
