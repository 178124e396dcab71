import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Ref } from "effect"
import * as aio from "effect-asyncio"
import {
  advance,
  defectOf,
  failAfter,
  instantClocks,
  isFinished,
  isInterruptedOnly,
  isTimeout,
  makeProbe,
  nestedCalls,
  probed,
  settle,
  succeedAfter,
  withClock
} from "./utils/fixtures.ts"

describe("waitFor", () => {
  describe("success", () => {
    it.effect("returns the value when the effect finishes before the timeout", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.waitFor(succeedAfter(100, "ok"), 200))
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("ok"))
      }))

    it.effect("is pipeable: effect.pipe(waitFor(timeout))", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(succeedAfter(100, 1).pipe(aio.waitFor("1 second")))
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(1))
      }))

    it.effect("null, undefined, an omitted or an infinite timeout mean no limit", () =>
      Effect.gen(function*() {
        const fibers = [
          yield* Effect.forkChild(aio.waitFor(succeedAfter("1 day", "a"), null)),
          yield* Effect.forkChild(aio.waitFor(succeedAfter("1 day", "b"), undefined)),
          yield* Effect.forkChild(aio.waitFor(succeedAfter("1 day", "c"))),
          yield* Effect.forkChild(aio.waitFor(succeedAfter("1 day", "d"), "Infinity")),
          yield* Effect.forkChild(succeedAfter("1 day", "e").pipe(aio.waitFor(null)))
        ]
        yield* advance("1 day")
        assert.deepStrictEqual(fibers.map((f) => f.pollUnsafe()), ["a", "b", "c", "d", "e"].map((v) => Exit.succeed(v)))
      }))
  })

  describe("failure", () => {
    it.effect("raises the effect's typed failure", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(aio.waitFor(Effect.fail("boom"), 100))
        assert.deepStrictEqual(exit, Exit.fail("boom"))
      }))

    it.effect("raises the effect's typed failure when it happens before the timeout", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.waitFor(failAfter(50, "late boom"), 100))
        yield* advance(50)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.fail("late boom"))
      }))

    it.effect("raises a defect as a defect", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(aio.waitFor(Effect.die("bug"), 100))
        assert.strictEqual(defectOf(exit), "bug")
      }))
  })

  describe("time", () => {
    it.effect("is still waiting one tick before the deadline and times out at it", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.waitFor(probed(probe, Effect.never), 1000))
        yield* advance(999)
        assert.isUndefined(fiber.pollUnsafe())
        assert.strictEqual(yield* Ref.get(probe.finalized), 0)
        yield* advance(1)
        const exit = fiber.pollUnsafe()!
        assert.isTrue(isTimeout(exit))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
      }))

    it.effect("fails with Cause.TimeoutError, catchable by tag", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.waitFor(Effect.never, 10).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("caught")))
        )
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("caught"))
      }))

    it.effect("returns only after the interrupted effect has finished its finalizers", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const slowCleanup = Effect.never.pipe(
          Effect.onInterrupt(() => Effect.andThen(Effect.sleep(500), Ref.update(log, (l) => [...l, "cleanup done"])))
        )
        const fiber = yield* Effect.forkChild(
          Effect.andThen(Effect.exit(aio.waitFor(slowCleanup, 100)), Ref.update(log, (l) => [...l, "waitFor returned"]))
        )
        yield* advance(100)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(499)
        assert.deepStrictEqual(yield* Ref.get(log), [])
        yield* advance(1)
        assert.deepStrictEqual(yield* Ref.get(log), ["cleanup done", "waitFor returned"])
      }))

    it.effect("reports a failure raised while the effect was being interrupted instead of the timeout", () =>
      Effect.gen(function*() {
        const failingCleanup = Effect.never.pipe(Effect.ensuring(Effect.die("cleanup failed")))
        const fiber = yield* Effect.forkChild(aio.waitFor(failingCleanup, 100))
        yield* advance(100)
        const exit = fiber.pollUnsafe()!
        assert.strictEqual(defectOf(exit), "cleanup failed")
        assert.isFalse(isTimeout(exit))
      }))

    it.effect("lets work that needs no waiting finish under a timeout of 0 or less", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* Effect.exit(aio.waitFor(Effect.succeed(1), 0)), Exit.succeed(1))
        assert.deepStrictEqual(yield* Effect.exit(aio.waitFor(Effect.sync(() => 2), -5)), Exit.succeed(2))
        assert.deepStrictEqual(yield* Effect.exit(aio.waitFor(Effect.fail("e"), 0)), Exit.fail("e"))
      }))

    it.effect("times out at once, without any clock movement, work that must wait under a timeout of 0", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const exit = yield* Effect.exit(aio.waitFor(probed(probe, Effect.sleep(1)), 0))
        assert.isTrue(isTimeout(exit))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
        const yielding = yield* Effect.exit(aio.waitFor(Effect.andThen(Effect.yieldNow, Effect.succeed(1)), 0))
        assert.isTrue(isTimeout(yielding))
      }))

    it.effect("accepts any Duration.Input", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.waitFor(Effect.never, "2 seconds"))
        yield* advance(1999)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()!))
      }))
  })

  describe("interruption", () => {
    it.effect("interrupting waitFor while it waits interrupts the effect and waits for it", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.waitFor(probed(probe, Effect.never), 1000))
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
        // the timer is gone: moving past the deadline changes nothing
        yield* advance(2000)
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
      }))

    it.effect("an error raised by the effect's cleanup when waitFor is interrupted is kept in the cause", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.waitFor(Effect.never.pipe(Effect.ensuring(Effect.die("cleanup bug"))), 1000)
        )
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        const exit = fiber.pollUnsafe()!
        assert.isTrue(Exit.hasInterrupts(exit))
        assert.strictEqual(defectOf(exit), "cleanup bug")
      }))

    it.effect("an effect that interrupts itself makes waitFor end interrupted, not timed out", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.waitFor(Effect.andThen(Effect.sleep(10), Effect.interrupt), 100))
        yield* advance(10)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
      }))

    it.effect("the effect's fiber is not left running after waitFor returns", () =>
      Effect.gen(function*() {
        let inner: Fiber.Fiber<unknown, unknown> | undefined
        const capture = Effect.withFiber((fiber) => {
          inner = fiber
          return Effect.never
        })
        const fiber = yield* Effect.forkChild(aio.waitFor(capture, 100))
        yield* advance(100)
        assert.isDefined(fiber.pollUnsafe())
        assert.isTrue(isFinished(inner!))
      }))
  })

  describe("nesting", () => {
    it.effect("an outer timeout that fires is reported by the outer waitFor, not the inner one", () =>
      Effect.gen(function*() {
        const inner = aio.waitFor(Effect.never, 1000).pipe(
          Effect.catchTag("TimeoutError", () => Effect.succeed("inner"))
        )
        const fiber = yield* Effect.forkChild(
          aio.waitFor(inner, 100).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("outer")))
        )
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("outer"))
      }))

    it.effect("with equal timeouts the outer waitFor fires", () =>
      Effect.gen(function*() {
        const inner = aio.waitFor(Effect.never, 100).pipe(
          Effect.catchTag("TimeoutError", () => Effect.succeed("inner"))
        )
        const fiber = yield* Effect.forkChild(
          aio.waitFor(inner, 100).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("outer")))
        )
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("outer"))
      }))

    it.effect("times out a gather and interrupts every gathered effect", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(
          Effect.exit(
            aio.waitFor(aio.gather([probed(probe, Effect.sleep(1000)), probed(probe, Effect.sleep(2000))]), 500)
          )
        )
        yield* advance(500)
        const exit = fiber.pollUnsafe()
        assert.isDefined(exit)
        assert.strictEqual(yield* Ref.get(probe.interrupted), 2)
        assert.strictEqual(yield* Ref.get(probe.finalized), 2)
      }))
  })

  describe("tasks", () => {
    it.effect("on expiry cancels the task it waits on and waits for it (test_wait_for)", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const task = yield* aio.createTask(probed(probe, succeedAfter(10_000, "done")))
        const fiber = yield* Effect.forkChild(aio.waitFor(task, 100))
        yield* advance(99)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()!))
        assert.isTrue(yield* aio.isCancelled(task))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("returns the result of a task that finishes in time, also data-last", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(succeedAfter(10, "done"))
        const fiber = yield* Effect.forkChild(task.pipe(aio.waitFor(100)))
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("done"))
      }))

    it.effect("a finished task is returned even under a timeout of 0 (test_wait_for_timeout_less_then_0_or_0_future_done)", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.succeed("done"))
        yield* Fiber.await(task)
        assert.strictEqual(yield* aio.waitFor(task, 0), "done")
      }))

    it.effect("a running task under a timeout of 0 or less is cancelled at once (test_wait_for_timeout_less_then_0_or_0)", () =>
      Effect.gen(function*() {
        for (const timeout of [0, -1]) {
          const probe = yield* makeProbe
          const task = yield* aio.createTask(probed(probe, Effect.sleep(10_000)))
          yield* Effect.yieldNow
          const exit = yield* Effect.exit(aio.waitFor(task, timeout))
          assert.isTrue(isTimeout(exit))
          assert.isTrue(yield* aio.isCancelled(task))
          assert.strictEqual(yield* Ref.get(probe.finalized), 1)
        }
      }))

    it.effect("interrupting waitFor cancels the task too, with or without a timeout (test_cancel_wait_for)", () =>
      Effect.gen(function*() {
        for (const timeout of [null, 60_000]) {
          const task = yield* aio.createTask(Effect.never)
          const wait = yield* Effect.forkChild(aio.waitFor(task, timeout))
          yield* Effect.yieldNow
          yield* Fiber.interrupt(wait)
          assert.isTrue(isInterruptedOnly(wait.pollUnsafe()!))
          assert.isTrue(yield* aio.isCancelled(task))
        }
      }))

    it.effect("returns after the task's cancellation finished (test_wait_for_waits_for_task_cancellation)", () =>
      Effect.gen(function*() {
        const taskDone = yield* Ref.make(false)
        const inner = Effect.sleep(10_000).pipe(
          Effect.onInterrupt(() => Effect.sleep(1)),
          Effect.ensuring(Ref.set(taskDone, true))
        )
        const task = yield* aio.createTask(inner)
        const fiber = yield* Effect.forkChild(aio.waitFor(task, 1))
        yield* advance(1)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()!))
        assert.isTrue(yield* Ref.get(taskDone))
      }))

    it.effect("re-raises an error the task raised while being cancelled (test_wait_for_reraises_exception_during_cancellation)", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.sleep(200).pipe(Effect.ensuring(Effect.die("FooException"))))
        const fiber = yield* Effect.forkChild(aio.waitFor(task, 1))
        yield* advance(1)
        const exit = fiber.pollUnsafe()!
        assert.isFalse(isTimeout(exit))
        assert.strictEqual(defectOf(exit), "FooException")
      }))
  })
})

