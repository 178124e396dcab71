import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Ref } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import {
  advance,
  defectOf,
  dieAfter,
  errorsOf,
  failAfter,
  interruptAfter,
  isInterruptedOnly,
  isTimeout,
  makeProbe,
  nestedCalls,
  probed,
  settle,
  succeedAfter
} from "./utils/fixtures.ts"

describe("gather", () => {
  describe("success", () => {
    it.effect("returns results in input order whatever order the work finished in", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.gather([succeedAfter(200, "phase1 result"), succeedAfter(100, "phase2 result")])
        )
        yield* advance(199)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["phase1 result", "phase2 result"]))
      }))

    it.effect("runs every effect at once by default", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.gather([succeedAfter(100, 1), succeedAfter(100, 2), succeedAfter(100, 3)])
        )
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1, 2, 3]))
      }))

    it.effect("starts the effects in input order", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<number>>([])
        const start = (i: number) => Effect.andThen(Ref.update(log, (l) => [...l, i]), Effect.sleep(10))
        const fiber = yield* Effect.forkChild(aio.gather([start(0), start(1), start(2)]))
        yield* settle
        assert.deepStrictEqual(yield* Ref.get(log), [0, 1, 2])
        yield* advance(10)
        assert.isTrue(Exit.isSuccess(fiber.pollUnsafe()!))
      }))

    it.effect("keeps the shape of a record", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.gather({ f: succeedAfter(20, "f"), g: succeedAfter(10, 2) }))
        yield* advance(20)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed({ f: "f", g: 2 }))
      }))

    it.effect("takes any iterable", () =>
      Effect.gen(function*() {
        function* effects() {
          for (let i = 0; i < 3; i++) yield succeedAfter(30 - 10 * i, i)
        }
        const fiber = yield* Effect.forkChild(aio.gather(effects()))
        yield* advance(30)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([0, 1, 2]))
      }))

    it.effect("an empty input succeeds at once with an empty result", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* aio.gather([]), [])
        assert.deepStrictEqual(yield* aio.gather({}), {})
        assert.deepStrictEqual(yield* aio.gather([], { returnExceptions: true }), [])
      }))

    it.effect("a single effect gives a one-element result", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* aio.gather([Effect.succeed("only")]), ["only"])
      }))
  })

  describe("concurrency", () => {
    it.effect("a number bounds how many effects run at a time", () =>
      Effect.gen(function*() {
        const running = yield* Ref.make(0)
        const peak = yield* Ref.make(0)
        const job = (i: number) =>
          Effect.gen(function*() {
            const now = yield* Ref.updateAndGet(running, (n) => n + 1)
            yield* Ref.update(peak, (p) => Math.max(p, now))
            yield* Effect.sleep(100)
            yield* Ref.update(running, (n) => n - 1)
            return i
          })
        const fiber = yield* Effect.forkChild(aio.gather([job(0), job(1), job(2), job(3), job(4)], { concurrency: 2 }))
        yield* advance(100)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(100)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([0, 1, 2, 3, 4]))
        assert.strictEqual(yield* Ref.get(peak), 2)
      }))

    it.effect("\"unbounded\" and Infinity mean no bound", () =>
      Effect.gen(function*() {
        const a = yield* Effect.forkChild(
          aio.gather([succeedAfter(10, 1), succeedAfter(10, 2)], { concurrency: "unbounded" })
        )
        const b = yield* Effect.forkChild(
          aio.gather([succeedAfter(10, 1), succeedAfter(10, 2)], { concurrency: Infinity })
        )
        yield* advance(10)
        assert.deepStrictEqual(a.pollUnsafe(), Exit.succeed([1, 2]))
        assert.deepStrictEqual(b.pollUnsafe(), Exit.succeed([1, 2]))
      }))

    it.effect("a concurrency of 1 runs one at a time", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.gather([succeedAfter(10, 1), succeedAfter(10, 2)], { concurrency: 1 })
        )
        yield* advance(10)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([1, 2]))
      }))
  })

  describe("failure", () => {
    it.effect("raises the first failure and interrupts the others, after their cleanup", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.gather([
          probed(probe, succeedAfter(1000, "slow")),
          failAfter(100, "boom"),
          probed(probe, Effect.never)
        ]))
        yield* advance(99)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.fail("boom"))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 2)
        assert.strictEqual(yield* Ref.get(probe.finalized), 2)
      }))

    it.effect("the first failure in time wins, not the first in input order", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.gather([failAfter(200, "late"), failAfter(100, "early")]))
        yield* advance(200)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.fail("early"))
      }))

    it.effect("waits for the interrupted effects' finalizers before failing", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const slow = Effect.never.pipe(
          Effect.onInterrupt(() => Effect.andThen(Effect.sleep(50), Ref.update(log, (l) => [...l, "cleanup"])))
        )
        const fiber = yield* Effect.forkChild(
          Effect.andThen(
            Effect.exit(aio.gather([slow, failAfter(10, "boom")])),
            Ref.update(log, (l) => [...l, "returned"])
          )
        )
        yield* advance(10)
        assert.deepStrictEqual(yield* Ref.get(log), [])
        yield* advance(50)
        assert.deepStrictEqual(yield* Ref.get(log), ["cleanup", "returned"])
        assert.isDefined(fiber.pollUnsafe())
      }))

    it.effect("a defect is raised as a defect", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.gather([succeedAfter(100, 1), dieAfter(10, "bug")]))
        yield* advance(10)
        assert.strictEqual(defectOf(fiber.pollUnsafe()!), "bug")
      }))

    it.effect("an error raised while the others are interrupted is kept in the cause", () =>
      Effect.gen(function*() {
        const failingCleanup = Effect.never.pipe(Effect.onInterrupt(() => Effect.die("cleanup bug")))
        const fiber = yield* Effect.forkChild(aio.gather([failingCleanup, failAfter(10, "boom")]))
        yield* advance(10)
        const exit = fiber.pollUnsafe()!
        assert.isTrue(Exit.isFailure(exit))
        const pretty = Cause.pretty((exit as Exit.Failure<unknown, unknown>).cause)
        assert.include(pretty, "boom")
        assert.include(pretty, "cleanup bug")
      }))
  })

  describe("returnExceptions", () => {
    it.effect("never fails: each slot holds the Exit of its effect", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.gather([
          succeedAfter(30, "ok"),
          failAfter(10, "typed"),
          dieAfter(20, "defect"),
          interruptAfter(5)
        ], { returnExceptions: true }))
        yield* advance(30)
        const exit = fiber.pollUnsafe()!
        assert.isTrue(Exit.isSuccess(exit))
        const [ok, typed, defect, interrupted] =
          (exit as Exit.Success<ReadonlyArray<Exit.Exit<unknown, unknown>>>).value
        assert.deepStrictEqual(ok, Exit.succeed("ok"))
        assert.deepStrictEqual(typed, Exit.fail("typed"))
        assert.strictEqual(defectOf(defect), "defect")
        assert.isTrue(isInterruptedOnly(interrupted))
      }))

    it.effect("keeps the shape of a record", () =>
      Effect.gen(function*() {
        const result = yield* aio.gather({ a: Effect.succeed(1), b: Effect.fail("x") }, { returnExceptions: true })
        assert.deepStrictEqual(result, { a: Exit.succeed(1), b: Exit.fail("x") })
      }))

    it.effect("does not stop the other effects when one fails", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(
          aio.gather([failAfter(10, "boom"), probed(probe, succeedAfter(100, "done"))], {
            returnExceptions: true
          })
        )
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([Exit.fail("boom"), Exit.succeed("done")]))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 0)
      }))
  })

  describe("interruption", () => {
    it.effect("interrupting gather while it waits interrupts every child and waits for them", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(
          aio.gather([probed(probe, Effect.never), probed(probe, succeedAfter(1000, 1))])
        )
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 2)
        assert.strictEqual(yield* Ref.get(probe.finalized), 2)
      }))

    it.effect("interrupting gather with returnExceptions still interrupts it", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.gather([probed(probe, Effect.never)], { returnExceptions: true }))
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    // Issue 9, item 3: nothing is lost when gather stops its children, in both modes.
    for (const returnExceptions of [false, true]) {
      it.effect(`interrupted with returnExceptions: ${returnExceptions}, a child's failing cleanup is kept in the cause`, () =>
        Effect.gen(function*() {
          const failingCleanup = Effect.never.pipe(Effect.onInterrupt(() => Effect.fail("cleanup failed")))
          const fiber = yield* Effect.forkChild(aio.gather([failingCleanup, Effect.never], { returnExceptions }))
          yield* advance(10)
          yield* Fiber.interrupt(fiber)
          const exit = fiber.pollUnsafe()!
          assert.isTrue(Exit.hasInterrupts(exit))
          assert.deepStrictEqual(errorsOf(exit), ["cleanup failed"])
        }))

      it.effect(`timed out with returnExceptions: ${returnExceptions}, a child's failing cleanup is reported, not a clean timeout`, () =>
        Effect.gen(function*() {
          const failingCleanup = Effect.never.pipe(Effect.onInterrupt(() => Effect.fail("cleanup failed")))
          const dyingCleanup = Effect.never.pipe(Effect.onInterrupt(() => Effect.die("cleanup died")))
          const failed = yield* Effect.forkChild(aio.waitFor(aio.gather([failingCleanup], { returnExceptions }), 10))
          const died = yield* Effect.forkChild(
            aio.waitFor(aio.gather([failingCleanup, dyingCleanup], { returnExceptions }), 10)
          )
          yield* advance(10)
          assert.isFalse(isTimeout(failed.pollUnsafe()!))
          assert.deepStrictEqual(errorsOf(failed.pollUnsafe()!), ["cleanup failed"])
          // With a defect in the cause, Effect reports the typed failure as a defect too (SPEC, gather).
          const reasons = (died.pollUnsafe() as Exit.Failure<unknown, unknown>).cause.reasons
          assert.deepStrictEqual(reasons.map((r) => Cause.isDieReason(r) ? r.defect : r._tag), [
            "cleanup failed",
            "cleanup died"
          ])
        }))
    }

    it.effect("a child that interrupts itself makes gather end interrupted and stops the others", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.gather([interruptAfter(10), probed(probe, Effect.never)]))
        yield* advance(10)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
      }))
  })

  describe("tasks", () => {
    it.effect("awaits tasks given among the effects", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(succeedAfter(20, "task"))
        const fiber = yield* Effect.forkChild(aio.gather([task, succeedAfter(10, "effect")]))
        yield* advance(20)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["task", "effect"]))
      }))

    it.effect("cancels the tasks it waits on when another one fails, as it interrupts effects", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const task = yield* aio.createTask(probed(probe, Effect.never))
        const fiber = yield* Effect.forkChild(aio.gather([task, failAfter(10, "boom")]))
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.fail("boom"))
        assert.isTrue(yield* aio.isCancelled(task))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("interrupting gather cancels its tasks (asyncio: cancelling gather cancels the awaitables)", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never)
        const fiber = yield* Effect.forkChild(aio.gather({ t: task }))
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(yield* aio.isCancelled(task))
      }))

    it.effect("a cancelled task is an interruption: gather ends interrupted, or holds its Exit", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never)
        yield* settle
        yield* aio.cancel(task)
        assert.isTrue(isInterruptedOnly(yield* Effect.exit(aio.gather([task]))))
        const [exit] = yield* aio.gather([task], { returnExceptions: true })
        assert.isTrue(isInterruptedOnly(exit))
      }))
  })

  // Found by the property tests (they were in test/properties/regressions.test.ts).
  describe("regressions", () => {
    // From cleanup.test.ts, shrunk: a group task gathers two tasks with a
    // concurrency of 1; the first dies, the second (not yet joined) fails with a
    // finalizer that dies: it outlives gather and its error is lost. The bug,
    // fixed by 05ed4fa: gather cancelled only the tasks its bounded concurrency
    // had reached, and left the others running when it stopped early.
    describe("gather cancels every task it was given when it stops early, whatever the concurrency", () => {
      it.effect("gather with a concurrency of 1 fails: a task whose turn had not come is cancelled before gather returns", () =>
        Effect.gen(function*() {
          const first = yield* aio.createTask(Effect.andThen(Effect.sleep(1), Effect.fail("first failed")))
          const waiting = yield* aio.createTask(Effect.never)
          const fiber = yield* Effect.forkChild(aio.gather([first, waiting], { concurrency: 1 }))
          yield* settle
          yield* TestClock.adjust(1)
          yield* settle
          assert.isTrue(Exit.isFailure(fiber.pollUnsafe()!), "gather failed")
          assert.isTrue(
            yield* aio.isCancelled(waiting),
            "the task gather was given is cancelled, as when concurrency is unbounded"
          )
        }))

      it.effect("gather with a concurrency of 1 is interrupted: a task whose turn had not come is cancelled", () =>
        Effect.gen(function*() {
          const waiting = yield* aio.createTask(Effect.never)
          const fiber = yield* Effect.forkChild(aio.gather([Effect.never, waiting], { concurrency: 1 }))
          yield* settle
          yield* Fiber.interrupt(fiber)
          assert.isTrue(yield* aio.isCancelled(waiting), "interrupting gather cancels every task it was given")
        }))
    })

    // From cleanup.test.ts (after 05ed4fa), shrunk: group > waitFor > gather of
    // two tasks with a concurrency of 1; the second task dies first, while
    // gather still waits on the first. The bug, fixed by 14e0db4: the bound
    // applied to tasks too, so gather awaited them one by one in input order
    // and raised a later failure instead of the first one in time.
    it.effect(
      "gather of tasks with a concurrency of 1: the task that fails first is raised as soon as it fails, not a later one in input order",
      () =>
        Effect.gen(function*() {
          const late = yield* aio.createTask(Effect.andThen(Effect.sleep(3), Effect.fail("fails at 3 ms")))
          const early = yield* aio.createTask(Effect.andThen(Effect.sleep(1), Effect.fail("fails at 1 ms")))
          const fiber = yield* Effect.forkChild(aio.gather([late, early], { concurrency: 1 }))
          yield* settle
          yield* TestClock.adjust(1)
          yield* settle
          // The tasks are already running: the bound cannot limit them, only
          // delay noticing them. Unbounded, gather fails at 1 ms with the early one.
          assert.deepStrictEqual(fiber.pollUnsafe(), Exit.fail("fails at 1 ms"))
          assert.isTrue(yield* aio.isCancelled(late), "and cancels the other task")
        })
    )
  })
})

// Issue 9, item 7: resumption is iterative; the 100,000-deep case is in test/stress.integration.test.ts.
describe("gather nested 1,000 deep", () => {
  it.effect("the innermost's failure comes out through 1,000 gathers", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
        1000,
        (inner) => Effect.map(aio.gather([inner, Effect.never]), ([a]) => a),
        Effect.andThen(Effect.yieldNow, Effect.fail("innermost failed"))
      ))
      assert.deepStrictEqual(exit, Exit.fail("innermost failed"))
    }))

  it.effect("the innermost's value comes out through 1,000 gathers with returnExceptions", () =>
    Effect.gen(function*() {
      const result = yield* nestedCalls<unknown, never>(
        1000,
        (inner) => Effect.flatMap(aio.gather([inner], { returnExceptions: true }), ([exit]) => exit),
        Effect.as(Effect.yieldNow, "innermost value")
      )
      assert.strictEqual(result, "innermost value")
    }))
})
