import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Ref, Scheduler } from "effect"
import * as aio from "effect-asyncio"
import {
  advance,
  dieAfter,
  failAfter,
  instantClocks,
  interruptAfter,
  isFinished,
  isInterruptedOnly,
  makeProbe,
  probed,
  settle,
  succeedAfter,
  withClock
} from "./utils/fixtures.ts"

const startAll = <A, E>(effects: ReadonlyArray<Effect.Effect<A, E>>) =>
  Effect.gen(function*() {
    const tasks: Array<Fiber.Fiber<A, E>> = []
    for (const effect of effects) tasks.push(yield* aio.createTask(effect))
    yield* settle
    return tasks
  })

describe("wait", () => {
  describe("ALL_COMPLETED", () => {
    it.effect("waits for every task by default and keeps the input order (test_wait)", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll([succeedAfter(100, "a"), succeedAfter(150, "b")])
        const waiter = yield* Effect.forkChild(aio.wait([b, a]))
        yield* advance(149)
        assert.isUndefined(waiter.pollUnsafe())
        yield* advance(1)
        const { done, pending } = yield* Fiber.join(waiter)
        assert.deepStrictEqual(done, [b, a])
        assert.deepStrictEqual(pending, [])
      }))

    it.effect("counts failed, dead and interrupted tasks as done", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll<unknown, string>([failAfter(10, "e"), dieAfter(20, "d"), interruptAfter(30)])
        const waiter = yield* Effect.forkChild(aio.wait(tasks, { returnWhen: aio.ALL_COMPLETED }))
        yield* advance(30)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: tasks, pending: [] }))
      }))

    it.effect("returns at once when every task has already finished", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll([Effect.succeed(1), Effect.succeed(2)])
        const result = yield* aio.wait(tasks)
        assert.deepStrictEqual(result, { done: tasks, pending: [] })
      }))
  })

  describe("FIRST_COMPLETED", () => {
    it.effect("returns as soon as one task finishes (test_wait_first_completed)", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll([succeedAfter(10_000, "a"), succeedAfter(100, "b")])
        const waiter = yield* Effect.forkChild(aio.wait([a, b], { returnWhen: aio.FIRST_COMPLETED }))
        yield* advance(99)
        assert.isUndefined(waiter.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [b], pending: [a] }))
        assert.isFalse(isFinished(a))
      }))

    it.effect("counts a failure as completion", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll<string, string>([succeedAfter(1000, "a"), failAfter(10, "b")])
        const waiter = yield* Effect.forkChild(aio.wait([a, b], { returnWhen: aio.FIRST_COMPLETED }))
        yield* advance(10)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [b], pending: [a] }))
      }))

    it.effect("reports every task that finished in the same round as done (test_wait_really_done)", () =>
      Effect.gen(function*() {
        const a = yield* aio.createTask(Effect.as(Effect.yieldNow, 1))
        const b = yield* aio.createTask(Effect.as(Effect.yieldNow, 2))
        const c = yield* aio.createTask(Effect.never)
        const { done, pending } = yield* aio.wait([b, a, c], { returnWhen: aio.FIRST_COMPLETED })
        assert.deepStrictEqual(done, [b, a])
        assert.deepStrictEqual(pending, [c])
      }))

    it.effect("returns at once when a task has already finished", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll([Effect.succeed(1), Effect.never])
        assert.deepStrictEqual(yield* aio.wait(tasks, { returnWhen: aio.FIRST_COMPLETED }), {
          done: [tasks[0]],
          pending: [tasks[1]]
        })
      }))

    it.effect("drives a dispatcher loop until every task is done (the call_api tutorial)", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<number>>([])
        const tasks = yield* startAll([succeedAfter(1000, 1), succeedAfter(2000, 2), succeedAfter(3000, 3)])
        const loop = Effect.gen(function*() {
          let pending: ReadonlyArray<Fiber.Fiber<number>> = tasks
          while (pending.length > 0) {
            const state = yield* aio.wait(pending, { returnWhen: aio.FIRST_COMPLETED })
            for (const task of state.done) {
              const value = yield* aio.result(task)
              yield* Ref.update(log, (l) => [...l, value])
            }
            pending = state.pending
          }
        })
        const fiber = yield* Effect.forkChild(loop)
        yield* advance(1000)
        assert.deepStrictEqual(yield* Ref.get(log), [1])
        yield* advance(2000)
        assert.deepStrictEqual(yield* Ref.get(log), [1, 2, 3])
        assert.isTrue(isFinished(fiber))
      }))
  })

  describe("FIRST_EXCEPTION", () => {
    it.effect("returns when a task fails (test_wait_first_exception)", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll<string, string>([succeedAfter(10_000, "a"), failAfter(100, "boom")])
        const waiter = yield* Effect.forkChild(aio.wait([a, b], { returnWhen: aio.FIRST_EXCEPTION }))
        yield* advance(100)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [b], pending: [a] }))
      }))

    it.effect("returns when a task dies", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll([succeedAfter(10_000, "a"), dieAfter(100, "bug")])
        const waiter = yield* Effect.forkChild(aio.wait([a, b], { returnWhen: aio.FIRST_EXCEPTION }))
        yield* advance(100)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [b], pending: [a] }))
      }))

    it.effect("does not return when a task was only interrupted: that is no exception", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll([succeedAfter(200, "a"), interruptAfter(100)])
        const waiter = yield* Effect.forkChild(aio.wait([a, b], { returnWhen: aio.FIRST_EXCEPTION }))
        yield* advance(100)
        assert.isUndefined(waiter.pollUnsafe())
        yield* advance(100)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [a, b], pending: [] }))
      }))

    it.effect("waits for all when no task fails", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll([succeedAfter(10, 1), succeedAfter(20, 2)])
        const waiter = yield* Effect.forkChild(aio.wait(tasks, { returnWhen: aio.FIRST_EXCEPTION }))
        yield* advance(10)
        assert.isUndefined(waiter.pollUnsafe())
        yield* advance(10)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: tasks, pending: [] }))
      }))

    it.effect("returns at once when a task has already failed (test_wait_first_exception_in_wait)", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll<number, string>([Effect.fail("early"), succeedAfter(10, 2)])
        assert.deepStrictEqual(yield* aio.wait(tasks, { returnWhen: aio.FIRST_EXCEPTION }), {
          done: [tasks[0]],
          pending: [tasks[1]]
        })
      }))
  })

  describe("timeout", () => {
    it.effect("returns done and pending when the timeout passes, and never interrupts (test_wait_with_timeout)", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const [a, b] = yield* startAll([succeedAfter(100, "a"), probed(probe, succeedAfter(150, "b"))])
        const waiter = yield* Effect.forkChild(aio.wait([a, b], { timeout: 110 }))
        yield* advance(109)
        assert.isUndefined(waiter.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [a], pending: [b] }))
        yield* advance(40)
        assert.deepStrictEqual(b.pollUnsafe(), Exit.succeed("b"))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 0)
      }))

    it.effect("a timeout of 0 or less reports the current state at once", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll([Effect.succeed(1), Effect.never])
        assert.deepStrictEqual(yield* aio.wait(tasks, { timeout: 0 }), { done: [tasks[0]], pending: [tasks[1]] })
        assert.deepStrictEqual(yield* aio.wait(tasks, { timeout: -10 }), { done: [tasks[0]], pending: [tasks[1]] })
      }))

    it.effect("the condition wins when it holds before the timeout", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll([succeedAfter(10, 1)])
        const waiter = yield* Effect.forkChild(aio.wait(tasks, { timeout: 1000 }))
        yield* advance(10)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: tasks, pending: [] }))
      }))

    it.effect("null and an infinite timeout mean no limit", () =>
      Effect.gen(function*() {
        const tasks = yield* startAll([succeedAfter("1 day", 1)])
        const a = yield* Effect.forkChild(aio.wait(tasks, { timeout: null }))
        const b = yield* Effect.forkChild(aio.wait(tasks, { timeout: "Infinity" }))
        yield* advance("1 day")
        assert.deepStrictEqual(a.pollUnsafe(), Exit.succeed({ done: tasks, pending: [] }))
        assert.deepStrictEqual(b.pollUnsafe(), Exit.succeed({ done: tasks, pending: [] }))
      }))
  })

  describe("input", () => {
    it.effect("the same fiber passed twice counts once (test_wait_duplicate_coroutines)", () =>
      Effect.gen(function*() {
        const [a, b] = yield* startAll([succeedAfter(10, 1), succeedAfter(20, 2)])
        const waiter = yield* Effect.forkChild(aio.wait([a, a, b, a]))
        yield* advance(20)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [a, b], pending: [] }))
      }))

    it.effect("takes fibers made with Effect.forkChild and any iterable", () =>
      Effect.gen(function*() {
        const a = yield* Effect.forkChild(succeedAfter(10, 1))
        const result = yield* Effect.forkChild(aio.wait(new Set([a])))
        yield* advance(10)
        assert.deepStrictEqual(result.pollUnsafe(), Exit.succeed({ done: [a], pending: [] }))
      }))

    it.effect("a single task works", () =>
      Effect.gen(function*() {
        const [a] = yield* startAll([succeedAfter(10, 1)])
        const waiter = yield* Effect.forkChild(aio.wait([a], { returnWhen: aio.FIRST_COMPLETED }))
        yield* advance(10)
        assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [a], pending: [] }))
      }))
  })

  describe("interruption", () => {
    it.effect("interrupting wait leaves the tasks running and removes its observers", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const [a] = yield* startAll([probed(probe, succeedAfter(100, "a"))])
        const waiter = yield* Effect.forkChild(aio.wait([a], { timeout: 50 }))
        yield* advance(10)
        yield* Fiber.interrupt(waiter)
        assert.isTrue(isInterruptedOnly(waiter.pollUnsafe()!))
        yield* advance(90)
        assert.deepStrictEqual(a.pollUnsafe(), Exit.succeed("a"))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 0)
      }))
  })
})

