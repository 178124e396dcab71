/**
 * 100,000 concurrent tasks through gather, wait, asCompleted and one task
 * group. The work only yields (no sleeps: 100,000 sleeps would time the
 * TestClock's own bookkeeping, not ours), so every task is alive at once
 * and the primitives see them finish in a scrambled order.
 */
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Stream } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { countingFibers } from "./properties/harness.ts"
import { errorsOf, groupErrorDepth, isTimeout, nestedCalls } from "./utils/fixtures.ts"

const N = 100_000

/** Task `i` yields 0 to 3 times, then returns `i`: they finish out of order. */
const job = (i: number): Effect.Effect<number> =>
  Effect.gen(function*() {
    for (let k = 0; k < i % 4; k++) yield* Effect.yieldNow
    return i
  })

const jobs = () => Array.from({ length: N }, (_, i) => job(i))

/** Runs `effect` with its fibers counted; checks that none is left once it ends. */
const counted = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.tap(countingFibers(effect), ({ live }) => Effect.sync(() => assert.strictEqual(live, 0, "no fiber left")))

/** Each of 0..N-1 exactly once. */
const assertEachOnce = (values: ReadonlyArray<number>) => {
  assert.strictEqual(values.length, N)
  const seen = new Uint8Array(N)
  for (const v of values) seen[v]++
  assert.isTrue(seen.every((count) => count === 1), "each result exactly once")
}

describe("stress: 100,000 concurrent tasks", () => {
  it.effect("gather returns all 100,000 results in input order", () =>
    Effect.gen(function*() {
      const { result, started } = yield* counted(aio.gather(jobs()))
      assert.strictEqual(result.length, N)
      for (let i = 0; i < N; i++) if (result[i] !== i) assert.fail(`slot ${i} holds ${result[i]}`)
      assert.isAtLeast(started, N, "one fiber per effect")
    }), 60_000)

  it.effect("gather with returnExceptions returns 100,000 exits", () =>
    Effect.gen(function*() {
      const failing = (i: number) => (i % 2 === 0 ? job(i) : Effect.andThen(job(i), Effect.fail(i)))
      const { result } = yield* counted(
        aio.gather(Array.from({ length: N }, (_, i) => failing(i)), { returnExceptions: true })
      )
      assert.strictEqual(result.length, N)
      for (let i = 0; i < N; i++) {
        if ((result[i]._tag === "Success") !== (i % 2 === 0)) assert.fail(`slot ${i} is ${result[i]._tag}`)
      }
    }), 60_000)

  it.effect("wait sorts 100,000 tasks into done and pending", () =>
    Effect.gen(function*() {
      const tasks: Array<Fiber.Fiber<number>> = []
      for (let i = 0; i < N; i++) tasks.push(yield* aio.createTask(i % 10 === 9 ? Effect.never : job(i)))
      const first = yield* aio.wait(tasks, { returnWhen: aio.FIRST_COMPLETED })
      assert.isAbove(first.done.length, 0)
      assert.strictEqual(first.done.length + first.pending.length, N)
      // The rest never finish: wait until the timeout.
      const waiting = yield* Effect.forkChild(counted(aio.wait(tasks, { timeout: "1 second" })))
      for (let i = 0; i < 10; i++) yield* Effect.yieldNow
      yield* TestClock.adjust("1 second")
      const { result } = yield* Fiber.join(waiting)
      assert.strictEqual(result.done.length, N - N / 10)
      assert.strictEqual(result.pending.length, N / 10)
      assert.isTrue(result.pending.every((task) => task.pollUnsafe() === undefined), "pending ones still run")
      assert.strictEqual(
        result.done.concat(result.pending).length,
        new Set([...result.done, ...result.pending]).size,
        "done and pending are disjoint"
      )
      yield* Fiber.interruptAll(result.pending)
    }), 60_000)

  it.effect("asCompleted emits each of 100,000 results exactly once", () =>
    Effect.gen(function*() {
      const { result } = yield* counted(Stream.runCollect(aio.asCompleted(jobs())))
      assertEachOnce(result)
    }), 60_000)

  it.effect(
    "asCompleted with a concurrency of 1,000 emits each of 100,000 results exactly once",
    () =>
      Effect.gen(function*() {
        const { result } = yield* counted(Stream.runCollect(aio.asCompleted(jobs(), { concurrency: 1000 })))
        assertEachOnce(result)
      }),
    60_000
  )

  it.effect("one task group runs 100,000 tasks and ends after all of them", () =>
    Effect.gen(function*() {
      const results: Array<number> = []
      const { result } = yield* counted(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          for (let i = 0; i < N; i++) {
            yield* tg.createTask(Effect.tap(job(i), (v) => Effect.sync(() => results.push(v))))
          }
          return "body done"
        })
      ))
      assert.strictEqual(result, "body done")
      assertEachOnce(results)
    }), 60_000)
})

// Issue 9, item 7: deep nesting never crashes the process or hangs. CPython
// 3.13 runs 100,000 nested task groups, the innermost failing; so do we, and
// the same for timeout scopes, waitFors and gathers. Each chain is built
// lazily, each level starting the next; the innermost signals when it runs,
// so that the chain is complete before it is unwound.
describe("stress: 100,000 nested primitives", () => {
  const DEPTH = 100_000

  it.live(
    "100,000 nested task groups, each awaiting the next, the innermost failing: a TaskGroupError 100,000 deep",
    () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
          DEPTH,
          (inner) => aio.taskGroup((tg) => Effect.flatMap(tg.createTask(inner), Fiber.join)),
          Effect.andThen(Effect.yieldNow, Effect.fail("innermost failed"))
        ))
        assert.deepStrictEqual(groupErrorDepth(errorsOf(exit)[0]), { depth: DEPTH, leaf: "innermost failed" })
      }),
    120_000
  )

  it.live(
    "100,000 nested timeout scopes: the outermost deadline raises TimeoutError through all of them",
    () =>
      Effect.gen(function*() {
        const started = yield* Deferred.make<void>()
        const outer = yield* Deferred.make<aio.Timeout>()
        const fiber = yield* Effect.forkChild(aio.timeout(null, (t) =>
          Effect.andThen(
            Deferred.succeed(outer, t),
            nestedCalls<unknown, unknown>(
              DEPTH - 1,
              (inner) => aio.timeout("1 hour", inner),
              Effect.andThen(Deferred.succeed(started, undefined), Effect.never)
            )
          )))
        yield* Deferred.await(started)
        yield* (yield* Deferred.await(outer)).reschedule(0)
        const exit = yield* Fiber.await(fiber)
        assert.isTrue(isTimeout(exit))
      }),
    120_000
  )

  it.live(
    "100,000 nested waitFors: the innermost's failure comes out through all of them",
    () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
          DEPTH,
          (inner) => aio.waitFor(inner, "1 hour"),
          Effect.andThen(Effect.yieldNow, Effect.fail("innermost failed"))
        ))
        assert.deepStrictEqual(exit, Exit.fail("innermost failed"))
      }),
    120_000
  )

  it.live(
    "100,000 nested gathers: the innermost's failure comes out through all of them",
    () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
          DEPTH,
          (inner) => Effect.map(aio.gather([inner]), ([a]) => a),
          Effect.andThen(Effect.yieldNow, Effect.fail("innermost failed"))
        ))
        assert.deepStrictEqual(exit, Exit.fail("innermost failed"))
      }),
    120_000
  )
})
