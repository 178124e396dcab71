import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Deferred, Effect, Exit, Fiber, Ref } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import {
  advance,
  defectOf,
  instantClocks,
  isInterruptedOnly,
  isTimeout,
  makeProbe,
  nestedCalls,
  now,
  probed,
  settle,
  squashesToTimeout,
  succeedAfter,
  withClock
} from "./utils/fixtures.ts"

/** Runs a scope body that hands its Timeout handle out through a Deferred. */
const withHandle = <A, E>(
  make: (body: (t: aio.Timeout) => Effect.Effect<A, E>) => Effect.Effect<A, E | Cause.TimeoutError>,
  body: Effect.Effect<A, E>
) =>
  Effect.gen(function*() {
    const handle = yield* Deferred.make<aio.Timeout>()
    const fiber = yield* Effect.forkChild(make((t) => Effect.andThen(Deferred.succeed(handle, t), body)))
    yield* settle
    return { fiber, t: yield* Deferred.await(handle) }
  })

describe("timeout", () => {
  describe("success", () => {
    it.effect("returns the body's value when it finishes before the deadline", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.timeout(100, succeedAfter(50, "done")))
        yield* advance(50)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("done"))
      }))

    it.effect("takes a function of the Timeout handle as body", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.timeout(100, (t) => Effect.andThen(Effect.sleep(10), t.expired)))
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(false))
      }))

    it.effect("is pipeable: body.pipe(timeout(delay))", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(succeedAfter(10, "piped").pipe(aio.timeout("1 second")))
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("piped"))
      }))

    it.effect("bounds sequential work with one total deadline", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const step = (name: string) => Effect.andThen(Effect.sleep(100), Ref.update(log, (l) => [...l, name]))
        const fiber = yield* Effect.forkChild(aio.timeout(150, Effect.andThen(step("f"), step("g"))))
        yield* advance(149)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.deepStrictEqual(yield* Ref.get(log), ["f"])
      }))
  })

  describe("failure", () => {
    it.effect("raises the body's own failure, not a timeout, and does not expire (test_foreign_exception_passed)", () =>
      Effect.gen(function*() {
        const handle = yield* Ref.make<aio.Timeout | undefined>(undefined)
        const exit = yield* Effect.exit(
          aio.timeout(10, (t) => Effect.andThen(Ref.set(handle, t), Effect.fail("KeyError")))
        )
        assert.deepStrictEqual(exit, Exit.fail("KeyError"))
        assert.isFalse(yield* (yield* Ref.get(handle))!.expired)
      }))

    it.effect("reports an error raised by the body's finalizer on expiry instead of the timeout (test_foreign_exception_on_timeout)", () =>
      Effect.gen(function*() {
        const crash = Effect.sleep(1000).pipe(Effect.ensuring(Effect.die(new Error("ZeroDivisionError"))))
        const fiber = yield* Effect.forkChild(aio.timeout(10, crash))
        yield* advance(10)
        const exit = fiber.pollUnsafe()!
        assert.isFalse(isTimeout(exit))
        assert.strictEqual((defectOf(exit) as Error).message, "ZeroDivisionError")
      }))
  })

  describe("time", () => {
    it.effect("is still running one tick before the deadline and times out at it, expired (test_timeout_basic)", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const { fiber, t } = yield* withHandle((body) => aio.timeout(1000, body), probed(probe, Effect.sleep(10_000)))
        yield* advance(999)
        assert.isUndefined(fiber.pollUnsafe())
        assert.isFalse(yield* t.expired)
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.isTrue(yield* t.expired)
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("timeoutAt uses an absolute deadline on the Clock, reported by when (test_timeout_at_basic)", () =>
      Effect.gen(function*() {
        yield* advance(5000)
        const deadline = (yield* now) + 10
        const { fiber, t } = yield* withHandle((body) => aio.timeoutAt(deadline, body), Effect.sleep(10_000))
        assert.strictEqual(yield* t.when, deadline)
        yield* advance(9)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.isTrue(yield* t.expired)
        assert.strictEqual(yield* t.when, deadline)
      }))

    it.effect("when is now + delay, and is not expired when the body finishes in time (test_timeout_not_called)", () =>
      Effect.gen(function*() {
        yield* advance(100)
        const { fiber, t } = yield* withHandle((body) => aio.timeout(10_000, body), Effect.sleep(10))
        yield* advance(10)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.void)
        assert.strictEqual(yield* t.when, 10_100)
        assert.isFalse(yield* t.expired)
      }))

    it.effect("a null delay or deadline means no deadline (test_timeout_disabled, test_timeout_at_disabled)", () =>
      Effect.gen(function*() {
        const a = yield* withHandle((body) => aio.timeout(null, body), Effect.sleep("1 day"))
        const b = yield* withHandle((body) => aio.timeoutAt(null, body), Effect.sleep("1 day"))
        yield* advance("1 day")
        assert.deepStrictEqual(a.fiber.pollUnsafe(), Exit.void)
        assert.deepStrictEqual(b.fiber.pollUnsafe(), Exit.void)
        assert.isNull(yield* a.t.when)
        assert.isNull(yield* b.t.when)
        assert.isFalse(yield* a.t.expired)
      }))

    it.effect("a delay of 0 times out work that must wait, at once (test_timeout_zero)", () =>
      Effect.gen(function*() {
        const handle = yield* Ref.make<aio.Timeout | undefined>(undefined)
        const start = yield* now
        const exit = yield* Effect.exit(aio.timeout(0, (t) => Effect.andThen(Ref.set(handle, t), Effect.sleep(10_000))))
        assert.isTrue(isTimeout(exit))
        const t = (yield* Ref.get(handle))!
        assert.isTrue(yield* t.expired)
        assert.strictEqual(yield* t.when, start)
      }))

    it.effect("a deadline of 0 or in the past times out a body that only yields (test_timeout_zero_sleep_zero)", () =>
      Effect.gen(function*() {
        assert.isTrue(isTimeout(yield* Effect.exit(aio.timeout(0, Effect.yieldNow))))
        assert.isTrue(isTimeout(yield* Effect.exit(aio.timeout(-11, Effect.yieldNow))))
        assert.isTrue(isTimeout(yield* Effect.exit(aio.timeoutAt(-1, Effect.yieldNow))))
      }))

    it.effect("a body that needs no waiting completes even under a deadline of 0 or in the past", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* Effect.exit(aio.timeout(0, Effect.succeed(1))), Exit.succeed(1))
        assert.deepStrictEqual(yield* Effect.exit(aio.timeout(-5, Effect.succeed(2))), Exit.succeed(2))
        assert.deepStrictEqual(yield* Effect.exit(aio.timeoutAt(-100, Effect.sync(() => 3))), Exit.succeed(3))
        const handle = yield* Ref.make<aio.Timeout | undefined>(undefined)
        yield* aio.timeout(0, (t) => Ref.set(handle, t))
        assert.isFalse(yield* (yield* Ref.get(handle))!.expired)
      }))

    it.effect("an infinite delay means no limit", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.timeout("Infinity", succeedAfter("1 day", "late")))
        yield* advance("1 day")
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("late"))
      }))
  })

  describe("reschedule", () => {
    it.effect("moves the deadline later, then to null, from another fiber (test_reschedule)", () =>
      Effect.gen(function*() {
        const { fiber, t } = yield* withHandle((body) => aio.timeoutAt(10, body), Effect.sleep(50))
        assert.strictEqual(yield* t.when, 10)
        yield* t.reschedule(30)
        assert.strictEqual(yield* t.when, 30)
        yield* advance(20)
        assert.isUndefined(fiber.pollUnsafe())
        yield* t.reschedule(null)
        assert.isNull(yield* t.when)
        yield* advance(29)
        assert.isUndefined(fiber.pollUnsafe())
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.isFalse(yield* t.expired)
      }))

    it.effect("fires at the new, later deadline and not at the old one", () =>
      Effect.gen(function*() {
        const { fiber, t } = yield* withHandle((body) => aio.timeoutAt(10, body), Effect.sleep(1000))
        yield* t.reschedule(40)
        yield* advance(39)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
      }))

    it.effect("moving the deadline earlier fires at the new deadline", () =>
      Effect.gen(function*() {
        const { fiber, t } = yield* withHandle((body) => aio.timeoutAt(1000, body), Effect.sleep(5000))
        yield* t.reschedule(20)
        yield* advance(19)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
      }))

    it.effect("a deadline in the past expires the scope at once", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const { fiber, t } = yield* withHandle((body) => aio.timeout(1000, body), probed(probe, Effect.never))
        yield* advance(5)
        yield* t.reschedule(0)
        yield* settle
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.isTrue(yield* t.expired)
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("the body can reschedule its own scope into the past", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(aio.timeout(
          null,
          (t) => Effect.andThen(t.reschedule(-1), Effect.never)
        ))
        assert.isTrue(isTimeout(exit))
      }))

    it.effect("null removes a deadline that was set", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.timeout(10, (t) => Effect.andThen(t.reschedule(null), succeedAfter(100, "kept")))
        )
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("kept"))
      }))

    // The misuse table (test/misuse.test.ts) has these two rows; it cannot see what these check besides: that the
    // refused reschedule leaves the deadline as it was, and that an open scope still fires at it.
    it.effect("reschedule on a finished scope dies with IllegalArgumentError (test_timeout_finished)", () =>
      Effect.gen(function*() {
        const handle = yield* Ref.make<aio.Timeout | undefined>(undefined)
        yield* aio.timeout(10, (t) => Ref.set(handle, t))
        const t = (yield* Ref.get(handle))!
        const exit = yield* Effect.exit(t.reschedule(20))
        const defect = defectOf(exit)
        assert.isTrue(Cause.isIllegalArgumentError(defect))
        assert.strictEqual(
          (defect as Error).message,
          "Timeout.reschedule: cannot reschedule a timeout scope that has finished"
        )
        assert.strictEqual(yield* t.when, 10)
      }))

    it.effect("reschedule with NaN dies with IllegalArgumentError and leaves the deadline", () =>
      Effect.gen(function*() {
        const { fiber, t } = yield* withHandle((body) => aio.timeoutAt(10, body), Effect.sleep(50))
        const exit = yield* Effect.exit(t.reschedule(Number.NaN))
        assert.strictEqual(
          (defectOf(exit) as Error).message,
          "Timeout.reschedule: deadline must be a number of milliseconds or null, got NaN"
        )
        assert.strictEqual(yield* t.when, 10)
        yield* advance(10)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
      }))
  })

  describe("nesting", () => {
    it.effect("an outer scope that fires raises; the inner one ends interrupted and not expired", () =>
      Effect.gen(function*() {
        const innerCancelled = yield* Ref.make(false)
        const inner = yield* Deferred.make<aio.Timeout>()
        const outer = yield* Deferred.make<aio.Timeout>()
        const fiber = yield* Effect.forkChild(
          aio.timeout(100, (t1) =>
            Effect.andThen(
              Deferred.succeed(outer, t1),
              aio.timeout(1000, (t2) => Effect.andThen(Deferred.succeed(inner, t2), Effect.never)).pipe(
                Effect.onInterrupt(() => Ref.set(innerCancelled, true))
              )
            ))
        )
        yield* advance(100)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.isTrue(yield* Ref.get(innerCancelled))
        assert.isTrue(yield* (yield* Deferred.await(outer)).expired)
        assert.isFalse(yield* (yield* Deferred.await(inner)).expired)
      }))

    it.effect("with equal deadlines only the outer scope raises; both have expired (test_nested_timeouts)", () =>
      Effect.gen(function*() {
        const deadline = (yield* now) + 10
        const innerCancelled = yield* Ref.make(false)
        const handles: Array<aio.Timeout> = []
        const fiber = yield* Effect.forkChild(
          aio.timeoutAt(
            deadline,
            (cm1) =>
              aio.timeoutAt(
                deadline,
                (cm2) => Effect.andThen(Effect.sync(() => handles.push(cm1, cm2)), Effect.sleep(10_000))
              ).pipe(
                Effect.onInterrupt(() => Ref.set(innerCancelled, true))
              )
          )
        )
        yield* advance(10)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.isTrue(yield* Ref.get(innerCancelled))
        assert.isTrue(yield* handles[0].expired)
        assert.isTrue(yield* handles[1].expired)
      }))

    it.effect("with equal deadlines the outer scope fires even when the inner timer was set last", () =>
      Effect.gen(function*() {
        const handles: Array<aio.Timeout> = []
        const fiber = yield* Effect.forkChild(
          aio.timeoutAt(50, (outer) =>
            aio.timeoutAt(1000, (inner) =>
              Effect.gen(function*() {
                handles.push(outer, inner)
                yield* outer.reschedule(20)
                yield* inner.reschedule(20)
                yield* Effect.never
              })).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("inner raised"))))
        )
        yield* advance(20)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.isTrue(yield* handles[0].expired)
      }))

    it.effect("an inner scope that fires first raises inside the outer one, which goes on", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.timeout(1000, (outer) =>
            Effect.gen(function*() {
              const first = yield* Effect.exit(aio.timeout(10, Effect.never))
              yield* Effect.sleep(100)
              return [isTimeout(first), yield* outer.expired] as const
            }))
        )
        yield* advance(10)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(100)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed([true, false] as const))
      }))

    it.effect("when both deadlines have passed at once the outer scope raises (test_nested_timeouts_loop_busy)", () =>
      Effect.gen(function*() {
        // A clock that runs `skew` ms ahead of the TestClock's timers, like an
        // event loop that was busy: when the inner timer (10 ms) finally
        // fires, the outer deadline (100 ms) has already passed as well.
        const testClock = yield* Clock.Clock
        let skew = 0
        const busyClock: Clock.Clock = {
          currentTimeMillisUnsafe: () => testClock.currentTimeMillisUnsafe() + skew,
          currentTimeMillis: Effect.sync(() => testClock.currentTimeMillisUnsafe() + skew),
          currentTimeNanosUnsafe: () => testClock.currentTimeNanosUnsafe(),
          currentTimeNanos: testClock.currentTimeNanos,
          monotonicTimeNanosUnsafe: () => testClock.monotonicTimeNanosUnsafe(),
          monotonicTimeNanos: testClock.monotonicTimeNanos,
          sleep: (duration) => testClock.sleep(duration)
        }
        // The skew starts after both timers are armed (after one yield).
        const inner = aio.timeout(
          10,
          Effect.andThen(
            Effect.yieldNow,
            Effect.andThen(
              Effect.sync(() => {
                skew = 200
              }),
              Effect.never
            )
          )
        ).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed("inner raised")))
        const fiber = yield* Effect.forkChild(
          aio.timeout(100, Effect.andThen(inner, Effect.sleep(10_000))).pipe(
            Effect.provideService(Clock.Clock, busyClock)
          )
        )
        yield* advance(10)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
      }))

    it.effect("a new scope inside the finalizer of an expired body still times out (test_nested_timeout_in_finally)", () =>
      Effect.gen(function*() {
        const innerResult = yield* Ref.make("not run")
        const cleanup = aio.timeout(10, Effect.sleep(10_000)).pipe(
          Effect.catchTag("TimeoutError", () => Ref.set(innerResult, "inner timed out")),
          Effect.asVoid
        )
        const fiber = yield* Effect.forkChild(aio.timeout(10, Effect.sleep(1000).pipe(Effect.ensuring(cleanup))))
        yield* advance(10)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(10)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.strictEqual(yield* Ref.get(innerResult), "inner timed out")
      }))

    it.effect("a scope inside a finalizer of an interrupted fiber still times out (test_timeout_after_cancellation)", () =>
      Effect.gen(function*() {
        const result = yield* Ref.make("not run")
        const cleanup = aio.timeout(0, Effect.sleep(1000)).pipe(
          Effect.catchTag("TimeoutError", () => Ref.set(result, "timed out")),
          Effect.asVoid
        )
        const fiber = yield* Effect.forkChild(Effect.never.pipe(Effect.ensuring(cleanup)))
        yield* settle
        yield* Fiber.interrupt(fiber)
        assert.strictEqual(yield* Ref.get(result), "timed out")
      }))
  })

  describe("interruption", () => {
    it.effect("interrupting the scope from outside interrupts the body, waits, and does not expire", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const { fiber, t } = yield* withHandle((body) => aio.timeout(1000, body), probed(probe, Effect.never))
        yield* advance(10)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
        assert.isFalse(yield* t.expired)
        yield* advance(2000)
        assert.isFalse(yield* t.expired)
      }))

    it.effect("a body that interrupts itself ends the scope interrupted, not expired (test_foreign_cancel_doesnt_timeout_if_not_expired)", () =>
      Effect.gen(function*() {
        const handle = yield* Ref.make<aio.Timeout | undefined>(undefined)
        const exit = yield* Effect.exit(
          aio.timeout(10_000, (t) => Effect.andThen(Ref.set(handle, t), Effect.interrupt))
        )
        assert.isTrue(isInterruptedOnly(exit))
        assert.isFalse(yield* (yield* Ref.get(handle))!.expired)
      }))

    it.effect("the scope's caller is not left interrupted after a timeout (test_outer_task_is_not_cancelled)", () =>
      Effect.gen(function*() {
        const outer = aio.timeout(1, Effect.sleep(10_000)).pipe(
          Effect.catchTag("TimeoutError", () => Effect.succeed("ok"))
        )
        const task = yield* aio.createTask(
          Effect.andThen(outer, Effect.andThen(Effect.sleep(5), Effect.succeed("still running")))
        )
        yield* advance(1)
        yield* advance(5)
        assert.deepStrictEqual(task.pollUnsafe(), Exit.succeed("still running"))
        assert.isFalse(yield* aio.isCancelled(task))
      }))
  })

  describe("handle", () => {
    it.effect("prints like asyncio's Timeout repr", () =>
      Effect.gen(function*() {
        const { fiber, t } = yield* withHandle((body) => aio.timeoutAt(10, body), Effect.sleep(100))
        assert.strictEqual(String(t), "<Timeout [active] when=10>")
        yield* advance(10)
        assert.isTrue(isTimeout(fiber.pollUnsafe()))
        assert.strictEqual(String(t), "<Timeout [expired]>")
        const handle = yield* Ref.make<aio.Timeout | undefined>(undefined)
        yield* aio.timeout(null, (t2) => Ref.set(handle, t2))
        assert.strictEqual(String((yield* Ref.get(handle))!), "<Timeout [finished]>")
      }))
  })

  // Found by the property tests (they were in test/properties/regressions.test.ts). The bug they pin, fixed by
  // ea50ff4 (arm the timer before the body starts, and fire a deadline already past on the next tick, as asyncio's
  // call_soon): of nested scopes entered in the same instant, the outer one did not raise; and a body that
  // rescheduled its own scope into the past lost the errors its finalizers raised.
  describe("regressions", () => {
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
          assert.isTrue(squashesToTimeout(exit), `the outer scope raises TimeoutError, got ${JSON.stringify(exit)}`)
          assert.isTrue(yield* handles[0].expired, "the outer scope expired")
          assert.isTrue(yield* handles[1].expired, "the inner scope's deadline passed too")
        })
    )

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
  })
})

