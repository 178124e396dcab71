import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Ref } from "effect"
import * as aio from "effect-asyncio"
import { advance, settle } from "./utils/fixtures.ts"

/** Every test starts at time 0 on the `TestClock`, so deadlines read as delays. */
describe("currentDeadline", () => {
  it.effect("is null outside every scope, and in a plain task", () =>
    Effect.gen(function*() {
      assert.isNull(yield* aio.currentDeadline)
      assert.isNull(yield* Fiber.join(yield* aio.createTask(aio.currentDeadline)))
    }))

  it.effect("is the deadline of timeout, timeoutAt and waitFor, on the Clock", () =>
    Effect.gen(function*() {
      yield* advance(1000)
      assert.strictEqual(yield* aio.timeout(500, aio.currentDeadline), 1500)
      assert.strictEqual(yield* aio.timeoutAt(1200, aio.currentDeadline), 1200)
      assert.strictEqual(yield* aio.waitFor(aio.currentDeadline, 300), 1300)
      assert.isNull(yield* aio.timeout(null, aio.currentDeadline))
      assert.isNull(yield* aio.waitFor(aio.currentDeadline, null))
    }))

  it.effect("nested scopes: the nearest deadline wins, whichever scope is inner", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* aio.timeout(500, aio.timeout(200, aio.currentDeadline)), 200)
      assert.strictEqual(yield* aio.timeout(200, aio.timeout(500, aio.currentDeadline)), 200)
      assert.strictEqual(yield* aio.timeout(200, aio.timeout(null, aio.currentDeadline)), 200)
      assert.strictEqual(yield* aio.waitFor(aio.timeout(null, aio.waitFor(aio.currentDeadline, 300)), 400), 300)
    }))

  it.effect("reaches through gather, task groups, asCompleted and forked fibers inside the scope", () =>
    Effect.gen(function*() {
      const seen = yield* aio.timeout(
        400,
        Effect.gen(function*() {
          const [inGather] = yield* aio.gather([aio.currentDeadline])
          const inGroup = yield* aio.taskGroup((tg) => Effect.flatMap(tg.createTask(aio.currentDeadline), Fiber.join))
          const forked = yield* Fiber.join(yield* Effect.forkChild(aio.currentDeadline))
          return [inGather, inGroup, forked]
        })
      )
      assert.deepStrictEqual(seen, [400, 400, 400])
    }))

  it.effect("a task created inside a scope sees it while the scope is open, and nothing once it has finished", () =>
    Effect.gen(function*() {
      const go = yield* Deferred.make<void>()
      const task = yield* aio.timeout(
        100,
        Effect.gen(function*() {
          const task = yield* aio.createTask(
            Effect.gen(function*() {
              const during = yield* aio.currentDeadline
              yield* Deferred.await(go)
              return [during, yield* aio.currentDeadline]
            })
          )
          yield* settle
          return task
        })
      )
      yield* Deferred.succeed(go, undefined)
      assert.deepStrictEqual(yield* Fiber.join(task), [100, null])
    }))

  it.effect("reschedule is seen by every descendant at once", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<number | null>>([])
      const record = Effect.flatMap(aio.currentDeadline, (d) => Ref.update(seen, (all) => [...all, d]))
      const fiber = yield* Effect.forkChild(aio.timeout(100, (scope) =>
        Effect.gen(function*() {
          const task = yield* aio.createTask(Effect.andThen(Effect.sleep(50), record))
          const member = Effect.andThen(Effect.sleep(60), record)
          yield* scope.reschedule(800)
          yield* aio.gather([member, Fiber.join(task)])
          yield* scope.reschedule(null)
          yield* record
        })))
      yield* advance(100)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(yield* Ref.get(seen), [800, 800, null])
    }))

  it.effect("shield hides the scopes outside it (they cannot cancel its work), not the ones inside", () =>
    Effect.gen(function*() {
      const seen = yield* aio.timeout(
        300,
        aio.shield(Effect.all([aio.currentDeadline, aio.timeout(200, aio.currentDeadline)]))
      )
      assert.deepStrictEqual(seen, [null, 200])
    }))

  it.effect("in the finalizer of a body stopped by its deadline, the deadline is the one that passed", () =>
    Effect.gen(function*() {
      const seen = yield* Deferred.make<number | null>()
      const fiber = yield* Effect.forkChild(
        aio.timeout(
          100,
          Effect.never.pipe(
            Effect.onInterrupt(() => Effect.flatMap(aio.currentDeadline, (d) => Deferred.succeed(seen, d)))
          )
        )
      )
      yield* advance(100)
      assert.strictEqual(yield* Deferred.await(seen), 100)
      assert.isTrue(Exit.isFailure(yield* Fiber.await(fiber)))
    }))
})

