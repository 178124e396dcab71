/**
 * Bugs the property tests found, each pinned by the smallest scenario that
 * shows it. Each test is named after its scenario.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Fiber, Stream } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"

const settle = Effect.gen(function*() {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow
})

const isTimeout = (exit: Exit.Exit<unknown, unknown> | undefined) =>
  exit !== undefined && Exit.isFailure(exit) && Cause.isTimeoutError(Cause.squash(exit.cause))

describe("regressions (found by the property tests)", () => {
  // From timeout.test.ts, shrunk: scopes [{ deadline: -1, pre: 0 }, { deadline: -1, pre: 4 }]
  // (two scopes entered in one step, both deadlines already past).
  it.effect(
    "nested timeouts entered in the same instant with deadlines already due: the outer scope raises and its expiry is not lost",
    () =>
      Effect.gen(function*() {
        const handles: Array<aio.Timeout> = []
        const fiber = yield* Effect.forkChild(
          aio.timeout(0, (outer) => {
            handles.push(outer)
            return aio.timeout(0, (inner) => {
              handles.push(inner)
              return Effect.as(Effect.sleep(10), "body finished")
            }).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("inner scope raised")))
          })
        )
        yield* settle
        yield* TestClock.adjust(10)
        const exit = yield* Fiber.await(fiber)
        // Both deadlines are due when the body first waits: as for equal
        // deadlines, the outer scope fires and raises; the inner one is
        // expired too but does not raise (asyncio: both timers fire, only
        // the outer raises TimeoutError).
        assert.isTrue(isTimeout(exit), `the outer scope raises TimeoutError, got ${JSON.stringify(exit)}`)
        assert.isTrue(yield* handles[0].expired, "the outer scope expired")
        assert.isTrue(yield* handles[1].expired, "the inner scope's deadline passed too")
      })
  )

  // From cleanup.test.ts, shrunk: gather > group > asCompleted > work whose
  // finalizer dies; the group stops the asCompleted task.
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

  // From cleanup.test.ts, shrunk: timeout(null) whose body's child reschedules
  // it to now, over a group whose task's finalizer dies.
  describe("a timeout scope that expires by reschedule keeps the errors of its body's finalizers", () => {
    const dyingCleanup = Effect.ensuring(Effect.never, Effect.die("cleanup failed"))
    const intoThePast = (t: aio.Timeout) => Effect.flatMap(Clock.currentTimeMillis, (now) => t.reschedule(now - 1))

    it.effect("the body reschedules its own scope into the past while a finalizer dies: the defect is reported, not the timeout", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          aio.timeout(
            null,
            (t) => Effect.andThen(Effect.forkChild(Effect.andThen(Effect.yieldNow, intoThePast(t))), dyingCleanup)
          )
        )
        assert.deepStrictEqual(
          Exit.isFailure(exit) ? exit.cause.reasons.map((r) => (Cause.isDieReason(r) ? r.defect : r._tag)) : exit,
          ["cleanup failed"],
          "as when the deadline passes by itself (test_foreign_exception_on_timeout)"
        )
      }))

    it.effect("the body, once running, reschedules its own scope into the past and then waits on a finalizer that dies: the defect is reported", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          aio.timeout(null, (t) => Effect.andThen(Effect.yieldNow, Effect.andThen(intoThePast(t), dyingCleanup)))
        )
        assert.deepStrictEqual(
          Exit.isFailure(exit) ? exit.cause.reasons.map((r) => (Cause.isDieReason(r) ? r.defect : r._tag)) : exit,
          ["cleanup failed"]
        )
      }))
  })

  // From cleanup.test.ts, shrunk: a group task gathers two tasks with a
  // concurrency of 1; the first dies, the second (not yet joined) fails with a
  // finalizer that dies: it outlives gather and its error is lost.
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

  // From cleanup.test.ts (after 0a1398e), shrunk: asCompleted(timeout 2) over
  // asCompleted children; one child's stream fails, and the root's timeout
  // interrupts it while it waits for its other task's cleanup.
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

  // From cleanup.test.ts (after 05ed4fa), shrunk: group > waitFor > gather of
  // two tasks with a concurrency of 1; the second task dies first, while
  // gather still waits on the first.
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