// Issue 9, item 4: the timer may fire at any moment, even while it is armed.
describe("timeout on any Clock", () => {
  for (const [name, clock] of instantClocks) {
    it.effect(`timeout expires at once under ${name}`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(aio.timeout(10, (t) => Effect.andThen(Effect.never, t.expired)))
        assert.isTrue(isTimeout(exit))
      }).pipe(withClock(clock())), 5_000)

    it.effect(`timeoutAt expires at once under ${name}`, () =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        assert.isTrue(isTimeout(yield* Effect.exit(aio.timeoutAt(now + 10, Effect.never))))
      }).pipe(withClock(clock())), 5_000)

    it.effect(`a rescheduled deadline fires under ${name}`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(aio.timeout(null, (t) =>
          Effect.gen(function*() {
            yield* t.reschedule((yield* Clock.currentTimeMillis) + 10)
            return yield* Effect.never
          })))
        assert.isTrue(isTimeout(exit))
      }).pipe(withClock(clock())), 5_000)

    it.effect(`nested scopes: the one whose deadline fired raises under ${name}`, () =>
      Effect.gen(function*() {
        const inner = yield* Ref.make<boolean | undefined>(undefined)
        const exit = yield* Effect.exit(aio.timeout(
          1000,
          aio.timeout(
            10,
            (t) => Effect.never.pipe(Effect.ensuring(Effect.flatMap(t.expired, (e) => Ref.set(inner, e))))
          )
        ))
        assert.isTrue(isTimeout(exit))
        assert.strictEqual(yield* Ref.get(inner), true)
      }).pipe(withClock(clock())), 5_000)
  }
})

