import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Ref, Stream } from "effect"
import * as aio from "effect-asyncio"
import { advance, failAfter, settle } from "./utils/fixtures.ts"

/** Work that never ends, and records the cancellation reason its interruption finalizer sees. */
const recording = (seen: Ref.Ref<Array<aio.CancelReason>>) =>
  Effect.never.pipe(
    Effect.onInterrupt(() => Effect.flatMap(aio.cancelReason, (reason) => Ref.update(seen, (l) => [...l, reason])))
  )

const tags = (reasons: ReadonlyArray<aio.CancelReason>) => reasons.map((reason) => reason._tag)

describe("cancelReason", () => {
  it.effect("is NotCancelled outside cancellation, in a task and in a primitive's own fiber", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* aio.cancelReason, { _tag: "NotCancelled" })
      const task = yield* aio.createTask(aio.cancelReason)
      assert.deepStrictEqual(yield* Fiber.join(task), { _tag: "NotCancelled" })
      const [inGather] = yield* aio.gather([aio.cancelReason])
      assert.deepStrictEqual(inGather, { _tag: "NotCancelled" })
      assert.deepStrictEqual(yield* aio.waitFor(aio.cancelReason, 100), { _tag: "NotCancelled" })
    }))

  it.effect("DeadlineExpired, with the deadline, for the body of waitFor, timeout and timeoutAt", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const fibers = [
        yield* Effect.forkChild(aio.waitFor(recording(seen), 100)),
        yield* Effect.forkChild(aio.timeout(100, recording(seen))),
        yield* Effect.forkChild(aio.timeoutAt(100, recording(seen)))
      ]
      yield* advance(100)
      yield* Fiber.awaitAll(fibers)
      assert.deepStrictEqual(yield* Ref.get(seen), [
        { _tag: "DeadlineExpired", deadline: 100 },
        { _tag: "DeadlineExpired", deadline: 100 },
        { _tag: "DeadlineExpired", deadline: 100 }
      ])
    }))

  it.effect("a gather inside an expiring timeout: its effects inherit DeadlineExpired", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const fiber = yield* Effect.forkChild(aio.timeout(50, aio.gather([recording(seen), recording(seen)])))
      yield* advance(50)
      yield* Fiber.await(fiber)
      assert.deepStrictEqual(yield* Ref.get(seen), [
        { _tag: "DeadlineExpired", deadline: 50 },
        { _tag: "DeadlineExpired", deadline: 50 }
      ])
    }))

  it.effect("SiblingFailed names the failing fiber and what it raised, in gather, a task group and asCompleted", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      yield* Effect.forkChild(aio.gather([recording(seen), failAfter(10, "gather boom")]))
      yield* Effect.forkChild(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(recording(seen))
          yield* tg.createTask(failAfter(20, "group boom"))
        })
      ))
      yield* Effect.forkChild(Stream.runDrain(aio.asCompleted([recording(seen), failAfter(30, "stream boom")])))
      yield* advance(30)
      const reasons = yield* Ref.get(seen)
      assert.deepStrictEqual(tags(reasons), ["SiblingFailed", "SiblingFailed", "SiblingFailed"])
      for (
        const [reason, error] of reasons.map((r, i) => [r, ["gather boom", "group boom", "stream boom"][i]] as const)
      ) {
        if (reason._tag !== "SiblingFailed") return assert.fail(reason._tag)
        assert.isTrue(Fiber.isFiber(reason.task))
        assert.include(String(reason.cause), error)
      }
    }))

  it.effect("the body's failure stops the group's tasks with SiblingFailed naming the body", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      yield* Effect.exit(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(recording(seen))
          yield* Effect.yieldNow
          return yield* Effect.fail("body failed")
        })
      ))
      assert.deepStrictEqual(tags(yield* Ref.get(seen)), ["SiblingFailed"])
    }))

  it.effect("GroupCancelled for the tasks and the body of a cancelled group", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      yield* aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(recording(seen))
          yield* tg.createTask(Effect.andThen(Effect.sleep(10), tg.cancel))
          yield* recording(seen)
        })
      ).pipe(Effect.forkChild, Effect.tap(() => advance(10)), Effect.flatMap(Fiber.join))
      assert.deepStrictEqual(yield* Ref.get(seen), [{ _tag: "GroupCancelled" }, { _tag: "GroupCancelled" }])
    }))

  it.effect("Cancelled carries cancel's message (asyncio's cancel(msg)), or undefined without one", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const a = yield* aio.createTask(recording(seen))
      const b = yield* aio.createTask(recording(seen))
      yield* settle
      assert.isTrue(yield* aio.cancel(a, { message: "no longer needed" }))
      assert.isTrue(yield* aio.cancel(b))
      assert.deepStrictEqual(yield* Ref.get(seen), [
        { _tag: "Cancelled", message: "no longer needed" },
        { _tag: "Cancelled", message: undefined }
      ])
    }))

  it.effect("a task the user cancels inherits nothing wrong: its own forks see the same reason", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const task = yield* aio.createTask(Effect.gen(function*() {
        yield* Effect.forkChild(recording(seen))
        yield* Effect.never
      }))
      yield* settle
      yield* aio.cancel(task, { message: "stop" })
      assert.deepStrictEqual(yield* Ref.get(seen), [{ _tag: "Cancelled", message: "stop" }])
    }))

  it.effect("ConsumerStopped for the effects an asCompleted consumer leaves behind", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const first = yield* Stream.runHead(aio.asCompleted([Effect.succeed(1), recording(seen)]))
      assert.deepStrictEqual(first._tag, "Some")
      assert.deepStrictEqual(yield* Ref.get(seen), [{ _tag: "ConsumerStopped" }])
    }))

  it.effect("DeadlineExpired for the effects an asCompleted timeout stops", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const fiber = yield* Effect.forkChild(Stream.runDrain(aio.asCompleted([recording(seen)], { timeout: 40 })))
      yield* advance(40)
      yield* Fiber.await(fiber)
      assert.deepStrictEqual(yield* Ref.get(seen), [{ _tag: "DeadlineExpired", deadline: 40 }])
    }))

  it.effect("Interrupted when something outside the library interrupts the work", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const fiber = yield* Effect.forkChild(recording(seen))
      yield* settle
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(yield* Ref.get(seen), [{ _tag: "Interrupted" }])
    }))

  it.effect("a waitFor on a task that expires: the task sees DeadlineExpired", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<Array<aio.CancelReason>>([])
      const task = yield* aio.createTask(recording(seen))
      const waiting = yield* Effect.forkChild(aio.waitFor(task, 25))
      yield* advance(25)
      yield* Fiber.await(waiting)
      assert.deepStrictEqual(yield* Ref.get(seen), [{ _tag: "DeadlineExpired", deadline: 25 }])
    }))

  it.effect("the reason is information only: a finished finalizer sees nothing once the work is done", () =>
    Effect.gen(function*() {
      const done = yield* Deferred.make<aio.CancelReason>()
      const task = yield* aio.createTask(
        Effect.ensuring(Effect.void, Effect.flatMap(aio.cancelReason, (r) => Deferred.succeed(done, r)))
      )
      yield* Fiber.await(task)
      assert.deepStrictEqual(yield* Deferred.await(done), { _tag: "NotCancelled" })
    }))
})
