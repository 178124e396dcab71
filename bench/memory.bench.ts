/**
 * Memory per pending task: N tasks are started through each primitive and
 * all wait on one shared gate (a `Deferred`, a promise, an `asyncio.Event`).
 * While they wait, the child process collects garbage and reads the heap;
 * the difference from before they started, divided by N, is the cost of a
 * pending task, everything included (the task's description, its fiber or
 * promise, the primitive's bookkeeping). Then the gate opens and the results
 * are validated. One variant per fresh process (`--expose-gc`).
 */
import * as aio from "effect-asyncio"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import { identity } from "effect/Function"
import * as Stream from "effect/Stream"
import pTimeout from "p-timeout"
import { asCompleted } from "./baselines/asCompleted.ts"
import { taskGroup } from "./baselines/taskGroup.ts"
import {
  checkIndices,
  checkPermutation,
  type Kind,
  type MemoryVariant,
  type MemoryWorkload,
  type PendingTasks,
  type Role,
  timerProbe
} from "./harness.ts"
import { range } from "./tasks.ts"

const TIMEOUT_MS = 10_000

/** Resolves `started` once the n-th task has called `tick`. */
const startCounter = (n: number) => {
  let count = 0
  let resolve: () => void = () => {}
  const started = new Promise<void>((r) => (resolve = r))
  return {
    started,
    tick: () => {
      if (++count === n) resolve()
    }
  }
}

/** An Effect variant: `build(task)` runs the N pending tasks made by `task(i)`. */
const effectVariant = (
  n: number,
  name: string,
  kind: Kind,
  role: Role | undefined,
  build: (task: (i: number) => Effect.Effect<number>) => Effect.Effect<unknown, unknown>,
  check: (result: unknown) => void,
  timers?: ReturnType<typeof timerProbe>
): MemoryVariant => ({
  name,
  kind,
  role,
  check,
  start: async (): Promise<PendingTasks> => {
    timers?.mark()
    const gate = Deferred.makeUnsafe<void>()
    const counter = startCounter(n)
    const tick = Effect.sync(counter.tick)
    const waitGate = Deferred.await(gate)
    const fiber = Effect.runFork(build((i) => Effect.andThen(tick, Effect.as(waitGate, i))))
    await counter.started
    return {
      release: () => {
        Deferred.doneUnsafe(gate, Effect.void)
        return Effect.runPromise(Fiber.join(fiber))
      }
    }
  }
})

/** A promise variant: `build(task)` starts the N pending tasks made by `task(i)` and returns their outcome. */
const promiseVariant = (
  n: number,
  name: string,
  role: Role | undefined,
  build: (task: (i: number) => Promise<number>) => Promise<unknown>,
  check: (result: unknown) => void,
  timers?: ReturnType<typeof timerProbe>
): MemoryVariant => ({
  name,
  kind: "promise",
  role,
  check,
  start: async (): Promise<PendingTasks> => {
    timers?.mark()
    let open: () => void = () => {}
    const gate = new Promise<void>((r) => (open = r))
    const counter = startCounter(n)
    const outcome = build(async (i) => {
      counter.tick()
      await gate
      return i
    })
    await counter.started
    return {
      release: () => {
        open()
        return outcome
      }
    }
  }
})

const indicesCheck = (n: number) => (result: unknown) => checkIndices(result, n)

/** Results in order, and every timeout's timer cleared (timers are counted from `start`). */
const timeoutCheck = (n: number, timers: ReturnType<typeof timerProbe>) => (result: unknown) => {
  checkIndices(result, n)
  timers.check()
}

const all = <A, E>(effects: ReadonlyArray<Effect.Effect<A, E>>) => Effect.all(effects, { concurrency: "unbounded" })

const memoryWorkload = (
  id: string,
  title: string,
  description: string,
  variants: (n: number) => ReadonlyArray<MemoryVariant>
): MemoryWorkload => ({ kind: "memory", id, suite: "memory", title, description, variants })

export const memoryTasks = memoryWorkload(
  "memory-tasks",
  "pending tasks",
  "N tasks started one by one, all waiting; the caller then joins them.",
  (n) => [
    effectVariant(
      n,
      "aio.createTask",
      "effect-asyncio",
      "ours",
      (task) => Effect.flatMap(Effect.forEach(range(n), (i) => aio.createTask(task(i))), Fiber.joinAll),
      indicesCheck(n)
    ),
    effectVariant(
      n,
      "Effect.forkChild",
      "effect",
      "raw",
      (task) => Effect.flatMap(Effect.forEach(range(n), (i) => Effect.forkChild(task(i))), Fiber.joinAll),
      indicesCheck(n)
    ),
    promiseVariant(n, "async function", "promise", (task) => {
      const tasks = range(n).map(task)
      return Promise.all(tasks)
    }, indicesCheck(n))
  ]
)

