import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, FiberSet, Option, Ref, Scheduler, Stream } from "effect"
import * as aio from "effect-asyncio"
import {
  advance,
  defectOf,
  errorsOf,
  failAfter,
  isFinished,
  isInterruptedOnly,
  makeProbe,
  probed,
  settle,
  succeedAfter
} from "./utils/fixtures.ts"

describe("tasks", () => {
  describe("createTask", () => {
    it.effect("starts the task as soon as its creator yields, as asyncio schedules it", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const task = yield* aio.createTask(Ref.update(log, (l) => [...l, "task ran"]))
        yield* Ref.update(log, (l) => [...l, "creator continued"])
        yield* Fiber.await(task)
        assert.deepStrictEqual(yield* Ref.get(log), ["creator continued", "task ran"])
      }))

    it("a task that ends before createTask returns (its creator yielded to the scheduler) is still a task", async () => {
      // Effect's scheduler makes a busy fiber yield every MaxOpsBeforeYield
      // steps (2,048 by default; 16 to 47 here, so that the yield falls at
      // every step of the loop in turn): the tasks created so far run, and
      // may end, between a fork and the code right after it, so createTask
      // cannot rely on Effect's link from the task to its creator, which ends
      // with the task. Run on Effect's own scheduler: the test runners'
      // schedulers order this differently.
      const program = (maxOps: number) =>
        Effect.gen(function*() {
          const tasks: Array<Fiber.Fiber<number>> = []
          for (let i = 0; i < 100; i++) tasks.push(yield* aio.createTask(Effect.succeed(i), { name: `t${i}` }))
          assert.deepStrictEqual(yield* Fiber.joinAll(tasks), Array.from({ length: 100 }, (_, i) => i))
          assert.deepStrictEqual(yield* Effect.forEach(tasks, aio.taskName), tasks.map((_, i) => `t${i}`))
          assert.deepStrictEqual(yield* aio.allTasks, [])
        }).pipe(Effect.provideService(Scheduler.MaxOpsBeforeYield, maxOps))
      for (let maxOps = 16; maxOps < 48; maxOps++) {
        const exit = await Effect.runPromiseExit(program(maxOps))
        assert.isTrue(Exit.isSuccess(exit), `MaxOpsBeforeYield ${maxOps}: ${exit}`)
      }
    })

    it.effect("runs tasks concurrently", () =>
      Effect.gen(function*() {
        const f = yield* aio.createTask(succeedAfter(100, "f"))
        const g = yield* aio.createTask(succeedAfter(100, "g"))
        yield* advance(100)
        assert.deepStrictEqual([f.pollUnsafe(), g.pollUnsafe()], [Exit.succeed("f"), Exit.succeed("g")])
      }))

    it.effect("interrupts an unfinished task when its creator ends, running its finalizers", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const inner = yield* Ref.make<Fiber.Fiber<unknown> | undefined>(undefined)
        const creator = yield* Effect.forkChild(Effect.gen(function*() {
          yield* Ref.set(inner, yield* aio.createTask(probed(probe, Effect.never)))
          yield* Effect.sleep(10)
        }))
        yield* advance(10)
        assert.isTrue(isFinished(creator))
        assert.isTrue(isInterruptedOnly((yield* Ref.get(inner))!.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))
  })

  describe("cancel", () => {
    it.effect("interrupts a running task, waits for its finalizers and returns true (test_cancel)", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const task = yield* aio.createTask(
          Effect.sleep(10_000).pipe(
            Effect.onInterrupt(() => Effect.andThen(Effect.sleep(50), Ref.update(log, (l) => [...l, "cleaned up"])))
          )
        )
        yield* advance(10)
        const canceller = yield* Effect.forkChild(
          Effect.tap(aio.cancel(task), () => Ref.update(log, (l) => [...l, "cancel returned"]))
        )
        yield* advance(49)
        assert.isUndefined(canceller.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(canceller.pollUnsafe(), Exit.succeed(true))
        assert.deepStrictEqual(yield* Ref.get(log), ["cleaned up", "cancel returned"])
        assert.isTrue(yield* aio.isCancelled(task))
      }))

    it.effect("returns false on a task that already finished, and leaves its outcome", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.succeed(42))
        yield* Fiber.await(task)
        assert.isFalse(yield* aio.cancel(task))
        assert.isFalse(yield* aio.isCancelled(task))
        assert.strictEqual(yield* aio.result(task), 42)
      }))

    it.effect("a second cancel returns false", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never)
        assert.isTrue(yield* aio.cancel(task))
        assert.isFalse(yield* aio.cancel(task))
      }))

    it.effect("a task cancelled before it started never runs its code", () =>
      Effect.gen(function*() {
        const ran = yield* Ref.make(false)
        const task = yield* aio.createTask(Ref.set(ran, true))
        assert.isTrue(yield* aio.cancel(task))
        yield* settle
        assert.isFalse(yield* Ref.get(ran))
        assert.isTrue(yield* aio.isCancelled(task))
      }))

    it.effect("takes fibers made with Effect.forkChild and FiberSet", () =>
      Effect.gen(function*() {
        const forked = yield* Effect.forkChild(Effect.never)
        const set = yield* FiberSet.make()
        const inSet = yield* FiberSet.run(set, Effect.never)
        assert.isTrue(yield* aio.cancel(forked))
        assert.isTrue(yield* aio.cancel(inSet))
        assert.isTrue(yield* aio.isCancelled(forked))
        assert.isTrue(yield* aio.isCancelled(inSet))
      }))
  })

  describe("isDone and isCancelled", () => {
    it.effect("isDone is false while running and true after any ending", () =>
      Effect.gen(function*() {
        const ok = yield* aio.createTask(succeedAfter(10, 1))
        const failed = yield* aio.createTask(failAfter(10, "e"))
        const died = yield* aio.createTask(Effect.andThen(Effect.sleep(10), Effect.die("d")))
        const cancelled = yield* aio.createTask(Effect.never)
        yield* settle
        for (const task of [ok, failed, died, cancelled]) assert.isFalse(yield* aio.isDone(task))
        yield* advance(10)
        yield* aio.cancel(cancelled)
        for (const task of [ok, failed, died, cancelled]) assert.isTrue(yield* aio.isDone(task))
        assert.deepStrictEqual(
          [
            yield* aio.isCancelled(ok),
            yield* aio.isCancelled(failed),
            yield* aio.isCancelled(died),
            yield* aio.isCancelled(cancelled)
          ],
          [false, false, false, true]
        )
      }))

    it.effect("a task that failed while being cancelled is not counted as cancelled", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never.pipe(Effect.onInterrupt(() => Effect.die("cleanup bug"))))
        yield* settle
        yield* aio.cancel(task)
        assert.isTrue(yield* aio.isDone(task))
        assert.isFalse(yield* aio.isCancelled(task))
      }))
  })

  describe("result", () => {
    it.effect("returns the value of a finished task", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.succeed("value"))
        yield* Fiber.await(task)
        assert.strictEqual(yield* aio.result(task), "value")
      }))

    it.effect("re-raises a typed failure, a defect or the interruption", () =>
      Effect.gen(function*() {
        const failed = yield* aio.createTask(Effect.fail("typed"))
        const died = yield* aio.createTask(Effect.die("defect"))
        const cancelled = yield* aio.createTask(Effect.never)
        yield* settle
        yield* aio.cancel(cancelled)
        assert.deepStrictEqual(yield* Effect.exit(aio.result(failed)), Exit.fail("typed"))
        assert.strictEqual(defectOf(yield* Effect.exit(aio.result(died))), "defect")
        assert.isTrue(isInterruptedOnly(yield* Effect.exit(aio.result(cancelled))))
      }))

    it.effect("fails with InvalidStateError on a task that has not finished, without waiting", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never)
        const exit = yield* Effect.exit(aio.result(task))
        const [error] = errorsOf(exit)
        assert.instanceOf(error, aio.InvalidStateError)
        assert.strictEqual((error as aio.InvalidStateError)._tag, "InvalidStateError")
        assert.strictEqual((error as aio.InvalidStateError).message, "result: the task has not finished yet")
      }))
  })

  describe("exception", () => {
    it.effect("is None after success and Some(error) after a typed failure", () =>
      Effect.gen(function*() {
        const ok = yield* aio.createTask(Effect.succeed(1))
        const failed = yield* aio.createTask(Effect.fail("boom"))
        yield* settle
        assert.deepStrictEqual(yield* aio.exception(ok), Option.none())
        assert.deepStrictEqual(yield* aio.exception(failed), Option.some("boom"))
      }))

    it.effect("re-raises the cause of a task that was cancelled or died, as asyncio raises CancelledError", () =>
      Effect.gen(function*() {
        const died = yield* aio.createTask(Effect.die("defect"))
        const cancelled = yield* aio.createTask(Effect.never)
        yield* settle
        yield* aio.cancel(cancelled)
        assert.strictEqual(defectOf(yield* Effect.exit(aio.exception(died))), "defect")
        assert.isTrue(isInterruptedOnly(yield* Effect.exit(aio.exception(cancelled))))
      }))

    it.effect("fails with InvalidStateError on a task that has not finished", () =>
      Effect.gen(function*() {
        const task = yield* aio.createTask(Effect.never)
        const [error] = errorsOf(yield* Effect.exit(aio.exception(task)))
        assert.instanceOf(error, aio.InvalidStateError)
        assert.strictEqual((error as aio.InvalidStateError).message, "exception: the task has not finished yet")
      }))
  })

  // Found by the 100,000-task stress test: Effect's scheduler makes a busy
  // fiber yield every MaxOpsBeforeYield steps, at any point of the library's
  // code. Each value from 8 to 63 puts the yield at another step.
  it("every primitive gives the same results wherever the scheduler makes a fiber yield", async () => {
    const N = 30
    const job = (i: number) =>
      Effect.gen(function*() {
        for (let k = 0; k < i % 4; k++) yield* Effect.yieldNow
        return i
      })
    const jobs = () => Array.from({ length: N }, (_, i) => job(i))
    const createTasks = Effect.gen(function*() {
      const tasks: Array<Fiber.Fiber<number>> = []
      for (let i = 0; i < N; i++) tasks.push(yield* aio.createTask(job(i)))
      return tasks
    })
    const sizes = Effect.gen(function*() {
      const tasks = yield* createTasks
      const queue = yield* aio.makeQueue<number>({ maxsize: 3 })
      const producer = yield* aio.createTask(Effect.forEach(jobs(), (job) => Effect.flatMap(job, queue.put)))
      let sum = 0
      for (let i = 0; i < N; i++) sum += yield* queue.get
      yield* Fiber.join(producer)
      return [
        (yield* aio.gather(jobs())).length,
        (yield* aio.wait(tasks)).done.length,
        (yield* aio.gather(tasks)).length,
        (yield* Stream.runCollect(aio.asCompleted(jobs(), { concurrency: 7 }))).length,
        (yield* aio.taskGroup((tg) => Effect.forEach(jobs(), (job) => tg.createTask(job)))).length,
        (yield* Fiber.joinAll(yield* aio.waitFor(createTasks, "1 second"))).length,
        (yield* aio.timeout("1 second", aio.gather(jobs().map(aio.shield)))).length,
        (yield* aio.gather(jobs().map(aio.shield), { returnExceptions: true })).length,
        sum,
        (yield* aio.allTasks).length
      ]
    })
    for (let maxOps = 8; maxOps < 64; maxOps++) {
      const exit = await Effect.runPromiseExit(
        sizes.pipe(Effect.provideService(Scheduler.MaxOpsBeforeYield, maxOps), Effect.timeout("5 seconds"))
      )
      assert.deepStrictEqual(
        exit,
        Exit.succeed([N, N, N, N, N, N, N, N, N * (N - 1) / 2, 0]),
        `MaxOpsBeforeYield ${maxOps}`
      )
    }
  })

  // Issue 9, item 1: the library's own fibers are invisible to supervision.
  describe("supervision", () => {
    type Around = <A, E>(body: Effect.Effect<A, E>) => Effect.Effect<A, unknown>
    const primitives: ReadonlyArray<readonly [string, Around]> = [
      ["the body of timeout", (body) => aio.timeout("1 hour", body)],
      ["the body of timeoutAt", (body) => aio.timeoutAt(null, body)],
      ["the effect of waitFor", (body) => aio.waitFor(body, "1 hour")],
      ["the effect of shield", (body) => aio.shield(body)],
      ["one of gather's effects", (body) => Effect.map(aio.gather([Effect.succeed(0), body]), ([, a]) => a)],
      [
        "one of gather's effects, with a concurrency bound",
        (body) => Effect.map(aio.gather([Effect.succeed(0), body], { concurrency: 1 }), ([, a]) => a)
      ],
      [
        "one of gather's effects, with returnExceptions",
        (body) => Effect.flatMap(aio.gather([body], { returnExceptions: true }), ([exit]) => exit)
      ],
      ["one of asCompleted's effects", (body) => Effect.map(Stream.runCollect(aio.asCompleted([body])), ([a]) => a)],
      ["a task group's body", (body) => aio.taskGroup(() => body)],
      [
        "a timeout inside gather inside waitFor",
        (body) => aio.waitFor(Effect.map(aio.gather([aio.timeout("1 hour", body)]), ([a]) => a), "1 hour")
      ]
    ]

    for (const [where, around] of primitives) {
      it.effect(`a task created in ${where} outlives the call and can be joined later`, () =>
        Effect.gen(function*() {
          const caller = yield* Effect.forkChild(Effect.gen(function*() {
            const task = yield* around(aio.createTask(succeedAfter(100, "reader done")))
            yield* Effect.sleep(50)
            assert.isUndefined(task.pollUnsafe(), "still running after the call returned")
            return yield* Fiber.join(task)
          }))
          yield* advance(100)
          assert.deepStrictEqual(caller.pollUnsafe(), Exit.succeed("reader done"))
        }))

      it.effect(`a task created in ${where} belongs to the caller, and stops when the caller ends`, () =>
        Effect.gen(function*() {
          const probe = yield* makeProbe
          const task = yield* Ref.make<Fiber.Fiber<unknown> | undefined>(undefined)
          const caller = yield* Effect.forkChild(Effect.gen(function*() {
            yield* Ref.set(task, yield* around(aio.createTask(probed(probe, Effect.never))))
            yield* Effect.sleep(10)
          }))
          yield* advance(5)
          assert.strictEqual(yield* Ref.get(probe.finalized), 0, "alive while its caller runs")
          yield* advance(5)
          assert.isTrue(isFinished(caller))
          assert.isTrue(isInterruptedOnly((yield* Ref.get(task))!.pollUnsafe()!))
          assert.strictEqual(yield* Ref.get(probe.finalized), 1)
        }))
    }

    it.effect("a task created by a fiber the user forked inside a primitive belongs to that fiber", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const result = yield* aio.waitFor(
          Effect.gen(function*() {
            const forked = yield* Effect.forkChild(Effect.gen(function*() {
              const task = yield* aio.createTask(probed(probe, Effect.never))
              yield* Effect.sleep(10)
              return task
            }))
            return yield* Fiber.join(forked)
          }),
          "1 hour"
        ).pipe(Effect.forkChild)
        yield* advance(10)
        const task = (result.pollUnsafe() as Exit.Success<Fiber.Fiber<never>>).value
        assert.isTrue(isInterruptedOnly(task.pollUnsafe()!), "stopped with the fiber that created it")
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("a task created by shielded work after its caller was interrupted belongs to the work", () =>
      Effect.gen(function*() {
        const result = yield* Ref.make<Exit.Exit<string> | undefined>(undefined)
        const work = Effect.gen(function*() {
          yield* Effect.sleep(50)
          const task = yield* aio.createTask(succeedAfter(10, "late task done"))
          yield* Ref.set(result, yield* Fiber.await(task))
        })
        const caller = yield* Effect.forkChild(aio.shield(work))
        yield* advance(10)
        yield* Fiber.interrupt(caller)
        yield* advance(100)
        assert.deepStrictEqual(yield* Ref.get(result), Exit.succeed("late task done"))
      }))
  })
})

