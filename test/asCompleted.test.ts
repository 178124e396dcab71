import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Ref, Stream } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import {
  advance,
  defectOf,
  dieAfter,
  failAfter,
  instantClocks,
  isInterruptedOnly,
  isTimeout,
  makeProbe,
  probed,
  settle,
  succeedAfter,
  withClock
} from "./utils/fixtures.ts"

/** Collects a stream into an array, recording each element as it arrives. */
const collect = <A, E>(stream: Stream.Stream<A, E>, seen: Ref.Ref<Array<A>>) =>
  Stream.runForEach(stream, (a) => Ref.update(seen, (s) => [...s, a]))

describe("asCompleted", () => {
  describe("success", () => {
    it.effect("emits results in the order the work finishes (asyncio_as_completed)", () =>
      Effect.gen(function*() {
        const phase = (i: number) => succeedAfter(500 - 100 * i, `phase ${i} result`)
        const seen = yield* Ref.make<Array<string>>([])
        const fiber = yield* Effect.forkChild(collect(aio.asCompleted([phase(0), phase(1), phase(2)]), seen))
        yield* advance(300)
        assert.deepStrictEqual(yield* Ref.get(seen), ["phase 2 result"])
        yield* advance(199)
        assert.deepStrictEqual(yield* Ref.get(seen), ["phase 2 result", "phase 1 result"])
        yield* advance(1)
        assert.deepStrictEqual(yield* Ref.get(seen), ["phase 2 result", "phase 1 result", "phase 0 result"])
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.void)
      }))

    it.effect("an empty input gives an empty stream", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* Stream.runCollect(aio.asCompleted([])), [])
      }))

    it.effect("a single effect gives one result", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* Stream.runCollect(aio.asCompleted([Effect.succeed(7)])), [7])
      }))

    it.effect("starts the work only when the stream runs", () =>
      Effect.gen(function*() {
        const started = yield* Ref.make(0)
        const stream = aio.asCompleted([Ref.update(started, (n) => n + 1), Ref.update(started, (n) => n + 1)])
        yield* settle
        assert.strictEqual(yield* Ref.get(started), 0)
        yield* Stream.runDrain(stream)
        assert.strictEqual(yield* Ref.get(started), 2)
      }))

    it.effect("concurrency bounds how many effects run at once", () =>
      Effect.gen(function*() {
        const running = yield* Ref.make(0)
        const peak = yield* Ref.make(0)
        const job = (i: number, delay: number) =>
          Effect.gen(function*() {
            const now = yield* Ref.updateAndGet(running, (n) => n + 1)
            yield* Ref.update(peak, (p) => Math.max(p, now))
            yield* Effect.sleep(delay)
            yield* Ref.update(running, (n) => n - 1)
            return i
          })
        const seen = yield* Ref.make<Array<number>>([])
        const fiber = yield* Effect.forkChild(
          collect(aio.asCompleted([job(0, 300), job(1, 100), job(2, 100), job(3, 10)], { concurrency: 2 }), seen)
        )
        yield* advance(100)
        assert.deepStrictEqual(yield* Ref.get(seen), [1])
        yield* advance(100)
        yield* advance(10)
        yield* advance(90)
        assert.deepStrictEqual(yield* Ref.get(seen), [1, 2, 3, 0])
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.void)
        assert.strictEqual(yield* Ref.get(peak), 2)
      }))
  })

  describe("failure", () => {
    it.effect("a failing effect ends the stream after earlier results and interrupts the rest", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const seen = yield* Ref.make<Array<string>>([])
        const fiber = yield* Effect.forkChild(collect(
          aio.asCompleted([
            succeedAfter(10, "first"),
            failAfter(20, "boom"),
            probed(probe, succeedAfter(100, "never seen"))
          ]),
          seen
        ))
        yield* advance(20)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.fail("boom"))
        assert.deepStrictEqual(yield* Ref.get(seen), ["first"])
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("a defect kills the stream", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(Stream.runDrain(aio.asCompleted([dieAfter(10, "bug"), Effect.never])))
        yield* advance(10)
        assert.strictEqual(defectOf(fiber.pollUnsafe()!), "bug")
      }))

    it.effect("the stream ends only after the interrupted effects' finalizers, keeping their errors", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const slowCleanup = Effect.never.pipe(
          Effect.onInterrupt(() => Effect.andThen(Effect.sleep(50), Ref.update(log, (l) => [...l, "cleaned"]))),
          Effect.ensuring(Effect.die("cleanup bug"))
        )
        const fiber = yield* Effect.forkChild(
          Effect.ensuring(
            Stream.runDrain(aio.asCompleted([slowCleanup, failAfter(10, "boom")])),
            Ref.update(log, (l) => [...l, "ended"])
          )
        )
        yield* advance(10)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(50)
        assert.deepStrictEqual(yield* Ref.get(log), ["cleaned", "ended"])
        const pretty = Cause.pretty((fiber.pollUnsafe() as Exit.Failure<unknown, unknown>).cause)
        assert.include(pretty, "boom")
        assert.include(pretty, "cleanup bug")
      }))
  })

  describe("early exit", () => {
    it.effect("a consumer that stops early interrupts the unfinished effects and waits for them", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(Stream.runCollect(Stream.take(
          aio.asCompleted([succeedAfter(10, 1), probed(probe, succeedAfter(100, 2)), probed(probe, Effect.never)]),
          1
        )))
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1]))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 2)
        assert.strictEqual(yield* Ref.get(probe.finalized), 2)
      }))

    it.effect("interrupting the consumer interrupts every effect", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(
          Stream.runDrain(aio.asCompleted([probed(probe, Effect.never), probed(probe, Effect.never)]))
        )
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.finalized), 2)
      }))
  })

  describe("timeout", () => {
    it.effect("fails with TimeoutError after the results already complete, and interrupts the rest", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const seen = yield* Ref.make<Array<string>>([])
        const fiber = yield* Effect.forkChild(collect(
          aio.asCompleted([succeedAfter(10, "f"), probed(probe, succeedAfter(1000, "g"))], { timeout: 100 }),
          seen
        ))
        yield* advance(99)
        assert.isUndefined(fiber.pollUnsafe())
        assert.deepStrictEqual(yield* Ref.get(seen), ["f"])
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
      }))

    it.effect("delivers every result completed before the deadline to a slow consumer before the timeout", () =>
      Effect.gen(function*() {
        const seen = yield* Ref.make<Array<number>>([])
        const slowConsumer = Stream.runForEach(
          aio.asCompleted([succeedAfter(1, 1), succeedAfter(2, 2), succeedAfter(3, 3), Effect.never], { timeout: 5 }),
          (n) => Effect.andThen(Effect.sleep(100), Ref.update(seen, (s) => [...s, n]))
        )
        const fiber = yield* Effect.forkChild(slowConsumer)
        for (let i = 0; i < 5; i++) yield* advance(100)
        assert.deepStrictEqual(yield* Ref.get(seen), [1, 2, 3])
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
      }))

    it.effect("does not fire when everything finished in time", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          Stream.runCollect(aio.asCompleted([succeedAfter(10, 1)], { timeout: 100 }))
        )
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1]))
      }))

    it.effect("a timeout of 0 lets the effects that need no waiting through, then fails", () =>
      Effect.gen(function*() {
        const seen = yield* Ref.make<Array<number>>([])
        const exit = yield* Effect.exit(
          collect(aio.asCompleted([Effect.succeed(1), Effect.never, Effect.succeed(3)], { timeout: 0 }), seen)
        )
        assert.isTrue(isTimeout(exit))
        assert.deepStrictEqual(yield* Ref.get(seen), [1, 3])
      }))
  })

  // Found by the property tests (they were in test/properties/regressions.test.ts).
  describe("regressions", () => {
    // From cleanup.test.ts, shrunk: gather > group > asCompleted > work whose
    // finalizer dies; the group stops the asCompleted task. The bug, fixed by
    // 0a1398e: errors raised by the tasks asCompleted stopped, when its consumer
    // ended early or was interrupted, vanished instead of failing the stream.
    describe("asCompleted keeps the errors its tasks raise while it stops them", () => {
      const dyingCleanup = Effect.ensuring(Effect.never, Effect.die("cleanup failed"))

      it.effect("asCompleted interrupted from outside while a task's finalizer dies: the defect is in the cause", () =>
        Effect.gen(function*() {
          const fiber = yield* Effect.forkChild(Stream.runCollect(aio.asCompleted([dyingCleanup])))
          yield* settle
          yield* Fiber.interrupt(fiber)
          const exit = yield* Fiber.await(fiber)
          assert.isTrue(Exit.isFailure(exit) && Cause.hasInterrupts(exit.cause), "ends interrupted")
          assert.deepStrictEqual(
            (exit as Exit.Failure<unknown, unknown>).cause.reasons.filter(Cause.isDieReason).map((r) => r.defect),
            ["cleanup failed"],
            "the finalizer's defect is kept, as gather, waitFor, timeout and taskGroup keep it"
          )
        }))

      it.effect("asCompleted whose consumer stops early while a stopped task's finalizer dies: the stream fails with the defect", () =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(
            Stream.runCollect(Stream.take(aio.asCompleted([Effect.succeed(1), dyingCleanup]), 1))
          )
          // Effect's own streams do the same: a finalizer that dies when the
          // consumer stops early fails the stream.
          assert.isTrue(Exit.isFailure(exit), `the defect is not lost, got ${JSON.stringify(exit)}`)
          assert.deepStrictEqual(
            (exit as Exit.Failure<unknown, unknown>).cause.reasons.filter(Cause.isDieReason).map((r) => r.defect),
            ["cleanup failed"]
          )
        }))
    })

    // From cleanup.test.ts (after 0a1398e), shrunk: asCompleted(timeout 2) over
    // asCompleted children; one child's stream fails, and the root's timeout
    // interrupts it while it waits for its other task's cleanup. The bug, fixed
    // by efed588: the failure that stopped the stream, which its consumer never
    // saw, was lost when the consumer was interrupted during that cleanup.
    it.effect(
      "asCompleted interrupted while it waits for the cleanup of the tasks it stopped after a failure: the failure is kept",
      () =>
        Effect.gen(function*() {
          const fiber = yield* Effect.forkChild(Stream.runCollect(aio.asCompleted([
            Effect.andThen(Effect.sleep(1), Effect.fail("first")),
            Effect.ensuring(Effect.never, Effect.sleep(5)) // stopped at 1, cleans up until 6
          ])))
          yield* settle
          yield* TestClock.adjust(3)
          yield* Effect.forkChild(Fiber.interrupt(fiber))
          yield* settle
          yield* TestClock.adjust(10)
          const exit = yield* Fiber.await(fiber)
          assert.isTrue(Exit.isFailure(exit) && Cause.hasInterrupts(exit.cause), "ends interrupted")
          assert.deepStrictEqual(
            (exit as Exit.Failure<unknown, unknown>).cause.reasons.filter(Cause.isFailReason).map((r) => r.error),
            ["first"],
            "the failure that stopped the stream is kept, as gather and taskGroup keep it"
          )
        })
    )
  })
})