export const memoryGather = memoryWorkload(
  "memory-gather",
  "pending gather",
  "One gather of N tasks, all waiting.",
  (n) => [
    effectVariant(n, "aio.gather", "effect-asyncio", "ours", (task) => aio.gather(range(n).map(task)), indicesCheck(n)),
    effectVariant(n, "Effect.all unbounded", "effect", "raw", (task) => all(range(n).map(task)), indicesCheck(n)),
    promiseVariant(n, "Promise.all", "promise", (task) => Promise.all(range(n).map(task)), indicesCheck(n))
  ]
)

export const memoryTaskGroup = memoryWorkload(
  "memory-task-group",
  "pending task group",
  "One task group holding N tasks, all waiting.",
  (n) => {
    const fibersCheck = (result: unknown) =>
      checkIndices(
        (result as ReadonlyArray<Fiber.Fiber<number, unknown>>).map((fiber) => {
          const exit = fiber.pollUnsafe()
          return exit?._tag === "Success" ? exit.value : undefined
        }),
        n
      )
    return [
      effectVariant(
        n,
        "aio.taskGroup",
        "effect-asyncio",
        "ours",
        (task) => aio.taskGroup((tg) => Effect.forEach(range(n), (i) => tg.createTask(task(i)))),
        fibersCheck
      ),
      effectVariant(
        n,
        "FiberSet",
        "effect",
        "raw",
        (task) =>
          Effect.scoped(Effect.gen(function*() {
            const set = yield* FiberSet.make<number>()
            const fibers = yield* Effect.forEach(range(n), (i) => FiberSet.run(set, task(i)))
            yield* FiberSet.awaitEmpty(set)
            return fibers
          })),
        fibersCheck
      ),
      promiseVariant(
        n,
        "baseline taskGroup",
        "promise",
        (task) =>
          taskGroup(async (tg) => range(n).map((i) => tg.createTask(() => task(i)))).then((t) => Promise.all(t)),
        indicesCheck(n)
      )
    ]
  }
)

export const memoryTimeout = memoryWorkload(
  "memory-timeout",
  "pending tasks under a timeout",
  "N tasks, each under its own 10 s timeout, all waiting (gathered with Effect.all / Promise.all).",
  (n) => {
    const effectTimeout = (
      name: string,
      kind: Kind,
      role: Role | undefined,
      under: (effect: Effect.Effect<number>) => Effect.Effect<number, unknown>
    ) => {
      const timers = timerProbe()
      return effectVariant(
        n,
        name,
        kind,
        role,
        (task) => all(range(n).map((i) => under(task(i)))),
        timeoutCheck(n, timers),
        timers
      )
    }
    const timers = timerProbe()
    return [
      effectTimeout("aio.waitFor", "effect-asyncio", "ours", (effect) => aio.waitFor(effect, TIMEOUT_MS)),
      effectTimeout("aio.timeout", "effect-asyncio", undefined, (effect) => aio.timeout(TIMEOUT_MS, effect)),
      effectTimeout("Effect.timeout", "effect", "raw", (effect) => Effect.timeout(effect, TIMEOUT_MS)),
      promiseVariant(
        n,
        "p-timeout",
        "promise",
        (task) => Promise.all(range(n).map((i) => pTimeout(task(i), { milliseconds: TIMEOUT_MS }))),
        timeoutCheck(n, timers),
        timers
      )
    ]
  }
)

export const memoryAsCompleted = memoryWorkload(
  "memory-as-completed",
  "pending as_completed",
  "One as_completed over N tasks, all waiting, its consumer waiting for the first result.",
  (n) => [
    effectVariant(
      n,
      "aio.asCompleted",
      "effect-asyncio",
      "ours",
      (task) => Stream.runCollect(aio.asCompleted(range(n).map(task))),
      (result) => checkPermutation(result, n)
    ),
    effectVariant(
      n,
      "Stream.mapEffect unordered",
      "effect",
      "raw",
      (task) =>
        Stream.runCollect(
          Stream.fromIterable(range(n).map(task)).pipe(
            Stream.mapEffect(identity, { concurrency: "unbounded", unordered: true })
          )
        ),
      (result) => checkPermutation(result, n)
    ),
    promiseVariant(n, "baseline asCompleted", "promise", async (task) => {
      const out: Array<number> = []
      for await (const value of asCompleted(range(n).map(task), new AbortController())) out.push(value)
      return out
    }, (result) => checkPermutation(result, n))
  ]
)

export const workloads = [memoryTasks, memoryGather, memoryTaskGroup, memoryTimeout, memoryAsCompleted]
