/**
 * `asCompleted`: N tasks that each yield once and return their index, all
 * running at once; the results are consumed one by one in the order they
 * finish and collected.
 */
import * as aio from "effect-asyncio"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Stream from "effect/Stream"
import { asCompleted } from "./baselines/asCompleted.ts"
import { checkIndices, checkPermutation, timed, type TimedWorkload } from "./harness.ts"
import { effectTasks, fiberFloor, promiseTask, range } from "./tasks.ts"

export const asCompletedWorkload: TimedWorkload = {
  kind: "timed",
  id: "as-completed",
  suite: "asCompleted",
  title: "as_completed over N",
  description: "N tasks run at once; each result is consumed as soon as it is ready (a stream or an async iterator).",
  variants: (n) => {
    const effects = effectTasks(n)
    const indices = range(n)
    const check = (result: unknown) => checkPermutation(result, n)
    return [
      timed({
        name: "aio.asCompleted",
        kind: "effect-asyncio",
        role: "ours",
        run: () => Effect.runPromise(Stream.runCollect(aio.asCompleted(effects))),
        check
      }),
      timed({
        name: "Stream.mapEffect unordered",
        kind: "effect",
        role: "raw",
        run: () =>
          Effect.runPromise(
            Stream.runCollect(
              Stream.fromIterable(effects).pipe(
                Stream.mapEffect(identity, { concurrency: "unbounded", unordered: true })
              )
            )
          ),
        check
      }),
      timed({
        name: "fiber floor: forkChild + join",
        kind: "effect",
        role: "floor",
        run: () => fiberFloor(effects),
        check: (result: unknown) => checkIndices(result, n)
      }),
      timed({
        name: "baseline asCompleted (for await)",
        kind: "promise",
        role: "promise",
        run: async () => {
          const out: Array<number> = []
          for await (const value of asCompleted(indices.map(promiseTask), new AbortController())) out.push(value)
          return out
        },
        check
      })
    ]
  }
}

export const workloads = [asCompletedWorkload]