describe("asCompletedTasks", () => {
  it.effect("emits the original fibers in the order they finish", () =>
    Effect.gen(function*() {
      const slow = yield* aio.createTask(succeedAfter(200, "slow"))
      const fast = yield* aio.createTask(succeedAfter(100, "fast"))
      const fiber = yield* Effect.forkChild(Stream.runCollect(aio.asCompletedTasks([slow, fast])))
      yield* advance(200)
      const order = (fiber.pollUnsafe() as Exit.Success<Array<Fiber.Fiber<string>>>).value
      assert.strictEqual(order[0], fast)
      assert.strictEqual(order[1], slow)
    }))

  it.effect("emits tasks already finished first, in input order, and counts duplicates once", () =>
    Effect.gen(function*() {
      const a = yield* aio.createTask(Effect.succeed("a"))
      const b = yield* aio.createTask(succeedAfter(10, "b"))
      const c = yield* aio.createTask(Effect.succeed("c"))
      yield* settle
      const fiber = yield* Effect.forkChild(Stream.runCollect(aio.asCompletedTasks([b, c, a, c])))
      yield* advance(10)
      const order = (fiber.pollUnsafe() as Exit.Success<Array<Fiber.Fiber<string>>>).value
      assert.deepStrictEqual(order, [c, a, b])
    }))

  it.effect("emits failed and cancelled tasks like any other, without failing", () =>
    Effect.gen(function*() {
      const failed = yield* aio.createTask(failAfter(10, "boom"))
      const cancelled = yield* aio.createTask(Effect.never)
      yield* settle
      yield* aio.cancel(cancelled)
      const fiber = yield* Effect.forkChild(Stream.runCollect(aio.asCompletedTasks([failed, cancelled])))
      yield* advance(10)
      const order = (fiber.pollUnsafe() as Exit.Success<Array<Fiber.Fiber<never, string>>>).value
      assert.deepStrictEqual(order, [cancelled, failed])
    }))

  it.effect("never interrupts the tasks, even when the consumer stops early or the timeout passes", () =>
    Effect.gen(function*() {
      const probe = yield* makeProbe
      const a = yield* aio.createTask(succeedAfter(10, "a"))
      const b = yield* aio.createTask(probed(probe, succeedAfter(1000, "b")))
      const early = yield* Effect.forkChild(Stream.runCollect(Stream.take(aio.asCompletedTasks([a, b]), 1)))
      const timed = yield* Effect.forkChild(Stream.runCollect(aio.asCompletedTasks([a, b], { timeout: 100 })))
      yield* advance(100)
      assert.isTrue(Exit.isSuccess(early.pollUnsafe()!))
      assert.isTrue(isTimeout(timed.pollUnsafe()))
      yield* advance(900)
      assert.deepStrictEqual(b.pollUnsafe(), Exit.succeed("b"))
      assert.strictEqual(yield* Ref.get(probe.interrupted), 0)
    }))

  it.effect("fails with TimeoutError after the tasks already emitted", () =>
    Effect.gen(function*() {
      const a = yield* aio.createTask(succeedAfter(10, "a"))
      const b = yield* aio.createTask(Effect.never)
      const seen = yield* Ref.make<Array<Fiber.Fiber<string>>>([])
      const fiber = yield* Effect.forkChild(collect(aio.asCompletedTasks([a, b], { timeout: 50 }), seen))
      yield* advance(49)
      assert.isUndefined(fiber.pollUnsafe())
      yield* advance(1)
      assert.isTrue(isTimeout(fiber.pollUnsafe()))
      assert.deepStrictEqual(yield* Ref.get(seen), [a])
    }))

  it.effect("a timeout of 0 emits what is done, then fails", () =>
    Effect.gen(function*() {
      const a = yield* aio.createTask(Effect.succeed("a"))
      const b = yield* aio.createTask(Effect.never)
      yield* settle
      const seen = yield* Ref.make<Array<Fiber.Fiber<string>>>([])
      const exit = yield* Effect.exit(collect(aio.asCompletedTasks([a, b], { timeout: 0 }), seen))
      assert.isTrue(isTimeout(exit))
      assert.deepStrictEqual(yield* Ref.get(seen), [a])
    }))

  it.effect("an empty input gives an empty stream", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Stream.runCollect(aio.asCompletedTasks([])), [])
    }))
})

