/**
 * `makeBarrier`: the behaviour CPython's test_locks.py `BarrierTests` checks.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { settle } from "./utils/fixtures.ts"

const broken = (exit: Exit.Exit<number, aio.BrokenBarrierError> | undefined) =>
  exit !== undefined && Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" &&
  (exit.cause.reasons[0].error as { _tag: string })._tag === "BrokenBarrierError"

describe("makeBarrier", () => {
  it.effect("parties wait for each other; each gets its arrival index (test_barrier, test_wait_task_multi)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(3)
      assert.strictEqual(barrier.parties, 3)
      const all = yield* Effect.forkChild(aio.gather([10, 30, 20].map((d) => Effect.andThen(Effect.sleep(d), barrier.wait))))
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

  it.effect("a barrier of one passes at once, every time (test_barrier_parties_one)", () =>
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

  it.effect("reset after abort makes a broken barrier work again (test_abort_and_reset)", () =>
    Effect.gen(function*() {
      const barrier = yield* aio.makeBarrier(2)
      yield* barrier.abort
      yield* barrier.reset
      assert.isFalse(yield* barrier.broken)
      const both = yield* Effect.forkChild(aio.gather([barrier.wait, barrier.wait]))
      yield* settle
      assert.deepStrictEqual(both.pollUnsafe(), Exit.succeed([0, 1]))
    }))

  it.effect("an interrupted waiter leaves the count without breaking the barrier (test_cancel_wait)", () =>
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
})