describe("deadlineSignal", () => {
  it.effect("aborts when the deadline passes on the TestClock, with AbortSignal.timeout's reason", () =>
    Effect.gen(function*() {
      const signal = yield* Deferred.make<AbortSignal>()
      const fiber = yield* Effect.forkChild(
        aio.timeout(
          100,
          Effect.andThen(Effect.flatMap(aio.deadlineSignal, (s) => Deferred.succeed(signal, s)), Effect.never)
        )
      )
      const s = yield* Deferred.await(signal)
      yield* advance(99)
      assert.isFalse(s.aborted)
      yield* advance(1)
      assert.isTrue(s.aborted)
      assert.instanceOf(s.reason, DOMException)
      assert.strictEqual((s.reason as DOMException).name, "TimeoutError")
      yield* Fiber.await(fiber)
    }))

  it.effect("follows reschedule: it aborts at the new deadline", () =>
    Effect.gen(function*() {
      const signals: Array<AbortSignal> = []
      const fiber = yield* Effect.forkChild(aio.timeout(100, (scope) =>
        Effect.gen(function*() {
          signals.push(yield* aio.deadlineSignal)
          yield* scope.reschedule(300)
          yield* Effect.never
        })))
      yield* advance(100)
      assert.isFalse(signals[0].aborted)
      yield* advance(200)
      assert.isTrue(signals[0].aborted)
      yield* Fiber.await(fiber)
    }))

  it.effect("nested scopes: aborts at the earliest deadline, even when the inner scope is the later one", () =>
    Effect.gen(function*() {
      const signals: Array<AbortSignal> = []
      const fiber = yield* Effect.forkChild(
        aio.timeout(
          100,
          aio.timeout(500, Effect.andThen(Effect.map(aio.deadlineSignal, (s) => signals.push(s)), Effect.never))
        )
      )
      yield* advance(99)
      assert.isFalse(signals[0].aborted)
      yield* advance(1)
      assert.isTrue(signals[0].aborted)
      yield* Fiber.await(fiber)
    }))

  it.effect("aborts for a task created inside the scope, which the deadline does not cancel", () =>
    Effect.gen(function*() {
      const signal = yield* Deferred.make<AbortSignal>()
      const task = yield* aio.timeout(
        100,
        Effect.gen(function*() {
          const task = yield* aio.createTask(
            Effect.andThen(Effect.flatMap(aio.deadlineSignal, (s) => Deferred.succeed(signal, s)), Effect.sleep(200))
          )
          yield* Effect.sleep(150)
          return task
        })
      ).pipe(Effect.catchTag("TimeoutError", () => Effect.succeed(undefined)), Effect.forkChild)
      const s = yield* Deferred.await(signal)
      yield* advance(100)
      assert.isTrue(s.aborted)
      yield* advance(100)
      assert.isUndefined(yield* Fiber.join(task))
    }))

  it.effect("never aborts without a scope, inside shield, or once its scope has finished in time", () =>
    Effect.gen(function*() {
      const outside = yield* aio.deadlineSignal
      const shielded = yield* aio.timeout(100, aio.shield(aio.deadlineSignal))
      const finished = yield* aio.timeout(100, aio.deadlineSignal)
      yield* advance(1000)
      assert.deepStrictEqual([outside.aborted, shielded.aborted, finished.aborted], [false, false, false])
    }))

  it.effect("is already aborted when asked for after the deadline passed", () =>
    Effect.gen(function*() {
      const seen = yield* Deferred.make<boolean>()
      const fiber = yield* Effect.forkChild(
        aio.timeout(
          100,
          Effect.never.pipe(
            Effect.onInterrupt(() => Effect.flatMap(aio.deadlineSignal, (s) => Deferred.succeed(seen, s.aborted)))
          )
        )
      )
      yield* advance(100)
      assert.isTrue(yield* Deferred.await(seen))
      yield* Fiber.await(fiber)
    }))
})