// Issue 9, item 4: the timer may fire at any moment, even while it is armed.
describe("asCompleted on any Clock", () => {
  for (const [name, clock] of instantClocks) {
    it.effect(
      `asCompleted emits what is ready, then fails with TimeoutError under ${name}`,
      () =>
        Effect.gen(function*() {
          const probe = yield* makeProbe
          const seen: Array<number> = []
          const exit = yield* Effect.exit(Stream.runForEach(
            aio.asCompleted([Effect.succeed(1), probed(probe, Effect.never)], { timeout: 10 }),
            (n) => Effect.sync(() => seen.push(n))
          ))
          assert.deepStrictEqual(seen, [1])
          assert.isTrue(isTimeout(exit))
          assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
        }).pipe(withClock(clock())),
      5_000
    )

    it.effect(
      `asCompletedTasks emits the finished tasks, then fails with TimeoutError under ${name}`,
      () =>
        Effect.gen(function*() {
          const done = yield* aio.createTask(Effect.succeed(1))
          yield* Fiber.await(done)
          const pending = yield* aio.createTask(Effect.never)
          const seen: Array<Fiber.Fiber<number>> = []
          const exit = yield* Effect.exit(Stream.runForEach(
            aio.asCompletedTasks([done, pending], { timeout: 10 }),
            (task) => Effect.sync(() => seen.push(task))
          ))
          assert.deepStrictEqual(seen, [done])
          assert.isTrue(isTimeout(exit))
          assert.isUndefined(pending.pollUnsafe(), "asCompletedTasks never interrupts")
        }).pipe(withClock(clock())),
      5_000
    )
  }
})
