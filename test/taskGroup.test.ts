import { assert, describe, it } from "@effect/vitest"
import { Cause, Data, Deferred, Effect, Equal, Exit, Fiber, Logger, Ref } from "effect"
import * as aio from "effect-asyncio"
import {
  advance,
  defectOf,
  errorsOf,
  failAfter,
  groupErrorDepth,
  isFinished,
  isInterruptedOnly,
  makeProbe,
  nestedCalls,
  probed,
  settle,
  succeedAfter
} from "./utils/fixtures.ts"

class ZeroDivisionError extends Data.TaggedError("ZeroDivisionError")<{ readonly at?: number }> {}
class MyExc extends Data.TaggedError("MyExc")<{}> {}

/** The TaskGroupError of a failed group exit. */
const groupError = <E>(exit: Exit.Exit<unknown, aio.TaskGroupError<E>> | undefined): aio.TaskGroupError<E> => {
  assert.isDefined(exit)
  const errors = errorsOf(exit!)
  assert.strictEqual(errors.length, 1, "one TaskGroupError")
  assert.strictEqual(errors[0]._tag, "TaskGroupError")
  return errors[0]
}

describe("taskGroup", () => {
  describe("success", () => {
    it.effect("waits for every task and returns the body's value (test_taskgroup_01)", () =>
      Effect.gen(function*() {
        const tasks: Array<Fiber.Fiber<number>> = []
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            tasks.push(yield* tg.createTask(succeedAfter(100, 42)))
            tasks.push(yield* tg.createTask(succeedAfter(200, 11)))
            return "body"
          })
        ))
        yield* advance(199)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("body"))
        assert.deepStrictEqual(yield* aio.result(tasks[0]), 42)
        assert.deepStrictEqual(yield* aio.result(tasks[1]), 11)
      }))

    it.effect("accepts tasks created after the body waited (test_taskgroup_02)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            const t1 = yield* tg.createTask(succeedAfter(100, 42))
            yield* Effect.sleep(150)
            const t2 = yield* tg.createTask(succeedAfter(200, 11))
            return [t1, t2] as const
          })
        ))
        yield* advance(349)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        const [t1, t2] = yield* Fiber.join(fiber)
        assert.deepStrictEqual([yield* aio.result(t1), yield* aio.result(t2)], [42, 11])
      }))

    it.effect("returns at once when the body starts no task", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* aio.taskGroup(() => Effect.succeed("empty")), "empty")
      }))

    it.effect("a task cancelled by someone is not an error; the group goes on (test_taskgroup_03)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            const t1 = yield* tg.createTask(succeedAfter(1000, 42))
            yield* Effect.sleep(150)
            yield* aio.cancel(t1)
            const t2 = yield* tg.createTask(succeedAfter(200, 11))
            return [t1, t2] as const
          })
        ))
        yield* advance(350)
        const [t1, t2] = yield* Fiber.join(fiber)
        assert.isTrue(yield* aio.isCancelled(t1))
        assert.strictEqual(yield* aio.result(t2), 11)
      }))

    it.effect("a task that interrupts itself is not an error either", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(Effect.andThen(Effect.sleep(10), Effect.interrupt))
            yield* tg.createTask(succeedAfter(20, "x"))
            return "ok"
          })
        ))
        yield* advance(20)
        assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("ok"))
      }))

    it.effect("running tasks may add tasks while the group waits (test_taskgroup_24)", () =>
      Effect.gen(function*() {
        const done = yield* Ref.make<Array<number>>([])
        const leaf = (delay: number) => Effect.andThen(Effect.sleep(delay), Ref.update(done, (d) => [...d, delay]))
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          tg.createTask(Effect.gen(function*() {
            yield* Effect.sleep(100)
            yield* tg.createTask(leaf(100))
            yield* tg.createTask(leaf(200))
          }))
        ))
        yield* advance(299)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        assert.isTrue(Exit.isSuccess(fiber.pollUnsafe()!))
        assert.deepStrictEqual(yield* Ref.get(done), [100, 200])
      }))

    it.effect("tasks that keep adding tasks are all stopped by one failure (test_taskgroup_25, hydra)", () =>
      Effect.gen(function*() {
        const hydras = yield* Ref.make(0)
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) => {
          const hydra: Effect.Effect<void, string, aio.TaskGroup.TaskErrors<string>> = Effect.gen(function*() {
            yield* Ref.update(hydras, (n) => n + 1)
            yield* Effect.sleep(10)
            yield* tg.createTask(hydra)
            yield* tg.createTask(hydra)
          })
          const hercules = Effect.gen(function*() {
            while ((yield* Ref.get(hydras)) < 10) yield* Effect.sleep(15)
            return yield* Effect.fail("ZeroDivisionError")
          })
          return Effect.andThen(tg.createTask(hydra), tg.createTask(hercules))
        }))
        for (let i = 0; i < 10 && fiber.pollUnsafe() === undefined; i++) yield* advance(15)
        assert.deepStrictEqual(groupError(fiber.pollUnsafe()).errors, ["ZeroDivisionError"])
        assert.isAtLeast(yield* Ref.get(hydras), 10)
      }))

    it.effect("tasks start when the body yields, in creation order", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const say = (line: string) => Ref.update(log, (l) => [...l, line])
        yield* aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(say("task 1"))
            yield* tg.createTask(say("task 2"))
            yield* say("body")
          })
        )
        assert.deepStrictEqual(yield* Ref.get(log), ["body", "task 1", "task 2"])
      }))
  })

  describe("failure", () => {
    it.effect("a failing task interrupts the others and the body, and the group fails with TaskGroupError (test_taskgroup_04)", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const bodyProbe = yield* makeProbe
        const after = yield* Ref.make(0)
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          probed(
            bodyProbe,
            Effect.gen(function*() {
              yield* tg.createTask(failAfter(100, new ZeroDivisionError({})))
              yield* tg.createTask(probed(probe, Effect.andThen(Effect.sleep(1000), Ref.update(after, (n) => n + 1))))
              yield* Effect.sleep(10_000)
              yield* Ref.update(after, (n) => n + 10)
            })
          )
        ))
        yield* advance(99)
        assert.isUndefined(fiber.pollUnsafe())
        yield* advance(1)
        const error = groupError(fiber.pollUnsafe())
        assert.deepStrictEqual(error.errors, [new ZeroDivisionError({})])
        assert.strictEqual(error.message, "unhandled errors in a TaskGroup (1 sub-exception)")
        assert.isTrue(Cause.hasFails(error.cause))
        assert.strictEqual(yield* Ref.get(after), 0)
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
        assert.strictEqual(yield* Ref.get(bodyProbe.interrupted), 1)
        // nothing left: moving time on runs nothing more
        yield* advance(20_000)
        assert.strictEqual(yield* Ref.get(after), 0)
      }))

    it.effect("the first failure stops the tasks failing at the same instant before they fail (test_cancel_children_on_child_error)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(failAfter(100, new ZeroDivisionError({ at: 1 })))
            yield* tg.createTask(failAfter(100, new ZeroDivisionError({ at: 2 })))
            yield* tg.createTask(failAfter(100, new ZeroDivisionError({ at: 3 })))
            yield* tg.createTask(Effect.sleep(5000))
            yield* Effect.sleep(10_000)
          })
        ))
        yield* advance(100)
        const error = groupError(fiber.pollUnsafe())
        // The first failure interrupts the two others before they can fail.
        assert.deepStrictEqual(error.errors, [new ZeroDivisionError({ at: 1 })])
      }))

    it.effect("a task that fails while its siblings are being interrupted adds its error", () =>
      Effect.gen(function*() {
        const cleanupFails = Effect.never.pipe(Effect.onInterrupt(() => Effect.fail(new MyExc())))
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(cleanupFails)
            yield* tg.createTask(failAfter(100, new ZeroDivisionError({})))
          })
        ))
        yield* advance(100)
        const error = groupError<ZeroDivisionError | MyExc>(fiber.pollUnsafe())
        assert.deepStrictEqual(error.errors, [new ZeroDivisionError({}), new MyExc()])
        assert.strictEqual(error.message, "unhandled errors in a TaskGroup (2 sub-exceptions)")
      }))

    it.effect("the body's failure interrupts the tasks and is reported in errors (test_taskgroup_09)", () =>
      Effect.gen(function*() {
        const tasks: Array<Fiber.Fiber<number>> = []
        const exit = yield* Effect.exit(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            tasks.push(yield* tg.createTask(succeedAfter(1000, 42)))
            tasks.push(yield* tg.createTask(succeedAfter(2000, 11)))
            yield* Effect.yieldNow
            return yield* Effect.fail(new ZeroDivisionError({}))
          })
        ))
        assert.deepStrictEqual(groupError(exit).errors, [new ZeroDivisionError({})])
        assert.isTrue(yield* aio.isCancelled(tasks[0]))
        assert.isTrue(yield* aio.isCancelled(tasks[1]))
      }))

    it.effect("a body that fails before its tasks started cancels them before they run (test_taskgroup_10)", () =>
      Effect.gen(function*() {
        const ran = yield* Ref.make(false)
        const tasks: Array<Fiber.Fiber<void>> = []
        const exit = yield* Effect.exit(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            tasks.push(yield* tg.createTask(Ref.set(ran, true)))
            return yield* Effect.fail(new ZeroDivisionError({}))
          })
        ))
        assert.deepStrictEqual(groupError(exit).errors, [new ZeroDivisionError({})])
        assert.isTrue(yield* aio.isCancelled(tasks[0]))
        assert.isFalse(yield* Ref.get(ran))
      }))

    it.effect("a task's defect fails the group with the defect in the cause and no typed error", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(Effect.andThen(Effect.sleep(10), Effect.die("bug")))
            yield* tg.createTask(probed(probe, Effect.never))
          })
        ))
        yield* advance(10)
        const error = groupError(fiber.pollUnsafe())
        assert.deepStrictEqual(error.errors, [])
        assert.strictEqual(
          Cause.findDefect(error.cause).pipe((r) => r._tag === "Success" ? r.success : undefined),
          "bug"
        )
        assert.strictEqual(yield* Ref.get(probe.interrupted), 1)
      }))

    it.effect("the body's finalizer failing while it is interrupted joins the errors (test_taskgroup_19)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(failAfter(100, new ZeroDivisionError({})))
            yield* Effect.sleep(10_000).pipe(Effect.onInterrupt(() => Effect.fail(new MyExc())))
          })
        ))
        yield* advance(100)
        const error = groupError<ZeroDivisionError | MyExc>(fiber.pollUnsafe())
        assert.deepStrictEqual(error.errors, [new ZeroDivisionError({}), new MyExc()])
      }))

    it.effect("the group returns only after the interrupted tasks have finished their finalizers", () =>
      Effect.gen(function*() {
        const log = yield* Ref.make<Array<string>>([])
        const slowCleanup = Effect.never.pipe(
          Effect.onInterrupt(() => Effect.andThen(Effect.sleep(50), Ref.update(log, (l) => [...l, "cleaned"])))
        )
        const fiber = yield* Effect.forkChild(Effect.andThen(
          Effect.exit(aio.taskGroup((tg) =>
            Effect.gen(function*() {
              yield* tg.createTask(slowCleanup)
              yield* tg.createTask(failAfter(10, "boom"))
            })
          )),
          Ref.update(log, (l) => [...l, "group returned"])
        ))
        yield* advance(10)
        assert.deepStrictEqual(yield* Ref.get(log), [])
        yield* advance(50)
        assert.deepStrictEqual(yield* Ref.get(log), ["cleaned", "group returned"])
        assert.isDefined(fiber.pollUnsafe())
      }))
  })

  describe("nesting", () => {
    it.effect("an inner group's failure is a TaskGroupError inside the outer one (test_taskgroup_14)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(aio.taskGroup((g1) =>
          Effect.gen(function*() {
            yield* g1.createTask(failAfter(10_000, "crash after 10 s"))
            yield* aio.taskGroup((g2) => g2.createTask(failAfter(100, "crash after 0.1 s")))
          })
        ))
        yield* advance(100)
        const outer = groupError(fiber.pollUnsafe())
        assert.strictEqual(outer.errors.length, 1)
        const inner = outer.errors[0] as aio.TaskGroupError<string>
        assert.strictEqual(inner._tag, "TaskGroupError")
        assert.deepStrictEqual(inner.errors, ["crash after 0.1 s"])
      }))

    it.effect("an outer task's failure interrupts an inner group, which ends interrupted (test_taskgroup_13)", () =>
      Effect.gen(function*() {
        const innerExit = yield* Ref.make<Exit.Exit<unknown, unknown> | undefined>(undefined)
        const fiber = yield* Effect.forkChild(aio.taskGroup((g1) =>
          Effect.gen(function*() {
            yield* g1.createTask(failAfter(100, "crash after 0.1 s"))
            yield* aio.taskGroup((g2) => g2.createTask(failAfter(10_000, "crash after 10 s"))).pipe(
              Effect.onExit((exit) => Ref.set(innerExit, exit))
            )
          })
        ))
        yield* advance(100)
        assert.deepStrictEqual(groupError(fiber.pollUnsafe()).errors, ["crash after 0.1 s"])
        assert.isTrue(isInterruptedOnly((yield* Ref.get(innerExit))!))
      }))
  })

  // Issue 9, item 5: an error of nested groups holds each failure once.
  describe("errors of nested groups", () => {
    class Leaf extends Data.TaggedError("Leaf")<{ readonly n: number }> {}
    const nestedGroups = (depth: number, n: number): Effect.Effect<never, unknown> =>
      depth === 0
        ? aio.taskGroup((tg) => tg.createTask(Effect.fail(new Leaf({ n })))) as Effect.Effect<never, unknown>
        : aio.taskGroup((tg) => tg.createTask(nestedGroups(depth - 1, n))) as Effect.Effect<never, unknown>
    const DEPTH = 20

    it.effect(
      "20 nested groups: serialising, comparing, printing and logging the error take time linear in its size",
      () =>
        Effect.gen(function*() {
          const error = (yield* Effect.flip(nestedGroups(DEPTH, 1))) as aio.TaskGroupError<unknown>
          const same = yield* Effect.flip(nestedGroups(DEPTH, 1))
          const other = yield* Effect.flip(nestedGroups(DEPTH, 2))

          let level: unknown = error
          for (let i = 0; i <= DEPTH; i++) {
            assert.instanceOf(level, aio.TaskGroupError)
            assert.strictEqual((level as aio.TaskGroupError).errors.length, 1)
            level = (level as aio.TaskGroupError).errors[0]
          }
          assert.deepStrictEqual(level, new Leaf({ n: 1 }))

          const json = JSON.stringify(error)
          assert.strictEqual(json.split("unhandled errors in a TaskGroup").length - 1, DEPTH + 1, "each group once")
          assert.strictEqual(json.split("\"Leaf\"").length - 1, 1, "the failure once")

          assert.isTrue(Equal.equals(error, same))
          assert.isFalse(Equal.equals(error, other))

          const pretty = Cause.pretty(Cause.fail(error))
          assert.strictEqual(pretty.split("unhandled errors in a TaskGroup").length - 1, DEPTH + 1)

          const logged: Array<string> = []
          const logger = Logger.make((options) => {
            logged.push(JSON.stringify(Logger.formatStructured.log(options)))
          })
          yield* Effect.logError("the group failed", Cause.fail(error)).pipe(
            Effect.provide(Logger.layer([logger]))
          )
          assert.strictEqual(logged.length, 1)
          assert.isBelow(logged[0].length, 20_000, "the log line grows with the depth, not with 2^depth")
        }),
      2_000
    )
  })

  describe("interruption", () => {
    it.effect("interrupting the group interrupts every task and the body, waits, and ends interrupted (test_cancellation)", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const bodyProbe = yield* makeProbe
        const tasks: Array<Fiber.Fiber<void>> = []
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          probed(
            bodyProbe,
            Effect.gen(function*() {
              for (let i = 0; i < 5; i++) tasks.push(yield* tg.createTask(probed(probe, Effect.sleep(5000))))
              yield* Effect.sleep(10_000)
            })
          )
        ))
        yield* advance(100)
        assert.isUndefined(fiber.pollUnsafe())
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 5)
        assert.strictEqual(yield* Ref.get(probe.finalized), 5)
        assert.strictEqual(yield* Ref.get(bodyProbe.interrupted), 1)
        assert.isTrue(tasks.every(isFinished))
      }))

    it.effect("interrupted from outside while the body's cleanup fails: ends interrupted, the error kept in the cause (test_taskgroup_18)", () =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(
          aio.taskGroup(() => Effect.sleep(10_000).pipe(Effect.onInterrupt(() => Effect.fail(new MyExc()))))
        )
        yield* advance(100)
        yield* Fiber.interrupt(fiber)
        const exit = fiber.pollUnsafe()!
        assert.isTrue(Exit.hasInterrupts(exit))
        const errors = errorsOf(exit)
        assert.strictEqual(errors.length, 1)
        assert.deepStrictEqual((errors[0] as aio.TaskGroupError<MyExc>).errors, [new MyExc()])
      }))

    it.effect("a body that interrupts itself stops the tasks and the group ends interrupted", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const exit = yield* Effect.exit(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            yield* tg.createTask(probed(probe, Effect.never))
            yield* Effect.yieldNow
            return yield* Effect.interrupt
          })
        ))
        assert.isTrue(isInterruptedOnly(exit))
        assert.strictEqual(yield* Ref.get(probe.finalized), 1)
      }))

    it.effect("interrupting an outer group interrupts nested groups (test_taskgroup_12)", () =>
      Effect.gen(function*() {
        const probe = yield* makeProbe
        const fiber = yield* Effect.forkChild(aio.taskGroup((g1) =>
          Effect.gen(function*() {
            yield* g1.createTask(probed(probe, Effect.sleep(10_000)))
            yield* aio.taskGroup((g2) =>
              Effect.gen(function*() {
                for (let i = 0; i < 5; i++) yield* g2.createTask(probed(probe, failAfter(1000, "later")))
                yield* Effect.sleep(10_000)
              })
            )
          })
        ))
        yield* advance(100)
        yield* Fiber.interrupt(fiber)
        assert.isTrue(isInterruptedOnly(fiber.pollUnsafe()!))
        assert.strictEqual(yield* Ref.get(probe.interrupted), 6)
      }))
  })

  describe("misuse", () => {
    // The misuse table (test/misuse.test.ts) builds a group shutting down from outside; here a task of the group
    // calls createTask from its own cleanup, and the group's outcome must not change (its errors stay ["boom"]).
    it.effect("createTask on a group that is shutting down dies with IllegalArgumentError", () =>
      Effect.gen(function*() {
        const late = yield* Ref.make<Exit.Exit<unknown, unknown> | undefined>(undefined)
        const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
          Effect.gen(function*() {
            // this task tries to add a task from its own cleanup, after the group
            // started shutting down
            yield* tg.createTask(Effect.never.pipe(
              Effect.onInterrupt(() =>
                Effect.flatMap(Effect.exit(tg.createTask(Effect.void)), (exit) => Ref.set(late, exit))
              )
            ))
            yield* tg.createTask(failAfter(10, "boom"))
          })
        ))
        yield* advance(10)
        assert.deepStrictEqual(groupError(fiber.pollUnsafe()).errors, ["boom"])
        assert.strictEqual(
          (defectOf((yield* Ref.get(late))!) as Error).message,
          "TaskGroup.createTask: cannot create a task, the task group is shutting down"
        )
      }))
  })

  it.effect("the handle prints its state", () =>
    Effect.gen(function*() {
      const handle = yield* aio.taskGroup((tg) => Effect.succeed(tg))
      assert.deepStrictEqual(handle.toJSON(), { _id: "TaskGroup", state: "finished", tasks: 0 })
    }))
})

