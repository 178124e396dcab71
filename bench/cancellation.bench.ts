/**
 * Cancellation: N tasks start and sleep 10 s; once all are sleeping they are
 * cancelled. Timed: from the cancel request until every task has stopped
 * (its cleanup has run). Reported: cleanups that ran, timers still
 * scheduled and tasks still running afterwards.
 *
 * Promises cannot be cancelled: the "no signal" variant shows what a caller
 * that merely stops waiting leaves behind (N timers that will still fire and
 * N task bodies that will still run); its timers are cleared by the harness
 * afterwards, only so that the benchmark process can exit.
 */
import * as aio from "effect-asyncio"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { sleep } from "./baselines/abortable.ts"
import { activeTimers, type CancelOutcome, type CancelVariant, type CancelWorkload } from "./harness.ts"
import { range } from "./tasks.ts"

const SLEEP_MS = 10_000

/** The per-run state of an Effect variant: N sleeping tasks with a cleanup counter. */
const sleepers = (n: number) => {
  const state = { started: 0, finalizers: 0 }
  const allStarted = Deferred.makeUnsafe<void>()
  // The finalizer wraps the whole task: completing `allStarted` may resume
  // the canceller before the last task has reached its sleep.
  const task = Effect.ensuring(
    Effect.andThen(
      Effect.sync(() => {
        if (++state.started === n) Deferred.doneUnsafe(allStarted, Effect.void)
      }),
      Effect.sleep(SLEEP_MS)
    ),
    Effect.sync(() => void state.finalizers++)
  )
  return { state, task, allStarted: Deferred.await(allStarted) }
}

const running = (fibers: ReadonlyArray<Fiber.Fiber<unknown, unknown>>): number => {
  let count = 0
  for (const fiber of fibers) if (fiber.pollUnsafe() === undefined) count++
  return count
}

/** Starts N sleeping tasks with `aio.createTask`, then cancels them with `cancelAll`. */
const effectVariant = (
  n: number,
  name: string,
  kind: "effect-asyncio" | "effect",
  role: "ours" | "raw" | undefined,
  cancelAll: (fibers: ReadonlyArray<Fiber.Fiber<void, never>>) => Effect.Effect<unknown>
): CancelVariant => ({
  name,
  kind,
  role,
  canCancel: true,
  run: () =>
    Effect.runPromise(Effect.gen(function*() {
      const timersBefore = activeTimers()
      const { state, task, allStarted } = sleepers(n)
      const fibers = yield* Effect.forEach(range(n), () => aio.createTask(task))
      yield* allStarted
      const start = performance.now()
      yield* cancelAll(fibers)
      const ms = performance.now() - start
      return {
        ms,
        finalizers: state.finalizers,
        stillScheduled: activeTimers() - timersBefore,
        stillRunning: running(fibers)
      } satisfies CancelOutcome
    }))
})

export const cancellation: CancelWorkload = {
  kind: "cancel",
  id: "cancellation",
  suite: "cancellation",
  title: "cancel N sleeping tasks",
  description:
    "N tasks sleep 10 s; all are cancelled. Timed from the request until every task has stopped; leftovers counted after.",
  variants: (n) => [
    effectVariant(
      n,
      "aio.cancel each, in turn",
      "effect-asyncio",
      "ours",
      (fibers) => Effect.forEach(fibers, (fiber) => aio.cancel(fiber), { discard: true })
    ),
    effectVariant(
      n,
      "aio.cancel each, concurrently",
      "effect-asyncio",
      undefined,
      (fibers) => Effect.forEach(fibers, (fiber) => aio.cancel(fiber), { concurrency: "unbounded", discard: true })
    ),
    {
      name: "aio.taskGroup interrupted",
      kind: "effect-asyncio",
      canCancel: true,
      run: () =>
        Effect.runPromise(Effect.gen(function*() {
          const timersBefore = activeTimers()
          const { state, task, allStarted } = sleepers(n)
          const fibers: Array<Fiber.Fiber<void, never>> = []
          const group = yield* Effect.forkChild(
            aio.taskGroup((tg) =>
              Effect.forEach(range(n), () => Effect.map(tg.createTask(task), (fiber) => void fibers.push(fiber)), {
                discard: true
              })
            )
          )
          yield* allStarted
          const start = performance.now()
          yield* Fiber.interrupt(group)
          const ms = performance.now() - start
          return {
            ms,
            finalizers: state.finalizers,
            stillScheduled: activeTimers() - timersBefore,
            stillRunning: running(fibers)
          } satisfies CancelOutcome
        }))
    },
    effectVariant(n, "Fiber.interruptAll", "effect", "raw", (fibers) => Fiber.interruptAll(fibers)),
    {
      name: "AbortController",
      kind: "promise",
      role: "promise",
      canCancel: true,
      run: async () => {
        const timersBefore = activeTimers()
        const controller = new AbortController()
        let finalizers = 0
        let stillRunning = 0
        const task = async () => {
          stillRunning++
          try {
            await sleep(SLEEP_MS, controller.signal)
          } finally {
            finalizers++
            stillRunning--
          }
        }
        const tasks = range(n).map(task)
        const start = performance.now()
        controller.abort()
        await Promise.allSettled(tasks)
        const ms = performance.now() - start
        return { ms, finalizers, stillScheduled: activeTimers() - timersBefore, stillRunning }
      }
    },
    {
      name: "no signal (cannot cancel)",
      kind: "promise",
      canCancel: false,
      run: async () => {
        const timersBefore = activeTimers()
        const timers: Array<ReturnType<typeof setTimeout>> = []
        let finalizers = 0
        let stillRunning = 0
        const task = async () => {
          stillRunning++
          try {
            await new Promise<void>((resolve) => timers.push(setTimeout(resolve, SLEEP_MS)))
          } finally {
            finalizers++
            stillRunning--
          }
        }
        const tasks = range(n).map(task)
        const start = performance.now()
        // The best a caller can do: stop waiting. The tasks go on.
        await Promise.race([Promise.all(tasks), Promise.resolve()])
        const ms = performance.now() - start
        const outcome = { ms, finalizers, stillScheduled: activeTimers() - timersBefore, stillRunning }
        for (const timer of timers) clearTimeout(timer)
        return outcome
      }
    }
  ]
}

export const workloads = [cancellation]
