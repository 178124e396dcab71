/**
 * `toThread` and `makeExecutor`: real worker threads (Piscina), real jobs
 * from `test/fixtures/jobs.ts`. Nothing here is timed: the tests watch the
 * jobs' progress through shared memory and assert orders.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import type * as Jobs from "./fixtures/jobs.ts"

const jobsUrl = new URL("./fixtures/jobs.ts", import.meta.url)
const jobs = aio.workerModule<typeof Jobs>(jobsUrl)

/** `[rounds, stop]` shared with a spinning job. */
const sharedState = () => new Int32Array(new SharedArrayBuffer(8))

/** Waits (in real time, without a deadline) until `check` holds. */
const until = (check: () => boolean): Effect.Effect<void> =>
  Effect.suspend(() => check() ? Effect.void : Effect.andThen(Effect.sleep(2), until(check)))

const defectMessage = (exit: Exit.Exit<unknown, unknown>): string => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  const reason = (exit as Exit.Failure<unknown, unknown>).cause.reasons[0]
  assert.isTrue(reason !== undefined && Cause.isDieReason(reason), "expected a defect")
  const defect = (reason as Cause.Die).defect
  assert.isTrue(Cause.isIllegalArgumentError(defect))
  return (defect as Cause.IllegalArgumentError).message
}

describe("toThread", () => {
  describe("success", () => {
    it.live("runs an exported function on a worker thread and returns its result, typed", () =>
      Effect.gen(function*() {
        const sum: number = yield* aio.toThread(jobs, "add", 2, 3)
        assert.strictEqual(sum, 5)
        assert.strictEqual(yield* aio.toThread(jobs, "countPrimes", 1000), 168)
        assert.strictEqual(yield* aio.toThread(jobs, "later", "awaited"), "awaited")
        assert.strictEqual(yield* aio.toThread(jobsUrl, "add", 1, 1), 2)
        assert.strictEqual(yield* aio.toThread(jobsUrl.href, "add", 1, 2), 3)
        assert.strictEqual(yield* aio.toThread(jobsUrl.pathname, "add", 2, 2), 4)
      }))

    it.live("a CPU-bound job on a thread does not hold up a 10 ms timer on the main thread", () =>
      Effect.gen(function*() {
        const state = sharedState()
        const log: Array<string> = []
        const job = yield* Effect.forkChild(
          Effect.tap(aio.toThread(jobs, "spinUntilStopped", state), () => Effect.sync(() => log.push("job done")))
        )
        yield* until(() => Atomics.load(state, 0) > 0)
        const seen: Array<number> = []
        for (let tick = 1; tick <= 3; tick++) {
          yield* Effect.sleep(10)
          seen.push(Atomics.load(state, 0))
          log.push(`tick ${tick}`)
        }
        Atomics.store(state, 1, 1)
        const rounds = yield* Fiber.join(job)
        assert.deepStrictEqual(log, ["tick 1", "tick 2", "tick 3", "job done"])
        assert.isTrue(seen[0] < seen[1] && seen[1] < seen[2], `the job kept running between ticks: ${seen}`)
        assert.isAtLeast(rounds, seen[2])
      }))
  })

  describe("failure", () => {
    it.live("a job that throws fails with WorkerError, keeping the error's name, message, code", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(aio.toThread(jobs, "fail", "bad input"))
        assert.strictEqual(error._tag, "WorkerError")
        assert.strictEqual(error.job, "fail")
        assert.strictEqual(error.module, jobsUrl.href)
        const thrown = error.error as Error & { code?: string }
        assert.isTrue(thrown instanceof Error)
        assert.deepStrictEqual([thrown.name, thrown.message, thrown.code], ["JobFailed", "bad input", "E_JOB"])
        assert.include(error.message, "it threw JobFailed: bad input")
      }))

    it.live("a job that rejects with a plain value fails with WorkerError holding a copy of it", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(aio.toThread(jobs, "rejectWith", { reason: "nope", retry: false }))
        assert.deepStrictEqual(error.error, { reason: "nope", retry: false })
      }))

    it.live("a job whose thread dies fails with WorkerError; the pool goes on", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(aio.toThread(jobs, "exitThread"))
        assert.include(error.message, "its thread died")
        assert.strictEqual(yield* aio.toThread(jobs, "add", 1, 2), 3)
      }))

    // Misuse the table (test/misuse.test.ts) cannot hold: each is found only once a worker thread tried the job,
    // on the live clock, so a fiber has started by then.
    it.live("a module that cannot be loaded dies with a clear IllegalArgumentError", () =>
      Effect.gen(function*() {
        const missing = new URL("./fixtures/no-such-module.ts", import.meta.url)
        const message = defectMessage(yield* Effect.exit(aio.toThread(missing, "add", 1, 2)))
        assert.include(message, `toThread: cannot load module ${missing.href}: `)
        assert.include(message, "Cannot find module")
      }))

    it.live("a name that is not an exported function dies, listing the module's functions", () =>
      Effect.gen(function*() {
        const message = defectMessage(yield* Effect.exit(aio.toThread(jobsUrl, "notAFunction")))
        assert.include(
          message,
          `toThread: module ${jobsUrl.href} has no exported function "notAFunction" (its functions: `
        )
        assert.include(message, "countPrimes")
      }))

    it.live("arguments that cannot be copied to a thread die with IllegalArgumentError", () =>
      Effect.gen(function*() {
        const message = defectMessage(yield* Effect.exit(aio.toThread(jobsUrl, "add", () => 1, 2)))
        assert.include(message, "toThread: the arguments of add cannot be copied to a worker thread")
      }))
  })

  describe("interruption", () => {
    it.live("interrupting a running job stops its thread (it burns no more CPU), and the next job still runs", () =>
      Effect.gen(function*() {
        const state = sharedState()
        const job = yield* Effect.forkChild(aio.toThread(jobs, "spinUntilStopped", state))
        yield* until(() => Atomics.load(state, 0) > 0)
        yield* Fiber.interrupt(job)
        assert.isTrue(Exit.hasInterrupts(job.pollUnsafe()!))
        const after = Atomics.load(state, 0)
        yield* Effect.sleep(30)
        assert.strictEqual(Atomics.load(state, 0), after, "the job made no progress after the interruption returned")
        assert.strictEqual(yield* aio.toThread(jobs, "add", 20, 22), 42)
      }))
  })
})