describe("wait with quorum(k)", () => {
  it.effect("returns as soon as k tasks have succeeded, the rest pending and running", () =>
    Effect.gen(function*() {
      const tasks = yield* startAll([succeedAfter(10, "a"), succeedAfter(30, "b"), succeedAfter(20, "c")])
      const waiter = yield* Effect.forkChild(aio.wait(tasks, { returnWhen: aio.quorum(2) }))
      yield* advance(19)
      assert.isUndefined(waiter.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [tasks[0], tasks[2]], pending: [tasks[1]] }))
      assert.isUndefined(tasks[1].pollUnsafe(), "never interrupted")
    }))

  it.effect("returns as soon as k successes have become impossible", () =>
    Effect.gen(function*() {
      const tasks = yield* startAll<string, string>([
        succeedAfter(10, "a"),
        failAfter(20, "b failed"),
        interruptAfter(30),
        succeedAfter(100, "d")
      ])
      // 3 of 4 must succeed: once two have failed or been interrupted, 3 is impossible.
      const waiter = yield* Effect.forkChild(aio.wait(tasks, { returnWhen: aio.quorum(3) }))
      yield* advance(29)
      assert.isUndefined(waiter.pollUnsafe(), "one failure leaves 3 successes possible")
      yield* advance(1)
      assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: tasks.slice(0, 3), pending: [tasks[3]] }))
    }))

  it.effect("a defect counts against the quorum like a failure", () =>
    Effect.gen(function*() {
      const tasks = yield* startAll<string, never>([dieAfter(10, "boom"), succeedAfter(100, "b")])
      const { done, pending } = yield* aio.wait(tasks, { returnWhen: aio.quorum(2) }).pipe(
        Effect.forkChild,
        Effect.tap(() => advance(10)),
        Effect.flatMap(Fiber.join)
      )
      assert.deepStrictEqual([done, pending], [[tasks[0]], [tasks[1]]])
    }))

  it.effect("returns at once when the quorum already holds, or is already impossible", () =>
    Effect.gen(function*() {
      const [a, b, c] = yield* startAll<number, string>([Effect.succeed(1), Effect.fail("x"), Effect.never])
      assert.deepStrictEqual(yield* aio.wait([a, c], { returnWhen: aio.quorum(1) }), { done: [a], pending: [c] })
      assert.deepStrictEqual(yield* aio.wait([b, c], { returnWhen: aio.quorum(2) }), { done: [b], pending: [c] })
    }))

  it.effect("with a timeout, returns whatever holds when it passes", () =>
    Effect.gen(function*() {
      const tasks = yield* startAll([succeedAfter(10, "a"), succeedAfter(1000, "b"), succeedAfter(1000, "c")])
      const waiter = yield* Effect.forkChild(aio.wait(tasks, { returnWhen: aio.quorum(2), timeout: 50 }))
      yield* advance(49)
      assert.isUndefined(waiter.pollUnsafe())
      yield* advance(1)
      assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [tasks[0]], pending: tasks.slice(1) }))
    }))

  // That k is bounded by the distinct tasks, not the tasks given, is a row of test/misuse.test.ts.
  it.effect("a task given twice counts once", () =>
    Effect.gen(function*() {
      const [a, b] = yield* startAll([succeedAfter(10, "a"), succeedAfter(20, "b")])
      const waiter = yield* Effect.forkChild(aio.wait([a, a, b, a], { returnWhen: aio.quorum(2) }))
      yield* advance(10)
      assert.isUndefined(waiter.pollUnsafe(), "a counts once")
      yield* advance(10)
      assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: [a, b], pending: [] }))
    }))

  it.effect("k equal to the number of tasks waits for all of them to succeed, and stops at the first failure", () =>
    Effect.gen(function*() {
      const tasks = yield* startAll<string, string>([succeedAfter(10, "a"), failAfter(20, "b failed"), Effect.never])
      const waiter = yield* Effect.forkChild(aio.wait(tasks, { returnWhen: aio.quorum(3) }))
      yield* advance(20)
      assert.deepStrictEqual(waiter.pollUnsafe(), Exit.succeed({ done: tasks.slice(0, 2), pending: [tasks[2]] }))
    }))
})

