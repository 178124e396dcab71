/**
 * `taskGroup`: a body starts N tasks that each yield once and return their
 * index; the group ends when all have finished.
 */
import * as aio from "effect-asyncio"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import { taskGroup } from "./baselines/taskGroup.ts"
import { checkIndices, fail, timed, type TimedWorkload } from "./harness.ts"
import { effectTasks, promiseTask, range } from "./tasks.ts"

/** The tasks' fibers, all finished, with values `0 .. n - 1`. */
const checkFibers = (fibers: ReadonlyArray<Fiber.Fiber<number, unknown>>, n: number): void =>
  checkIndices(
    fibers.map((fiber) => {
      const exit = fiber.pollUnsafe()
      return exit === undefined
        ? fail("a task is still running after the group ended")
        : exit._tag === "Success"
        ? exit.value
        : exit
    }),
    n
  )

export const taskGroupWorkload: TimedWorkload = {
  kind: "timed",
  id: "task-group",
  suite: "taskGroup",
  title: "task group of N",
  description: "A body starts N tasks in a group (a scope that fails fast); the group ends when all have finished.",
  variants: (n) => {
    const effects = effectTasks(n)
    const indices = range(n)
    const check = (fibers: ReadonlyArray<Fiber.Fiber<number, unknown>>) => checkFibers(fibers, n)
    return [
      timed({
        name: "aio.taskGroup",
        kind: "effect-asyncio",
        role: "ours",
        run: () => Effect.runPromise(aio.taskGroup((tg) => Effect.forEach(effects, (effect) => tg.createTask(effect)))),
        check
      }),
      timed({
        name: "FiberSet.run + awaitEmpty",
        kind: "effect",
        role: "raw",
        run: () =>
          Effect.runPromise(Effect.scoped(Effect.gen(function*() {
            const set = yield* FiberSet.make<number>()
            const fibers = yield* Effect.forEach(effects, (effect) => FiberSet.run(set, effect))
            yield* FiberSet.awaitEmpty(set)
            return fibers
          }))),
        check
      }),
      timed({
        // `tg.createTask` starts its task on the next scheduler tick, as
        // asyncio's `create_task` does; `FiberSet.run` starts it at once
        // unless told otherwise. This is the raw code with the same semantics.
        name: "FiberSet.run startImmediately: false",
        kind: "effect",
        run: () =>
          Effect.runPromise(Effect.scoped(Effect.gen(function*() {
            const set = yield* FiberSet.make<number>()
            const fibers = yield* Effect.forEach(effects, (effect) =>
              FiberSet.run(set, effect, { startImmediately: false }))
            yield* FiberSet.awaitEmpty(set)
            return fibers
          }))),
        check
      }),
      timed({
        // The fiber floor: N bare fibers forked and joined.
        name: "forkChild + Fiber.joinAll",
        kind: "effect",
        role: "floor",
        run: () =>
          Effect.runPromise(Effect.gen(function*() {
            const fibers = yield* Effect.forEach(effects, (effect) => Effect.forkChild(effect))
            yield* Fiber.joinAll(fibers)
            return fibers
          })),
        check
      }),
      timed({
        name: "baseline taskGroup (AbortSignal)",
        kind: "promise",
        role: "promise",
        run: () => taskGroup(async (tg) => indices.map((i) => tg.createTask(() => promiseTask(i)))),
        check: async (tasks: ReadonlyArray<Promise<number>>) => checkIndices(await Promise.all(tasks), n)
      })
    ]
  }
}

export const workloads = [taskGroupWorkload]
