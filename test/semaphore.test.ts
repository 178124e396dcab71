/**
 * `makeSemaphore` and `makeBoundedSemaphore`: the behaviour CPython's
 * test_locks.py `SemaphoreTests` checks (gh-90155's hangs included), under
 * the TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { atEveryYieldPoint, settle } from "./utils/fixtures.ts"

const acquirer = (sem: aio.Semaphore, log: Array<number>, id: number) =>
  Effect.forkChild(Effect.andThen(sem.acquire, Effect.sync(() => log.push(id))))

describe("makeSemaphore", () => {
  describe("success", () => {
    it.effect("value counts free permits; locked when none is free (test_semaphore, test_semaphore_value)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(2)
        assert.deepStrictEqual([yield* sem.value, yield* sem.locked], [2, false])
        assert.strictEqual(yield* sem.acquire, true)
        assert.deepStrictEqual([yield* sem.value, yield* sem.locked], [1, false])
        yield* sem.acquire
        assert.deepStrictEqual([yield* sem.value, yield* sem.locked], [0, true])
        yield* sem.release
        yield* sem.release
        assert.deepStrictEqual([yield* sem.value, yield* sem.locked], [2, false])
      }))

    it.effect("the default value is 1; a semaphore of 0 starts locked", () =>
      Effect.gen(function*() {
        assert.strictEqual(yield* (yield* aio.makeSemaphore()).value, 1)
        const zero = yield* aio.makeSemaphore(0)
        assert.isTrue(yield* zero.locked)
        const waiter = yield* Effect.forkChild(zero.acquire)
        yield* settle
        assert.isUndefined(waiter.pollUnsafe())
        yield* zero.release
        yield* settle
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed(true))
      }))

    it.effect("waiters are served in the order they came, one permit per release (test_acquire)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        const log: Array<number> = []
        yield* sem.acquire
        for (const id of [1, 2, 3, 4]) yield* acquirer(sem, log, id)
        yield* settle
        assert.isTrue(yield* sem.locked)
        yield* sem.release
        yield* sem.release
        yield* settle
        assert.deepStrictEqual(log, [1, 2])
        yield* sem.release
        yield* sem.release
        yield* settle
        assert.deepStrictEqual(log, [1, 2, 3, 4])
      }))

    it.effect("locked is true while fibers wait, even with a permit on its way to them", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        yield* sem.acquire
        yield* Effect.forkChild(sem.acquire)
        yield* Effect.forkChild(sem.acquire)
        yield* settle
        yield* sem.release
        assert.deepStrictEqual([yield* sem.value, yield* sem.locked], [0, true])
      }))

    it.effect("release above the initial value is allowed on a plain semaphore (test_release_no_waiters)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        yield* sem.release
        assert.strictEqual(yield* sem.value, 2)
      }))

    it.effect("withPermit bounds how many run at once and gives the permit back however it ends", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(2)
        let running = 0
        let most = 0
        const job = (fails: boolean) =>
          sem.withPermit(Effect.gen(function*() {
            most = Math.max(most, ++running)
            yield* Effect.sleep(10)
            running--
            if (fails) return yield* Effect.fail("boom")
          }))
        const all = yield* Effect.forkChild(
          Effect.all([job(false), job(true), job(false), job(true), job(false)], {
            concurrency: "unbounded",
            mode: "result"
          })
        )
        yield* settle
        yield* TestClock.adjust(29)
        assert.isUndefined(all.pollUnsafe())
        yield* TestClock.adjust(1)
        yield* settle
        assert.isDefined(all.pollUnsafe())
        assert.strictEqual(most, 2)
        assert.strictEqual(yield* sem.value, 2)
      }))
  })

  describe("FIFO order (CPython 3.12's tests)", () => {
    it.effect("a fiber that releases and acquires again goes behind the others (test_acquire_fifo_order)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        const log: Array<string> = []
        const coro = (tag: string) =>
          Effect.gen(function*() {
            for (const round of [1, 2]) {
              yield* sem.acquire
              log.push(`${tag}_${round}`)
              yield* Effect.sleep(10)
              yield* sem.release
            }
          })
        const all = yield* Effect.forkChild(aio.gather([coro("c1"), coro("c2"), coro("c3")]))
        for (let i = 0; i < 6; i++) {
          yield* settle
          yield* TestClock.adjust(10)
        }
        yield* settle
        assert.isDefined(all.pollUnsafe())
        assert.deepStrictEqual(log, ["c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"])
      }))

    it.effect("a released-and-reacquired permit waits behind a waiter already served (test_acquire_fifo_order_2)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        const log: Array<number> = []
        const c1 = Effect.andThen(sem.acquire, Effect.sync(() => log.push(1)))
        const c2 = Effect.gen(function*() {
          yield* sem.acquire
          log.push(2)
          yield* sem.release
          yield* sem.acquire
          log.push(4)
        })
        const c3 = Effect.andThen(sem.acquire, Effect.sync(() => log.push(3)))
        const tasks = [yield* Effect.forkChild(c1), yield* Effect.forkChild(c2), yield* Effect.forkChild(c3)]
        yield* settle
        yield* sem.release
        yield* sem.release
        yield* Fiber.joinAll(tasks)
        assert.deepStrictEqual(log, [1, 2, 3, 4])
      }))

    it.effect("an interrupted waiter is skipped (test_acquire_fifo_order_3)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(0)
        const log: Array<number> = []
        const tasks = []
        for (const id of [1, 2, 3]) tasks.push(yield* acquirer(sem, log, id))
        yield* settle
        yield* Fiber.interrupt(tasks[0])
        yield* sem.release
        yield* sem.release
        yield* Fiber.joinAll(tasks.slice(1))
        assert.deepStrictEqual(log, [2, 3])
      }))

    it.effect("two waiters interrupted before one release: the third gets it, the fourth waits (test_acquire_cancel_before_awoken)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(0)
        const tasks = []
        for (let i = 0; i < 4; i++) tasks.push(yield* Effect.forkChild(sem.acquire))
        yield* settle
        tasks[0].interruptUnsafe()
        tasks[1].interruptUnsafe()
        yield* sem.release
        yield* settle
        assert.deepStrictEqual(tasks[2].pollUnsafe(), Exit.succeed(true))
        assert.isUndefined(tasks[3].pollUnsafe())
      }))

    it.effect("a holder that interrupts the next waiter leaves the permit free (test_acquire_no_hang)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        let t2: Fiber.Fiber<void> | undefined
        const t1 = yield* Effect.forkChild(Effect.andThen(
          sem.withPermit(Effect.yieldNow),
          Effect.suspend(() => Fiber.interrupt(t2!))
        ))
        t2 = yield* Effect.forkChild(sem.withPermit(Effect.die("never runs")))
        yield* Fiber.join(t1)
        assert.isTrue(Exit.hasInterrupts(t2.pollUnsafe()!))
        assert.strictEqual(yield* sem.acquire, true)
      }))
  })

  describe("interruption", () => {
    it.effect("an interrupted waiter takes nothing (test_acquire_cancel)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(0)
        const waiter = yield* Effect.forkChild(sem.acquire)
        yield* settle
        yield* Fiber.interrupt(waiter)
        yield* sem.release
        assert.deepStrictEqual([yield* sem.value, yield* sem.locked], [1, false])
      }))

    it.effect("waiters interrupted after a release woke them pass the permits on (test_acquire_cancel_before_awoken)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(0)
        const log: Array<number> = []
        const a = yield* acquirer(sem, log, 1)
        const b = yield* acquirer(sem, log, 2)
        yield* acquirer(sem, log, 3)
        yield* acquirer(sem, log, 4)
        yield* settle
        yield* sem.release
        yield* sem.release
        a.interruptUnsafe()
        b.interruptUnsafe()
        yield* settle
        assert.deepStrictEqual(log, [3, 4])
        assert.strictEqual(yield* sem.value, 0)
      }))

    it.effect("no hang when every woken waiter is interrupted: the permit stays free (test_acquire_hang, gh-90155)", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(0)
        const a = yield* Effect.forkChild(sem.acquire)
        const b = yield* Effect.forkChild(sem.acquire)
        yield* settle
        yield* sem.release
        a.interruptUnsafe()
        yield* settle
        assert.deepStrictEqual(b.pollUnsafe(), Exit.succeed(true), "the permit went on to b")
        yield* Fiber.interrupt(b)
        yield* sem.release
        assert.isFalse(yield* sem.locked)
        assert.strictEqual(yield* sem.acquire, true, "a later acquire does not hang")
      }))

    it.effect("withPermit interrupted while it waits takes no permit; while it holds one, gives it back", () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeSemaphore(1)
        const holder = yield* Effect.forkChild(sem.withPermit(Effect.never))
        yield* settle
        const waiters = [
          yield* Effect.forkChild(sem.withPermit(Effect.void)),
          yield* Effect.forkChild(sem.withPermit(Effect.void))
        ]
        yield* settle
        yield* Fiber.interruptAll(waiters)
        assert.strictEqual(yield* sem.value, 0)
        yield* Fiber.interrupt(holder)
        assert.strictEqual(yield* sem.value, 1)
      }))
  })
})

describe("makeBoundedSemaphore", () => {
  it.effect("behaves as a semaphore within its bound", () =>
    Effect.gen(function*() {
      const sem = yield* aio.makeBoundedSemaphore(2)
      yield* sem.acquire
      yield* sem.acquire
      assert.isTrue(yield* sem.locked)
      yield* sem.release
      yield* sem.release
      assert.strictEqual(yield* sem.value, 2)
    }))

  // The misuse table (test/misuse.test.ts) checks the defect; it cannot see the value afterwards, unchanged.
  it.effect("a release above the initial value dies with IllegalArgumentError and changes nothing (test_release_not_acquired)", () =>
    Effect.gen(function*() {
      const sem = yield* aio.makeBoundedSemaphore(1)
      const exit = yield* Effect.exit(sem.release)
      assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause))
      assert.strictEqual(yield* sem.value, 1)
    }))

  it.effect("a permit on its way to a waiter counts as held", () =>
    Effect.gen(function*() {
      const sem = yield* aio.makeBoundedSemaphore(1)
      yield* sem.acquire
      yield* Effect.forkChild(sem.acquire)
      yield* settle
      yield* sem.release // handed to the waiter
      yield* settle
      yield* sem.release // the waiter's permit, released by anyone
      assert.strictEqual(yield* sem.value, 1)
      assert.isTrue(Exit.isFailure(yield* Effect.exit(sem.release)))
    }))
})

describe("Semaphore's methods detached from the semaphore", () => {
  it.effect("withPermit works point-free and destructured", () =>
    Effect.gen(function*() {
      const semaphore = yield* aio.makeSemaphore(1)
      assert.deepStrictEqual(yield* Effect.forEach([Effect.succeed(1), Effect.succeed(2)], semaphore.withPermit), [
        1,
        2
      ])
      const { withPermit, value } = semaphore
      assert.strictEqual(yield* withPermit(value), 0)
      assert.strictEqual(yield* value, 1)
    }))
})

describe("Semaphore and a fiber yielding between any two steps", () => {
  it("a release made while a waiter is joining the line reaches it", async () => {
    assert.deepStrictEqual(
      await atEveryYieldPoint((pad) =>
        Effect.gen(function*() {
          const semaphore = yield* aio.makeBoundedSemaphore(1)
          yield* semaphore.acquire
          const waiter = yield* Effect.forkChild(pad(semaphore.withPermit(semaphore.value)))
          yield* Effect.yieldNow
          yield* semaphore.release
          return yield* Fiber.join(waiter)
        })
      ),
      []
    )
  })
})