// Issue 13, item 1: names, the current task, every task.
describe("task names and lookups", () => {
  it.effect("default names are asyncio's Task-N, in creation order; a given name wins", () =>
    Effect.gen(function*() {
      const a = yield* aio.createTask(Effect.never)
      const b = yield* aio.createTask(Effect.never)
      const named = yield* aio.createTask(Effect.never, { name: "reader" })
      const [nameA, nameB] = [yield* aio.taskName(a), yield* aio.taskName(b)]
      assert.match(nameA, /^Task-\d+$/)
      assert.strictEqual(Number(nameB.slice(5)), Number(nameA.slice(5)) + 1)
      assert.strictEqual(yield* aio.taskName(named), "reader")
      yield* Fiber.interruptAll([a, b, named])
      assert.strictEqual(yield* aio.taskName(named), "reader", "the name outlives the task")
      assert.strictEqual(yield* aio.taskName(a), nameA)
    }))

  it.effect("a group's tasks take names too", () =>
    Effect.gen(function*() {
      const names = yield* aio.taskGroup((tg) =>
        Effect.gen(function*() {
          const named = yield* tg.createTask(Effect.void, { name: "writer" })
          const unnamed = yield* tg.createTask(Effect.void)
          return [yield* aio.taskName(named), yield* aio.taskName(unnamed)]
        })
      )
      assert.strictEqual(names[0], "writer")
      assert.match(names[1], /^Task-\d+$/)
    }))

  it.effect("a fiber the library did not create is named after its fiber id", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(Effect.void)
      assert.strictEqual(yield* aio.taskName(fiber), `Fiber-${fiber.id}`)
    }))

  it.effect("currentTask: the task itself, the task around the library's fibers and the task's forks, none outside", () =>
    Effect.gen(function*() {
      assert.isUndefined(yield* aio.currentTask)
      const task = yield* aio.createTask(Effect.gen(function*() {
        const self = yield* aio.currentTask
        const [inGather] = yield* aio.gather([aio.currentTask])
        const inTimeout = yield* aio.timeout(1000, aio.currentTask)
        const inFork = yield* Fiber.join(yield* Effect.forkChild(aio.currentTask))
        return [self, inGather, inTimeout, inFork]
      }))
      const seen = yield* Fiber.join(task)
      assert.deepStrictEqual(seen, [task, task, task, task])
    }))

  it.effect("allTasks: every unfinished task, in creation order, and only those", () =>
    Effect.gen(function*() {
      const before = (yield* aio.allTasks).length
      const a = yield* aio.createTask(Effect.never)
      const b = yield* aio.createTask(Effect.void)
      const c = yield* aio.createTask(Effect.never)
      const now = yield* aio.allTasks
      assert.deepStrictEqual(now.slice(before), [a, b, c], "includes tasks that have not started yet")
      yield* Fiber.await(b)
      assert.deepStrictEqual((yield* aio.allTasks).slice(before), [a, c])
      yield* Fiber.interruptAll([a, c])
      assert.strictEqual((yield* aio.allTasks).length, before)
    }))

  it.effect("a name that is not a string dies with IllegalArgumentError", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(aio.createTask(Effect.void, { name: 42 as unknown as string }))
      assert.strictEqual((defectOf(exit) as Error).message, "createTask: name must be a string, got 42")
    }))
})
