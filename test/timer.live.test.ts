/**
 * The timers on the live clock, through the public API only. Every other test
 * runs on the `TestClock`; production runs on Effect's live clock, where a
 * deadline takes one of two paths (see the "Details" of `waitFor`, `timeout`
 * and `wait`):
 *
 * - on Effect's own live clock, a bare Node `setTimeout`, split into steps for
 *   delays beyond Node's 2^31 - 1 ms range (a longer delay given to Node as it
 *   is overflows and fires after 1 ms, with a `TimeoutOverflowWarning`);
 * - on any other clock, a fiber that sleeps on that clock.
 *
 * Short, and never timed: each test waits a few milliseconds at most and
 * asserts outcomes (which error, how many Node timers are pending, which clock
 * was asked to sleep), not durations.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Stream } from "effect"
import * as aio from "effect-asyncio"

/** Node timers pending in this process (vitest's own included: compare counts). */
const pendingTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length

/** Beyond Node's timer range: about 24.9 days. */
const BEYOND_NODE_RANGE = 2 ** 31 + 1000

/** Records the `TimeoutOverflowWarning`s Node emits while `effect` runs. */
const overflowWarnings = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const warnings: Array<string> = []
    const onWarning = (warning: Error) => {
      if (warning.name === "TimeoutOverflowWarning") warnings.push(warning.message)
    }
    process.on("warning", onWarning)
    const value = yield* Effect.ensuring(
      effect,
      // Node emits warnings on the next tick: let it, then stop listening.
      Effect.andThen(Effect.sleep(5), Effect.sync(() => process.off("warning", onWarning)))
    )
    return { value, warnings }
  })

/**
 * A clock that is not Effect's default instance: the live clock's time and
 * sleeps, counted. Deadlines on it take the sleeper-fiber path.
 */
const countingClock = Effect.gen(function*() {
  const live = yield* Clock.Clock
  const counts = { sleeps: 0, interrupted: 0 }
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => live.currentTimeMillisUnsafe(),
    currentTimeMillis: live.currentTimeMillis,
    currentTimeNanosUnsafe: () => live.currentTimeNanosUnsafe(),
    currentTimeNanos: live.currentTimeNanos,
    monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: live.monotonicTimeNanos,
    sleep: (duration) =>
      Effect.suspend(() => {
        counts.sleeps++
        return live.sleep(duration).pipe(Effect.onInterrupt(() => Effect.sync(() => void counts.interrupted++)))
      })
  }
  return { clock, counts }
})

describe("timers on Effect's live clock (a bare setTimeout)", () => {
  it.live("waitFor's deadline fires and the effect is interrupted", () =>
    Effect.gen(function*() {
      let interrupted = false
      const error = yield* Effect.flip(
        aio.waitFor(Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => void (interrupted = true)))), 5)
      )

      assert.strictEqual(error._tag, "TimeoutError")
      assert.isTrue(interrupted)
    }))

  it.live("a deadline is one Node timer while the body runs, and none once it has finished", () =>
    Effect.gen(function*() {
      const before = pendingTimers()
      const during = yield* aio.waitFor(Effect.sync(pendingTimers), "1 hour")
      const duringScope = yield* aio.timeout("1 hour", Effect.sync(pendingTimers))

      assert.strictEqual(during, before + 1)
      assert.strictEqual(duringScope, before + 1)
      assert.strictEqual(pendingTimers(), before)
    }))

  it.live("timeout's deadline fires on the live clock, and reschedule(null) disarms it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(aio.timeout(5, Effect.never))
      const before = pendingTimers()
      const kept = yield* aio.timeout(5, (t) =>
        Effect.gen(function*() {
          yield* t.reschedule(null)
          const timers = pendingTimers()
          yield* Effect.sleep(20)
          return { timers, expired: yield* t.expired }
        }))

      assert.strictEqual(error._tag, "TimeoutError")
      assert.deepStrictEqual(kept, { timers: before, expired: false })
    }))

  it.live("wait's timeout fires on the live clock and leaves the tasks running", () =>
    Effect.gen(function*() {
      const task = yield* aio.createTask(Effect.never)
      const { done, pending } = yield* aio.wait([task], { timeout: 5 })

      assert.deepStrictEqual([done.length, pending], [0, [task]])
      assert.isUndefined(task.pollUnsafe())
      yield* aio.cancel(task)
    }))
})

