/**
 * `makeLock`: the behaviour CPython's test_locks.py `LockTests` checks, on
 * fibers, under the TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { atEveryYieldPoint, settle } from "./utils/fixtures.ts"

/** Forks a fiber that acquires `lock`, records `id`, and keeps the lock. */
const acquirer = (lock: aio.Lock, log: Array<number>, id: number) =>
  Effect.forkChild(Effect.andThen(lock.acquire, Effect.sync(() => log.push(id))))

describe("makeLock", () => {
  describe("success", () => {
    it.effect("acquire takes a free lock at once and returns true; release frees it (test_lock)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        assert.isFalse(yield* lock.locked)
        assert.strictEqual(yield* lock.acquire, true)
        assert.isTrue(yield* lock.locked)
        yield* lock.release
        assert.isFalse(yield* lock.locked)
      }))

    it.effect("waiters get the lock in the order they came (test_acquire)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const log: Array<number> = []
        yield* lock.acquire
        yield* acquirer(lock, log, 1)
        yield* acquirer(lock, log, 2)
        yield* acquirer(lock, log, 3)
        yield* settle
        assert.deepStrictEqual(log, [])
        for (const expected of [[1], [1, 2], [1, 2, 3]]) {
          yield* lock.release
          yield* settle
          assert.deepStrictEqual(log, expected)
        }
        assert.isTrue(yield* lock.locked)
      }))

    it.effect("a newcomer never overtakes a waiter the lock was handed to", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const log: Array<number> = []
        yield* lock.acquire
        yield* acquirer(lock, log, 1)
        yield* settle
        yield* lock.release
        // Fiber 1 has not run yet; the lock is already its own.
        assert.isTrue(yield* lock.locked)
        const late = yield* acquirer(lock, log, 2)
        yield* settle
        assert.deepStrictEqual(log, [1])
        assert.isUndefined(late.pollUnsafe())
      }))

    it.effect("release runs the woken waiter on a later tick, not inside release", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const log: Array<string> = []
        yield* lock.acquire
        yield* Effect.forkChild(Effect.andThen(lock.acquire, Effect.sync(() => log.push("waiter"))))
        yield* settle
        yield* lock.release
        log.push("releaser")
        yield* settle
        assert.deepStrictEqual(log, ["releaser", "waiter"])
      }))

    it.effect("any fiber may release a held lock: it has no owner", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        yield* Fiber.join(yield* Effect.forkChild(lock.acquire))
        assert.isTrue(yield* lock.locked)
        yield* lock.release
        assert.isFalse(yield* lock.locked)
      }))

    it.effect("withLock holds the lock while the effect runs and releases it however it ends (test_context_manager)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        assert.strictEqual(yield* lock.withLock(Effect.map(lock.locked, (held) => held ? "held" : "free")), "held")
        assert.isFalse(yield* lock.locked)
        const failed = yield* Effect.exit(lock.withLock(Effect.fail("boom")))
        assert.deepStrictEqual(failed, Exit.fail("boom"))
        assert.isFalse(yield* lock.locked)
        const died = yield* Effect.exit(lock.withLock(Effect.die("defect")))
        assert.isTrue(Exit.isFailure(died))
        assert.isFalse(yield* lock.locked)
      }))

    it.effect("withLock serializes sleeping critical sections", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const log: Array<string> = []
        const section = (name: string) =>
          lock.withLock(Effect.gen(function*() {
            log.push(`${name} in`)
            yield* Effect.sleep(10)
            log.push(`${name} out`)
          }))
        const all = yield* Effect.forkChild(
          Effect.all([section("a"), section("b"), section("c")], { concurrency: "unbounded" })
        )
        yield* settle
        yield* TestClock.adjust(29)
        assert.isUndefined(all.pollUnsafe())
        yield* TestClock.adjust(1)
        yield* settle
        assert.deepStrictEqual(log, ["a in", "a out", "b in", "b out", "c in", "c out"])
      }))
  })

  describe("interruption", () => {
    it.effect("an interrupted waiter leaves the line and never gets the lock (test_acquire_cancel)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const log: Array<number> = []
        yield* lock.acquire
        const first = yield* acquirer(lock, log, 1)
        const second = yield* acquirer(lock, log, 2)
        yield* settle
        yield* Fiber.interrupt(first)
        yield* lock.release
        yield* settle
        assert.deepStrictEqual(log, [2])
        assert.isTrue(Exit.hasInterrupts(first.pollUnsafe()!))
        assert.isDefined(second.pollUnsafe())
      }))

    it.effect("a waiter interrupted after the lock was handed to it, before it ran, passes it on (test_cancel_release_race)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const log: Array<number> = []
        yield* lock.acquire
        const first = yield* acquirer(lock, log, 1)
        yield* acquirer(lock, log, 2)
        yield* settle
        yield* lock.release // handed to 1, which has not run
        first.interruptUnsafe()
        yield* settle
        assert.deepStrictEqual(log, [2])
        assert.isTrue(yield* lock.locked)
        yield* lock.release
        assert.isFalse(yield* lock.locked, "one lock, not two: nothing leaked")
      }))

    it.effect("the last waiter interrupted after the handover leaves the lock free (no permit lost)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        yield* lock.acquire
        const waiter = yield* Effect.forkChild(lock.acquire)
        yield* settle
        yield* lock.release
        waiter.interruptUnsafe()
        yield* settle
        assert.isFalse(yield* lock.locked)
        assert.strictEqual(yield* lock.acquire, true)
      }))

    it.effect("withLock interrupted while it waits takes nothing; interrupted while it holds, releases", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const holder = yield* Effect.forkChild(lock.withLock(Effect.never))
        yield* settle
        const waiter = yield* Effect.forkChild(lock.withLock(Effect.void))
        yield* settle
        yield* Fiber.interrupt(waiter)
        assert.isTrue(yield* lock.locked)
        yield* Fiber.interrupt(holder)
        assert.isFalse(yield* lock.locked)
      }))
  })

  describe("bad input", () => {
    // The misuse table (test/misuse.test.ts) checks the defect; it cannot see the lock afterwards, still unlocked.
    it.effect("release of an unlocked lock dies with IllegalArgumentError (test_release_not_acquired)", () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        const exit = yield* Effect.exit(lock.release)
        assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
        assert.isFalse(yield* lock.locked)
      }))
  })
})

