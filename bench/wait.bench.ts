/**
 * `wait` with `FIRST_COMPLETED`: N tasks start; task 0 yields once and
 * returns 0, every other task yields once and then sleeps 10 s. The first
 * result is taken and the other N - 1 tasks are cancelled; the run ends
 * when all of them have stopped (their cancellation handler has run).
 */
import * as aio from "effect-asyncio"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { sleep } from "./baselines/abortable.ts"
import { wait } from "./baselines/wait.ts"
import { checkIndices, fail, timed, type TimedWorkload, timerProbe } from "./harness.ts"
import { effectTasks, fiberFloor, range } from "./tasks.ts"

const suite = "wait"

const LOSER_SLEEP_MS = 10_000

/** Counts the losers that started and those that have stopped since. */
interface Counter {
  started: number
  stopped: number
}

interface FirstOutcome {
  readonly winner: number
  /** Losers that started and had not stopped when the run ended. */
  readonly running: number
}

// A loser may be interrupted before it starts, or at its yield before it
// reaches the sleep (the winner's observer can resume the waiting fiber
// before the losers run again): only those that started are counted, and
// every one of them must have stopped.
const effectTask = (i: number, counter: Counter): Effect.Effect<number> =>
  i === 0
    ? Effect.as(Effect.yieldNow, 0)
    : Effect.suspend(() => {
      counter.started++
      return Effect.ensuring(
        Effect.andThen(Effect.yieldNow, Effect.as(Effect.sleep(LOSER_SLEEP_MS), i)),
        Effect.sync(() => void counter.stopped++)
      )
    })

const promiseTask = async (i: number, signal: AbortSignal, counter: Counter): Promise<number> => {
  await null
  if (i === 0) return 0
  counter.started++
  try {
    await sleep(LOSER_SLEEP_MS, signal)
  } finally {
    counter.stopped++
  }
  return i
}

const outcome = (winner: number, counter: Counter): FirstOutcome => ({
  winner,
  running: counter.started - counter.stopped
})

export const firstCompleted: TimedWorkload = {
  kind: "timed",
  id: "first-completed",
  suite,
  title: "first completed of N, cancel the rest",
  description:
    "N tasks start; task 0 returns after one yield, the others sleep 10 s. Take the first result, cancel the other N - 1 and wait until they have stopped.",
  variants: (n) => {
    const counter: Counter = { started: 0, stopped: 0 }
    const reset = () => {
      counter.started = 0
      counter.stopped = 0
    }
    const effects = range(n).map((i) => effectTask(i, counter))
    const floorEffects = effectTasks(n)
    const indices = range(n)
    const timers = timerProbe()
    const check = (result: FirstOutcome) => {
      if (result.winner !== 0) fail(`winner should be task 0, got ${result.winner}`)
      if (result.running !== 0) fail(`${result.running} losers still running`)
      timers.check()
    }
    return [
      timed({
        name: "aio.wait FIRST_COMPLETED + interrupt",
        kind: "effect-asyncio",
        role: "ours",
        run: () => {
          reset()
          timers.mark()
          return Effect.runPromise(Effect.gen(function*() {
            const tasks = yield* Effect.forEach(effects, (effect) => aio.createTask(effect))
            const { done, pending } = yield* aio.wait(tasks, { returnWhen: aio.FIRST_COMPLETED })
            yield* Fiber.interruptAll(pending)
            const stopped = tasks.every((task) => task.pollUnsafe() !== undefined)
            return outcome(stopped ? yield* Fiber.join(done[0]) : -1, counter)
          }))
        },
        check
      }),
      timed({
        name: "Effect.raceAll",
        kind: "effect",
        role: "raw",
        run: () => {
          reset()
          timers.mark()
          return Effect.runPromise(Effect.map(Effect.raceAll(effects), (winner) => outcome(winner, counter)))
        },
        check
      }),
      timed({
        // asyncio's shape in raw Effect: N forked tasks, wait for one, interrupt the rest.
        name: "forkChild + raceAll(join) + interruptAll",
        kind: "effect",
        role: "raw-asyncio-shaped",
        run: () => {
          reset()
          timers.mark()
          return Effect.runPromise(Effect.gen(function*() {
            const tasks = yield* Effect.forEach(effects, (effect) => Effect.forkChild(effect))
            const winner = yield* Effect.raceAll(tasks.map(Fiber.join))
            yield* Fiber.interruptAll(tasks)
            return outcome(winner, counter)
          }))
        },
        check
      }),
      timed({
        name: "fiber floor: forkChild + join",
        kind: "effect",
        role: "floor",
        run: () => fiberFloor(floorEffects),
        check: (result: unknown) => checkIndices(result, n)
      }),
      timed({
        name: "Promise.race + AbortController",
        kind: "promise",
        role: "promise",
        run: async () => {
          reset()
          timers.mark()
          const controller = new AbortController()
          const promises = indices.map((i) => promiseTask(i, controller.signal, counter))
          const winner = await Promise.race(promises)
          controller.abort()
          await Promise.allSettled(promises)
          return outcome(winner, counter)
        },
        check
      }),
      timed({
        name: "baseline wait FIRST_COMPLETED + abort",
        kind: "promise",
        run: async () => {
          reset()
          timers.mark()
          const controller = new AbortController()
          const promises = indices.map((i) => promiseTask(i, controller.signal, counter))
          const { done, pending } = await wait(promises, { returnWhen: "FIRST_COMPLETED" })
          controller.abort()
          await Promise.allSettled(pending)
          return outcome(await done[0], counter)
        },
        check
      })
    ]
  }
}

export const workloads = [firstCompleted]
