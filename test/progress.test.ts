import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Stream, SubscriptionRef } from "effect"
import * as aio from "effect-asyncio"
import { advance, dieAfter, failAfter, interruptAfter, settle, succeedAfter } from "./utils/fixtures.ts"

type Counts = readonly [total: number, done: number, failed: number, cancelled: number, running: number, queued: number]

const counts = (progress: SubscriptionRef.SubscriptionRef<aio.Progress>) =>
  Effect.map(
    SubscriptionRef.get(progress),
    (p): Counts => [p.total, p.done, p.failed, p.cancelled, p.running, p.queued]
  )

/** Every update published, from the current counts on, collected until `take` of them have come. */
const updates = (progress: SubscriptionRef.SubscriptionRef<aio.Progress>, take: number) =>
  Effect.forkChild(
    SubscriptionRef.changes(progress).pipe(Stream.take(take), Stream.runCollect),
    { startImmediately: true }
  )

const holds = (p: aio.Progress) => p.total === p.done + p.running + p.queued && p.failed + p.cancelled <= p.done

describe("progress", () => {
  it.effect("makeProgress starts at zero, and a call without the option counts nothing", () =>
    Effect.gen(function*() {
      const progress = yield* aio.makeProgress()
      assert.deepStrictEqual(yield* SubscriptionRef.get(progress), {
        total: 0,
        done: 0,
        failed: 0,
        cancelled: 0,
        running: 0,
        queued: 0
      })
      yield* aio.gather([Effect.succeed(1)])
      assert.deepStrictEqual(yield* counts(progress), [0, 0, 0, 0, 0, 0])
    }))

  describe("gather", () => {
    it.effect("counts against the work finished at each step, under a concurrency of 2", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const fiber = yield* Effect.forkChild(
          aio.gather([100, 200, 300, 400].map((ms) => succeedAfter(ms, ms)), { concurrency: 2, progress })
        )
        yield* settle
        assert.deepStrictEqual(yield* counts(progress), [4, 0, 0, 0, 2, 2])
        yield* advance(100) // 100 ends, 300 starts
        assert.deepStrictEqual(yield* counts(progress), [4, 1, 0, 0, 2, 1])
        yield* advance(100) // 200 ends, 400 starts
        assert.deepStrictEqual(yield* counts(progress), [4, 2, 0, 0, 2, 0])
        yield* advance(200) // 300 ends at 400
        assert.deepStrictEqual(yield* counts(progress), [4, 3, 0, 0, 1, 0])
        yield* advance(200) // 400 ends at 600
        assert.deepStrictEqual(yield* counts(progress), [4, 4, 0, 0, 0, 0])
        assert.deepStrictEqual(yield* Fiber.join(fiber), [100, 200, 300, 400])
      }))

    it.effect("the first failure: the running one cancelled, the queued ones never started and counted cancelled", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const fiber = yield* Effect.forkChild(
          aio.gather([failAfter(100, "boom"), succeedAfter(500, 1), succeedAfter(10, 2), succeedAfter(10, 3)], {
            concurrency: 2,
            progress
          })
        )
        yield* advance(100)
        assert.deepStrictEqual(yield* counts(progress), [4, 4, 1, 3, 0, 0])
        assert.deepStrictEqual(yield* Fiber.await(fiber), Exit.fail("boom"))
      }))

    it.effect("returnExceptions: a failure and a defect count as failed, an interruption as cancelled", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        yield* Effect.forkChild(
          aio.gather([failAfter(10, "e"), dieAfter(20, "d"), interruptAfter(30), succeedAfter(40, 1)], {
            returnExceptions: true,
            progress
          })
        )
        yield* advance(30)
        assert.deepStrictEqual(yield* counts(progress), [4, 3, 2, 1, 1, 0])
        yield* advance(10)
        assert.deepStrictEqual(yield* counts(progress), [4, 4, 2, 1, 0, 0])
      }))

    it.effect("tasks among the effects count as running from the start", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const task = yield* aio.createTask(succeedAfter(100, "task"))
        const fiber = yield* Effect.forkChild(aio.gather([task, succeedAfter(50, "effect")], { progress }))
        yield* settle
        assert.deepStrictEqual(yield* counts(progress), [2, 0, 0, 0, 2, 0])
        yield* advance(100)
        assert.deepStrictEqual(yield* counts(progress), [2, 2, 0, 0, 0, 0])
        assert.deepStrictEqual(yield* Fiber.join(fiber), ["task", "effect"])
      }))

    it.effect("interrupted from outside: everything started or queued ends cancelled", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const fiber = yield* Effect.forkChild(
          aio.gather([succeedAfter(100, 1), succeedAfter(100, 2), succeedAfter(100, 3)], { concurrency: 1, progress })
        )
        yield* advance(50)
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual(yield* counts(progress), [3, 3, 0, 3, 0, 0])
      }))

    it.effect("one ref given to two calls adds them up; every update keeps the invariant", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        // The current counts, then for each call: its queued effects (one update), each start, each end.
        const seen = yield* updates(progress, 1 + (1 + 3 + 3) + (1 + 2 + 2))
        yield* Effect.forkChild(aio.gather([10, 20, 30].map((ms) => Effect.sleep(ms)), { concurrency: 1, progress }))
        yield* Effect.forkChild(aio.gather([15, 25].map((ms) => Effect.sleep(ms)), { progress }))
        yield* advance(60)
        const all = yield* Fiber.join(seen)
        assert.isTrue(all.every(holds), JSON.stringify(all))
        assert.deepStrictEqual(yield* counts(progress), [5, 5, 0, 0, 0, 0])
      }))
  })

  describe("taskGroup", () => {
    it.effect("counts tasks as they are created and finish, not the body", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const fiber = yield* Effect.forkChild(aio.taskGroup(
          (tg) =>
            Effect.gen(function*() {
              yield* tg.createTask(Effect.sleep(100))
              yield* Effect.sleep(50)
              yield* tg.createTask(Effect.sleep(100))
              yield* tg.createTask(Effect.sleep(10))
              return "body"
            }),
          { progress }
        ))
        yield* settle
        assert.deepStrictEqual(yield* counts(progress), [1, 0, 0, 0, 1, 0])
        yield* advance(50)
        assert.deepStrictEqual(yield* counts(progress), [3, 0, 0, 0, 3, 0])
        yield* advance(10)
        assert.deepStrictEqual(yield* counts(progress), [3, 1, 0, 0, 2, 0])
        yield* advance(40)
        assert.deepStrictEqual(yield* counts(progress), [3, 2, 0, 0, 1, 0])
        yield* advance(50)
        assert.deepStrictEqual(yield* counts(progress), [3, 3, 0, 0, 0, 0])
        assert.strictEqual(yield* Fiber.join(fiber), "body")
      }))

    it.effect("a failing task: failed 1, the others cancelled; tg.cancel: all cancelled", () =>
      Effect.gen(function*() {
        const failing = yield* aio.makeProgress()
        const first = yield* Effect.forkChild(aio.taskGroup(
          (tg) =>
            Effect.gen(function*() {
              yield* tg.createTask(Effect.sleep(1000))
              yield* tg.createTask(failAfter(100, "boom"))
            }),
          { progress: failing }
        ))
        const cancelled = yield* aio.makeProgress()
        const second = yield* Effect.forkChild(aio.taskGroup(
          (tg) =>
            Effect.gen(function*() {
              yield* tg.createTask(Effect.sleep(1000))
              yield* tg.createTask(Effect.sleep(1000))
              yield* Effect.sleep(100)
              yield* tg.cancel
            }),
          { progress: cancelled }
        ))
        yield* advance(100)
        assert.deepStrictEqual(yield* counts(failing), [2, 2, 1, 1, 0, 0])
        assert.deepStrictEqual(yield* counts(cancelled), [2, 2, 0, 2, 0, 0])
        assert.isTrue(Exit.isFailure(yield* Fiber.await(first)))
        assert.deepStrictEqual(yield* Fiber.await(second), Exit.succeed(undefined))
      }))
  })

  describe("asCompleted", () => {
    it.effect("counts against the results emitted, under a concurrency of 2", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const emitted = yield* Deferred.make<void>()
        const seen: Array<readonly [number, Counts]> = []
        const fiber = yield* Effect.forkChild(
          aio.asCompleted([300, 100, 200].map((ms) => succeedAfter(ms, ms)), { concurrency: 2, progress }).pipe(
            Stream.runForEach((value) => Effect.map(counts(progress), (c) => void seen.push([value, c]))),
            Effect.andThen(Deferred.succeed(emitted, undefined))
          )
        )
        yield* advance(400)
        yield* Deferred.await(emitted)
        yield* Fiber.join(fiber)
        assert.deepStrictEqual(seen, [
          [100, [3, 1, 0, 0, 2, 0]],
          [300, [3, 2, 0, 0, 1, 0]],
          [200, [3, 3, 0, 0, 0, 0]]
        ])
      }))

    it.effect("a consumer that stops early: the rest are cancelled, queued ones included", () =>
      Effect.gen(function*() {
        const progress = yield* aio.makeProgress()
        const first = yield* aio.asCompleted([10, 20, 30, 40].map((ms) => succeedAfter(ms, ms)), {
          concurrency: 2,
          progress
        }).pipe(Stream.take(1), Stream.runCollect, Effect.forkChild)
        yield* advance(10)
        assert.deepStrictEqual(yield* Fiber.join(first), [10])
        assert.deepStrictEqual(yield* counts(progress), [4, 4, 0, 3, 0, 0])
      }))
  })
})