describe("Lock's methods detached from the lock", () => {
  it.effect("withLock works point-free and destructured", () =>
    Effect.gen(function*() {
      const lock = yield* aio.makeLock()
      assert.deepStrictEqual(yield* Effect.forEach([Effect.succeed(1), Effect.succeed(2)], lock.withLock), [1, 2])
      const { withLock, locked } = lock
      assert.isTrue(yield* withLock(locked))
      assert.isFalse(yield* locked)
    }))
})

describe("Lock and a fiber yielding between any two steps", () => {
  // The first fix for the lost wake-up took the lock as the waiter joined the
  // line, a step where withLock lets the fiber be interrupted: interrupted
  // right then, the fiber left with the lock, and nobody released it.
  it("interrupting a withLock waiter just as the lock comes free leaks nothing", async () => {
    for (const turns of [0, 1]) {
      assert.deepStrictEqual(
        await atEveryYieldPoint((pad) =>
          Effect.gen(function*() {
            const lock = yield* aio.makeLock()
            yield* lock.acquire
            const waiter = yield* Effect.forkChild(pad(lock.withLock(Effect.void)))
            yield* Effect.yieldNow
            yield* lock.release
            for (let i = 0; i < turns; i++) yield* Effect.yieldNow
            yield* Fiber.interrupt(waiter)
            if (yield* lock.locked) return yield* Effect.fail("the lock leaked")
          })
        ),
        [],
        `${turns} turns before the interruption`
      )
    }
  })

  // A waiter that found the lock held, then yielded before it joined the
  // line, missed a release made meanwhile and waited forever.
  it("a release made while a waiter is joining the line reaches it", async () => {
    assert.deepStrictEqual(
      await atEveryYieldPoint((pad) =>
        Effect.gen(function*() {
          const lock = yield* aio.makeLock()
          yield* lock.acquire
          const waiters = [
            yield* Effect.forkChild(pad(lock.acquire)),
            yield* Effect.forkChild(pad(lock.withLock(lock.locked)))
          ]
          yield* Effect.yieldNow
          yield* lock.release
          yield* Fiber.join(waiters[0]!)
          yield* lock.release
          return yield* Fiber.join(waiters[1]!)
        })
      ),
      []
    )
  })
})