// Issue 9, item 4: the timer may fire at any moment, even while it is armed.
describe("waitFor on any Clock", () => {
  for (const [name, clock] of instantClocks) {
    it.effect(`times out at once under ${name}`, () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const exit = yield* Effect.exit(aio.waitFor(probed(probe, Effect.never), 10))
        assert.isTrue(isTimeout(exit))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
      }).pipe(withClock(clock())), 5_000)

    it.effect(`still returns the value of work that needs no waiting under ${name}`, () =>
      Effect.gen(function*() {
        assert.strictEqual(yield* aio.waitFor(Effect.succeed(42), 10), 42)
      }).pipe(withClock(clock())), 5_000)

    it.effect(`cancels a task it times out under ${name}`, () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never)
        assert.isTrue(isTimeout(yield* Effect.exit(aio.waitFor(task, 10))))
        assert.isTrue(isInterruptedOnly(task.pollUnsafe()!))
      }).pipe(withClock(clock())), 5_000)
  }
})

// Issue 9, item 7: resumption is iterative; the 100,000-deep case is in test/stress.integration.test.ts.
describe("waitFor nested 1,000 deep", () => {
  it.effect("the outermost limit interrupts 1,000 nested waitFors and raises TimeoutError", () =>
    Effect.gen(function*() {
      const probe = yield* makeProbe
      const fiber = yield* Effect.forkChild(nestedCalls<unknown, unknown>(
        1000,
        (inner, level) => aio.waitFor(probed(probe, inner), level === 1000 ? 100 : "1 hour"),
        Effect.never
      ))
      // The chain is built from a fresh stack every 64 levels: let every level start.
      for (let i = 0; i < 10; i++) yield* settle
      assert.strictEqual(yield* Ref.get(probe.interrupted), 0)
      yield* advance(100)
      assert.isTrue(isTimeout(fiber.pollUnsafe()))
      assert.strictEqual(yield* Ref.get(probe.interrupted), 1000)
    }))

  it.effect("the innermost's value comes out through 1,000 waitFors", () =>
    Effect.gen(function*() {
      const result = yield* nestedCalls<string, unknown>(
        1000,
        (inner) => aio.waitFor(inner, "1 hour"),
        Effect.as(Effect.yieldNow, "innermost value")
      )
      assert.strictEqual(result, "innermost value")
    }))
})

