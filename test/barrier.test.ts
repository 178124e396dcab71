/**
 * `makeBarrier`: the behaviour CPython's test_locks.py `BarrierTests` checks.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { atEveryYieldPoint, settle } from "./utils/fixtures.ts"

const broken = (exit: Exit.Exit<number, aio.BrokenBarrierError> | undefined) =>
  exit !== undefined && Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" &&
  (exit.cause.reasons[0].error as { _tag: string })._tag === "BrokenBarrierError"

describe("makeBarrier", () => {
  it.effect("parties wait for each other; each gets its arrival index (test_barrier, test_filling_task_by_task)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(3)
      assert.strictEqual(barrier.parties, 3)
      const all = yield* Effect.forkChild(
        aio.gather([10, 30, 20].map((d) => Effect.andThen(Effect.sleep(d), barrier.wait)))
      )
      yield* settle
      yield* TestClock.adjust(20)
      yield* settle
      assert.strictEqual(yield* barrier.nWaiting, 2)
      assert.isUndefined(all.pollUnsafe())
      yield* TestClock.adjust(10)
      yield* settle
      assert.deepStrictEqual(all.pollUnsafe(), Exit.succeed([0, 2, 1]))
      assert.deepStrictEqual([yield* barrier.nWaiting, yield* barrier.broken], [0, false])
    }))

  it.effect("a barrier of one passes at once, every time (test_filling_one_task, test_filling_one_task_twice)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(1)
      assert.deepStrictEqual([yield* barrier.wait, yield* barrier.wait], [0, 0])
    }))

  it.effect("it fills again for the next round; newcomers wait while the round drains (test_draining_state)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(2)
      const rounds = (id: number) =>
        Effect.gen(function*() {
          const out: Array<number> = []
          for (let i = 0; i < 3; i++) out.push(yield* barrier.wait)
          return `${id}:${out.length}`
        })
      const both = yield* Effect.forkChild(aio.gather([rounds(1), rounds(2)]))
      yield* settle
      assert.deepStrictEqual(both.pollUnsafe(), Exit.succeed(["1:3", "2:3"]))
    }))

  it.effect("abort breaks it: waiters and later waits fail with BrokenBarrierError (test_abort_barrier)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(3)
      const waiters = [yield* Effect.forkChild(barrier.wait), yield* Effect.forkChild(barrier.wait)]
      yield* settle
      yield* barrier.abort
      yield* settle
      for (const w of waiters) assert.isTrue(broken(w.pollUnsafe()))
      assert.isTrue(yield* barrier.broken)
      assert.isTrue(broken(yield* Effect.exit(barrier.wait)))
    }))

  it.effect("reset fails the waiters, then the barrier works again (test_reset_barrier, test_reset_barrier_while_tasks_waiting)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(2)
      const waiter = yield* Effect.forkChild(barrier.wait)
      yield* settle
      yield* barrier.reset
      yield* settle
      assert.isTrue(broken(waiter.pollUnsafe()))
      assert.deepStrictEqual([yield* barrier.nWaiting, yield* barrier.broken], [0, false])
      const again = yield* Effect.forkChild(aio.gather([barrier.wait, barrier.wait]))
      yield* settle
      assert.deepStrictEqual(again.pollUnsafe(), Exit.succeed([0, 1]))
    }))

  it.effect("reset after abort makes a broken barrier work again", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(2)
      yield* barrier.abort
      yield* barrier.reset
      assert.isFalse(yield* barrier.broken)
      const both = yield* Effect.forkChild(aio.gather([barrier.wait, barrier.wait]))
      yield* settle
      assert.deepStrictEqual(both.pollUnsafe(), Exit.succeed([0, 1]))
    }))

  it.effect("an interrupted waiter leaves the count without breaking the barrier (test_filling_tasks_cancel_one)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(3)
      const a = yield* Effect.forkChild(barrier.wait)
      yield* Effect.forkChild(barrier.wait)
      yield* settle
      assert.strictEqual(yield* barrier.nWaiting, 2)
      yield* Fiber.interrupt(a)
      assert.deepStrictEqual([yield* barrier.nWaiting, yield* barrier.broken], [1, false])
      const rest = yield* Effect.forkChild(aio.gather([barrier.wait, barrier.wait]))
      yield* settle
      assert.isDefined(rest.pollUnsafe())
      assert.strictEqual(yield* barrier.nWaiting, 0)
    }))

  describe("CPython's multi-task cases (N = 5)", () => {
    const N = 5
    const many = <A, E>(n: number, f: () => Effect.Effect<A, E>) => aio.gather(Array.from({ length: n }, f))

    it.effect("each fiber passes twice in a row (test_filling_tasks_wait_twice, test_filling_tasks_check_return_value)", () =>
      Effect.gen(function*() {
        const barrier = yield* aio.makeBarrier(N)
        const indices = yield* many(N, () => Effect.andThen(barrier.wait, barrier.wait))
        assert.deepStrictEqual([...indices].sort(), [0, 1, 2, 3, 4])
        assert.deepStrictEqual([yield* barrier.nWaiting, yield* barrier.broken], [0, false])
      }))

    it.effect("fibers that wait again while the round drains wait for the next round (test_blocking_tasks_while_draining)", () =>
      Effect.gen(function*() {
        const rewait = 2
        const barrier = yield* aio.makeBarrier(N)
        const others = yield* aio.makeBarrier(N - rewait)
        let rewaitLeft = rewait
        const coro = Effect.gen(function*() {
          yield* barrier.wait
          if (rewaitLeft > 0) {
            rewaitLeft--
            yield* barrier.wait
          } else {
            yield* others.wait
            yield* barrier.wait
          }
        })
        const all = yield* Effect.forkChild(many(N, () => coro))
        yield* settle
        assert.isDefined(all.pollUnsafe(), "everyone passed twice")
        assert.isTrue(Exit.isSuccess(all.pollUnsafe()!))
      }))

    it.effect("a reset while half the fibers drain fails the ones waiting (test_reset_barrier_when_tasks_half_draining)", () =>
      Effect.gen(function*() {
        const barrier = yield* aio.makeBarrier(N)
        let broke = 0
        let passed = 0
        const coro = Effect.gen(function*() {
          const exit = yield* Effect.exit(barrier.wait)
          if (Exit.isFailure(exit)) {
            broke++
            return
          }
          passed++
          if (passed === N - Math.floor(N / 2)) yield* barrier.reset
        })
        // The first round passes; then half wait again and are broken by a reset.
        const first = yield* Effect.forkChild(many(N, () => barrier.wait))
        yield* settle
        assert.isTrue(Exit.isSuccess(first.pollUnsafe()!))
        const waiting = yield* Effect.forkChild(many(Math.floor(N / 2), () => coro))
        yield* settle
        yield* barrier.reset
        yield* settle
        assert.isDefined(waiting.pollUnsafe())
        assert.strictEqual(broke, Math.floor(N / 2))
        assert.deepStrictEqual([yield* barrier.nWaiting, yield* barrier.broken], [0, false])
      }))

    it.effect("a reset by the last fiber out of a drain does not break the others' next wait (test_reset_barrier_while_tasks_draining)", () =>
      Effect.gen(function*() {
        const barrier = yield* aio.makeBarrier(N)
        let count = 0
        let secondWaits = 0
        let brokenWaits = 0
        let lastWaits = 0
        const coro = Effect.gen(function*() {
          yield* barrier.wait
          count++
          if (count === N) {
            yield* barrier.reset
            yield* barrier.wait
          } else {
            const exit = yield* Effect.exit(barrier.wait)
            if (Exit.isSuccess(exit)) secondWaits++
            else brokenWaits++
          }
          yield* barrier.wait
          lastWaits++
        })
        const all = yield* Effect.forkChild(many(N, () => coro))
        yield* settle
        assert.isTrue(all.pollUnsafe() !== undefined && Exit.isSuccess(all.pollUnsafe()!))
        assert.deepStrictEqual([secondWaits, brokenWaits, lastWaits], [N - 1, 0, N])
        assert.deepStrictEqual([yield* barrier.nWaiting, yield* barrier.broken], [0, false])
      }))

    it.effect("an abort fails the waits of fibers released but not yet run, and of those waiting again (test_abort_barrier_when_tasks_half_draining_half_blocking)", () =>
      Effect.gen(function*() {
        const barrier = yield* aio.makeBarrier(N)
        const blocking = Math.floor(N / 2)
        let count = 0
        let brokenFirst = 0
        let brokenSecond = 0
        const coro = Effect.gen(function*() {
          const exit = yield* Effect.exit(barrier.wait)
          if (Exit.isFailure(exit)) {
            brokenFirst++
            return
          }
          count++
          if (count > blocking) {
            yield* barrier.abort
          } else {
            const again = yield* Effect.exit(barrier.wait)
            if (Exit.isFailure(again)) brokenSecond++
          }
        })
        const all = yield* Effect.forkChild(many(N, () => coro))
        yield* settle
        assert.isTrue(all.pollUnsafe() !== undefined && Exit.isSuccess(all.pollUnsafe()!))
        assert.isTrue(yield* barrier.broken)
        // Released but not yet run when the abort came: their first wait fails too, as in asyncio.
        assert.deepStrictEqual([brokenFirst, brokenSecond], [blocking, N - blocking - 1])
        assert.strictEqual(yield* barrier.nWaiting, 0)
      }))

    it.effect("a failure, an abort, then a reset: the barrier works again (test_abort_barrier_when_exception_then_resetting)", () =>
      Effect.gen(function*() {
        const barrier1 = yield* aio.makeBarrier(N)
        const barrier2 = yield* aio.makeBarrier(N)
        let passedTwice = 0
        let broke = 0
        let finished = 0
        const coro = Effect.gen(function*() {
          const outcome = yield* Effect.exit(Effect.gen(function*() {
            const i = yield* barrier1.wait
            if (i === Math.floor(N / 2)) return yield* Effect.fail("RuntimeError" as const)
            yield* barrier1.wait
            passedTwice++
          }))
          if (Exit.isFailure(outcome)) {
            const reason = outcome.cause.reasons[0]
            if (reason?._tag === "Fail" && reason.error === "RuntimeError") yield* barrier1.abort
            else broke++
          }
          const i = yield* barrier2.wait
          if (i === Math.floor(N / 2)) yield* barrier1.reset
          yield* barrier2.wait
          yield* barrier1.wait
          finished++
        })
        const all = yield* Effect.forkChild(many(N, () => coro))
        yield* settle
        assert.isTrue(all.pollUnsafe() !== undefined && Exit.isSuccess(all.pollUnsafe()!))
        assert.deepStrictEqual([passedTwice, broke, finished], [0, N - 1, N])
        assert.deepStrictEqual([yield* barrier1.broken, yield* barrier1.nWaiting], [false, 0])
      }))
  })
})

describe("Barrier and a fiber yielding between any two steps", () => {
  it("the last party arriving while another is joining the line releases it", async () => {
    assert.deepStrictEqual(
      await atEveryYieldPoint((pad) =>
        Effect.gen(function*() {
          const barrier = yield* aio.makeBarrier(2)
          const first = yield* Effect.forkChild(pad(barrier.wait))
          yield* Effect.yieldNow
          yield* barrier.wait
          return yield* Fiber.join(first)
        })
      ),
      []
    )
  })
})