// Issue 9, item 7: resumption is iterative; the 100,000-deep case is in test/stress.integration.test.ts.
describe("taskGroup nested 1,000 deep", () => {
  it.effect("groups each awaiting the next, the innermost failing: a TaskGroupError 1,000 deep, no stack overflow", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
        1000,
        (inner) => aio.taskGroup((tg) => Effect.flatMap(tg.createTask(inner), Fiber.join)),
        Effect.fail("innermost failed")
      ))
      assert.deepStrictEqual(groupErrorDepth(errorsOf(exit)[0]), { depth: 1000, leaf: "innermost failed" })
    }))

  it.effect("bodies each awaiting the next: the innermost's failure comes out 1,000 groups deep", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(nestedCalls<unknown, unknown>(
        1000,
        (inner) => aio.taskGroup(() => inner),
        Effect.andThen(Effect.yieldNow, Effect.fail("innermost failed"))
      ))
      assert.deepStrictEqual(groupErrorDepth(errorsOf(exit)[0]), { depth: 1000, leaf: "innermost failed" })
    }))
})

// Issue 13, item 4: TaskGroup.cancel (asyncio 3.15).
describe("TaskGroup.cancel", () => {
  it.effect("from the body: every task and the body stop, the group ends normally with undefined", () =>
    Effect.gen(function*() {
      const probe = yield* makeProbe
      const result = yield* aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(probed(probe, Effect.never))
          yield* tg.createTask(probed(probe, Effect.never))
          yield* Effect.yieldNow
          yield* tg.cancel
          return "never returned"
        })
      )
      assert.isUndefined(result)
      assert.strictEqual(yield* Ref.get(probe.interrupted), 2)
    }))

  it.effect("from a task: the group ends normally, with the body's value when the body had returned", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(Effect.never)
          yield* tg.createTask(Effect.andThen(Effect.sleep(10), tg.cancel))
          return "body done"
        })
      ))
      yield* advance(10)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("body done"))
    }))

  it.effect("from a task while the body still runs: the body is interrupted, the value is undefined", () =>
    Effect.gen(function*() {
      const probe = yield* makeProbe
      const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(Effect.andThen(Effect.sleep(10), tg.cancel))
          yield* probed(probe, Effect.never)
          return "never"
        })
      ))
      yield* advance(10)
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(undefined))
      assert.strictEqual(yield* Ref.get(probe.finalized), 1)
    }))

  it.effect("from outside, through a handle: the group ends normally", () =>
    Effect.gen(function*() {
      const handle = yield* Deferred.make<aio.TaskGroup>()
      const fiber = yield* Effect.forkChild(
        aio.taskGroup((tg) => Effect.andThen(Deferred.succeed(handle, tg), tg.createTask(Effect.never)))
      )
      yield* settle
      const tg = yield* Deferred.await(handle)
      // Outside its group, the handle's cancel carries the group's marker in its requirements.
      yield* (tg.cancel as Effect.Effect<void, never, unknown> as Effect.Effect<void>)
      yield* settle
      assert.strictEqual(fiber.pollUnsafe()?._tag, "Success")
    }))

  it.effect("a failure that happened first wins: cancel on a group shutting down does nothing", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(Effect.fail("boom"))
          yield* tg.createTask(Effect.andThen(Effect.sleep(1), tg.cancel))
          yield* Effect.never
        })
      ))
      assert.deepStrictEqual(groupError(exit).errors, ["boom"])
    }))

  it.effect("a task that fails while being cancelled: nothing lost, the group fails with its error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(Effect.never.pipe(Effect.onInterrupt(() => Effect.fail("cleanup failed"))))
          yield* Effect.yieldNow
          yield* tg.cancel
        })
      ))
      assert.deepStrictEqual(groupError(exit).errors, ["cleanup failed"])
    }))

  it.effect("cancel on a finished group does nothing", () =>
    Effect.gen(function*() {
      const tg = yield* aio.taskGroup((tg) => Effect.succeed(tg))
      yield* (tg.cancel as Effect.Effect<void, never, unknown> as Effect.Effect<void>)
    }))
})

describe("TaskGroup's methods detached from the group", () => {
  it.effect("createTask works destructured", () =>
    Effect.gen(function*() {
      const results = yield* aio.taskGroup(({ createTask }) =>
        Effect.flatMap(Effect.forEach([Effect.succeed(1), Effect.succeed(2)], (job) => createTask(job)), Fiber.joinAll)
      )
      assert.deepStrictEqual(results, [1, 2])
    }))
})