// Issue 10, item 5: errors that say which call failed, in words that fit what the caller asked for.
describe("waitFor's TimeoutError", () => {
  it.effect("names the limit the caller gave, and a limit of zero or less as no waiting at all", () =>
    Effect.gen(function*() {
      const after = yield* Effect.forkChild(Effect.flip(aio.waitFor(Effect.never, 10)))
      const past = yield* Effect.flip(aio.waitFor(Effect.never, -5))
      const zero = yield* Effect.flip(aio.waitFor(Effect.never, 0))
      yield* advance(10)
      assert.strictEqual((yield* Fiber.join(after)).message, "waitFor: timed out after 10 ms")
      assert.strictEqual(
        past.message,
        "waitFor: timed out at once: a timeout of -5 ms allows no waiting, and the work had to wait"
      )
      assert.strictEqual(
        zero.message,
        "waitFor: timed out at once: a timeout of 0 ms allows no waiting, and the work had to wait"
      )
    }))

  it.effect("carries the caller's location: its printed cause shows the caller's Effect.fn, not the library's files", () =>
    Effect.gen(function*() {
      const fetchReport = Effect.fn("fetchReport")(function*() {
        return yield* aio.waitFor(Effect.never, 10)
      })
      const fiber = yield* Effect.forkChild(fetchReport())
      yield* advance(10)
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(isTimeout(exit))
      const pretty = Cause.pretty((exit as Exit.Failure<unknown, unknown>).cause)
      assert.match(pretty, /^TimeoutError: waitFor: timed out after 10 ms\n/)
      assert.match(pretty, /at fetchReport \(.*waitFor\.test\.ts/)
      assert.notMatch(pretty, /src\/internal\//)
    }))
})