// Issue 9, item 4: the timer may fire at any moment, even while it is armed.
describe("wait on any Clock", () => {
  for (const [name, clock] of instantClocks) {
    it.effect(`returns at its timeout under ${name}`, () =>
      Effect.gen(function*() {
        const done = yield* aio.createTask(Effect.succeed(1))
        yield* Fiber.await(done)
        const pending = yield* aio.createTask(Effect.never)
        const result = yield* aio.wait([done, pending], { timeout: 10 })
        assert.deepStrictEqual(result, { done: [done], pending: [pending] })
        assert.isUndefined(pending.pollUnsafe(), "wait never interrupts")
      }).pipe(withClock(clock())), 5_000)

    it.effect(`FIRST_COMPLETED returns at its timeout under ${name}`, () =>
      Effect.gen(function*() {
        const pending = yield* aio.createTask(Effect.never)
        const result = yield* aio.wait([pending], { timeout: 10, returnWhen: aio.FIRST_COMPLETED })
        assert.deepStrictEqual(result, { done: [], pending: [pending] })
      }).pipe(withClock(clock())), 5_000)
  }
})

describe("wait when the scheduler makes the caller yield", () => {
  // Found by the "wherever the scheduler makes a fiber yield" test in
  // test/task.test.ts: a task that finished between wait's first look and
  // its watch was neither counted nor watched, and wait hung.
  it("a task finishing between wait's first look and its watch is counted", async () => {
    const job = (i: number) =>
      Effect.gen(function*() {
        for (let k = 0; k < i % 4; k++) yield* Effect.yieldNow
        return i
      })
    const program = Effect.gen(function*() {
      const tasks: Array<Fiber.Fiber<number>> = []
      for (let i = 0; i < 30; i++) tasks.push(yield* aio.createTask(job(i)))
      const { done, pending } = yield* aio.wait(tasks)
      return [done.length, pending.length]
    })
    for (let maxOps = 8; maxOps < 64; maxOps++) {
      const exit = await Effect.runPromiseExit(
        program.pipe(Effect.provideService(Scheduler.MaxOpsBeforeYield, maxOps), Effect.timeout("5 seconds"))
      )
      assert.deepStrictEqual(exit, Exit.succeed([30, 0]), `MaxOpsBeforeYield ${maxOps}`)
    }
  })
})