describe("delays beyond Node's timer range (2^31 - 1 ms), split into steps", () => {
  // Node would overflow such a delay to 1 ms: the deadline would fire before a
  // body that takes 20 ms, and Node would warn. Neither happens.
  it.live("waitFor with a 25-day limit lets a 20 ms body finish", () =>
    Effect.gen(function*() {
      const { value, warnings } = yield* overflowWarnings(
        aio.waitFor(Effect.as(Effect.sleep(20), "finished"), BEYOND_NODE_RANGE)
      )

      assert.deepStrictEqual({ value, warnings }, { value: "finished", warnings: [] })
    }))

  it.live("timeout with a 25-day deadline lets a 20 ms body finish and reports the deadline it was given", () =>
    Effect.gen(function*() {
      const start = yield* Clock.currentTimeMillis
      const { value, warnings } = yield* overflowWarnings(
        aio.timeout(BEYOND_NODE_RANGE, (t) =>
          Effect.gen(function*() {
            const when = yield* t.when
            yield* Effect.sleep(20)
            return { late: when! - start >= BEYOND_NODE_RANGE, expired: yield* t.expired }
          }))
      )

      assert.deepStrictEqual({ value, warnings }, { value: { late: true, expired: false }, warnings: [] })
    }))

  it.live("wait and asCompleted with 25-day timeouts let a 20 ms task finish", () =>
    Effect.gen(function*() {
      const { value, warnings } = yield* overflowWarnings(Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.as(Effect.sleep(20), "done"))
        const waited = yield* aio.wait([task], { timeout: BEYOND_NODE_RANGE })
        const results = yield* Stream.runCollect(
          aio.asCompleted([Effect.as(Effect.sleep(20), "streamed")], { timeout: BEYOND_NODE_RANGE })
        )
        return { done: waited.done.length, results }
      }))

      assert.deepStrictEqual({ value, warnings }, { value: { done: 1, results: ["streamed"] }, warnings: [] })
    }))
})

describe("timers on any other clock (a fiber sleeping on that clock)", () => {
  it.live("waitFor's deadline sleeps on the clock in the context and fires", () =>
    Effect.gen(function*() {
      const { clock, counts } = yield* countingClock
      const error = yield* Effect.flip(aio.waitFor(Effect.never, 5)).pipe(Effect.provideService(Clock.Clock, clock))

      assert.strictEqual(error._tag, "TimeoutError")
      assert.deepStrictEqual(counts, { sleeps: 1, interrupted: 0 })
    }))

  it.live("a deadline that does not fire interrupts its sleeper fiber, leaving no timer", () =>
    Effect.gen(function*() {
      const { clock, counts } = yield* countingClock
      const before = pendingTimers()
      const value = yield* aio.waitFor(Effect.succeed("in time"), "1 hour").pipe(
        Effect.provideService(Clock.Clock, clock)
      )
      // The sleeper is interrupted without waiting for it: let it stop.
      for (let i = 0; i < 100 && counts.interrupted === 0; i++) yield* Effect.yieldNow

      assert.strictEqual(value, "in time")
      assert.deepStrictEqual(counts, { sleeps: 1, interrupted: 1 })
      assert.strictEqual(pendingTimers(), before)
    }))

  it.live("a task's deadline in a timeout scope on another clock fires too", () =>
    Effect.gen(function*() {
      const { clock, counts } = yield* countingClock
      const fiber = yield* Effect.forkChild(
        aio.timeout(5, Effect.never).pipe(Effect.flip, Effect.provideService(Clock.Clock, clock))
      )
      const error = yield* Fiber.join(fiber)

      assert.strictEqual(error._tag, "TimeoutError")
      assert.strictEqual(counts.sleeps, 1)
    }))
})