describe("makeExecutor", () => {
  it.live("run works destructured from its executor", () =>
    Effect.scoped(Effect.gen(function*() {
      const { run } = yield* aio.makeExecutor({ maxWorkers: 1 })
      assert.strictEqual(yield* run(jobs, "add", 2, 3), 5)
    })))

  it.live("runs at most maxWorkers jobs at once; the others wait their turn, first come first served", () =>
    Effect.scoped(Effect.gen(function*() {
      const executor = yield* aio.makeExecutor({ maxWorkers: 1 })
      assert.strictEqual(executor.maxWorkers, 1)
      const first = sharedState()
      const second = sharedState()
      const a = yield* Effect.forkChild(executor.run(jobs, "spinUntilStopped", first))
      const b = yield* Effect.forkChild(executor.run(jobs, "spinUntilStopped", second))
      yield* until(() => Atomics.load(first, 0) > 0)
      yield* Effect.sleep(20)
      assert.strictEqual(Atomics.load(second, 0), 0, "the second job waits for the only thread")
      Atomics.store(first, 1, 1)
      yield* Fiber.join(a)
      yield* until(() => Atomics.load(second, 0) > 0)
      Atomics.store(second, 1, 1)
      assert.isAbove(yield* Fiber.join(b), 0)
    })))

  it.live("interrupting a job that waits for a thread takes it out of the queue: it never runs", () =>
    Effect.scoped(Effect.gen(function*() {
      const executor = yield* aio.makeExecutor({ maxWorkers: 1 })
      const first = sharedState()
      const queued = sharedState()
      const a = yield* Effect.forkChild(executor.run(jobs, "spinUntilStopped", first))
      const b = yield* Effect.forkChild(executor.run(jobs, "spinUntilStopped", queued))
      yield* until(() => Atomics.load(first, 0) > 0)
      yield* Fiber.interrupt(b)
      Atomics.store(first, 1, 1)
      yield* Fiber.join(a)
      yield* Effect.sleep(20)
      assert.strictEqual(Atomics.load(queued, 0), 0)
    })))

  it.live("closing its scope stops the threads, jobs still running included", () =>
    Effect.gen(function*() {
      const state = sharedState()
      const job = yield* Effect.scoped(Effect.gen(function*() {
        const executor = yield* aio.makeExecutor({ maxWorkers: 2 })
        const fiber = yield* Effect.forkDetach(executor.run(jobs, "spinUntilStopped", state))
        yield* until(() => Atomics.load(state, 0) > 0)
        return fiber
      }))
      const exit = yield* Fiber.await(job)
      assert.isTrue(Exit.isFailure(exit))
      const after = Atomics.load(state, 0)
      yield* Effect.sleep(30)
      assert.strictEqual(Atomics.load(state, 0), after)
    }))
})