// Issue 9, item 7: resumption is iterative; the 100,000-deep case is in test/stress.integration.test.ts.
describe("timeout nested 1,000 deep", () => {
  it.effect("the outermost deadline interrupts 1,000 nested scopes and raises TimeoutError", () =>
    Effect.gen(function*() {
      const probe = yield* makeProbe
      const fiber = yield* Effect.forkChild(nestedCalls<unknown, unknown>(
        1000,
        (inner, level) => aio.timeout(level === 1000 ? 100 : "1 hour", probed(probe, inner)),
        Effect.never
      ))
      // The chain is built from a fresh stack every 64 levels: let every level start.
      for (let i = 0; i < 10; i++) yield* settle
      assert.strictEqual(yield* Ref.get(probe.interrupted), 0)
      yield* advance(100)
      assert.isTrue(isTimeout(fiber.pollUnsafe()))
      assert.strictEqual(yield* Ref.get(probe.interrupted), 1000)
    }))

  it.effect("timeoutAt: the innermost's failure comes out through 1,000 scopes", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
        1000,
        (inner) => aio.timeoutAt(null, inner),
        Effect.andThen(Effect.yieldNow, Effect.fail("innermost failed"))
      ))
      assert.deepStrictEqual(exit, Exit.fail("innermost failed"))
    }))
})
