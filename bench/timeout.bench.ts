/**
 * `waitFor` and `timeout`: N tasks that each yield once and return their
 * index, each under its own 10 s timeout (which never fires), all running
 * at once. Every Effect variant gathers with the same `Effect.all`, so only
 * the timeout differs. After each run no timer may be left scheduled.
 */
import * as aio from "effect-asyncio"
import * as Effect from "effect/Effect"
import pTimeout from "p-timeout"
import { withTimeout } from "./baselines/abortable.ts"
import { checkIndices, timed, type TimedWorkload, timerProbe } from "./harness.ts"
import { effectTasks, promiseTask, range } from "./tasks.ts"

const TIMEOUT_MS = 10_000

export const timeoutWorkload: TimedWorkload = {
  kind: "timed",
  id: "timeout",
  suite: "timeout",
  title: "N tasks, each under a timeout that does not fire",
  description: "N tasks run at once, each under its own 10 s timeout; no timer may be left behind.",
  variants: (n) => {
    const effects = effectTasks(n)
    const indices = range(n)
    const timers = timerProbe()
    const check = (result: unknown) => {
      checkIndices(result, n)
      timers.check()
    }
    const marked = <T>(run: () => Promise<T>) => () => {
      timers.mark()
      return run()
    }
    const all = <A, E>(list: ReadonlyArray<Effect.Effect<A, E>>) => Effect.all(list, { concurrency: "unbounded" })
    const underWaitFor = effects.map((effect) => aio.waitFor(effect, TIMEOUT_MS))
    const underTimeout = effects.map((effect) => aio.timeout(TIMEOUT_MS, effect))
    const underEffectTimeout = effects.map((effect) => Effect.timeout(effect, TIMEOUT_MS))
    return [
      timed({
        name: "aio.waitFor",
        kind: "effect-asyncio",
        role: "ours",
        run: marked(() => Effect.runPromise(all(underWaitFor))),
        check
      }),
      timed({
        name: "aio.timeout",
        kind: "effect-asyncio",
        run: marked(() => Effect.runPromise(all(underTimeout))),
        check
      }),
      timed({
        name: "Effect.timeout",
        kind: "effect",
        role: "raw",
        run: marked(() => Effect.runPromise(all(underEffectTimeout))),
        check
      }),
      timed({
        name: "p-timeout",
        kind: "promise",
        role: "promise",
        run: marked(() => Promise.all(indices.map((i) => pTimeout(promiseTask(i), { milliseconds: TIMEOUT_MS })))),
        check
      }),
      timed({
        name: "setTimeout/clearTimeout race",
        kind: "promise",
        run: marked(() => Promise.all(indices.map((i) => withTimeout(promiseTask(i), TIMEOUT_MS)))),
        check
      })
    ]
  }
}

export const workloads = [timeoutWorkload]
