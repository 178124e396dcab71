/**
 * `gather`: N tasks that each yield once and return their index, collected
 * in input order; the same with every tenth task failing (kept, not
 * raised); and the same with at most 16 running at a time.
 */
import * as aio from "effect-asyncio"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import pLimit from "p-limit"
import pMap, { pMapSettled } from "p-map"
import { checkIndices, fail, timed, type TimedWorkload } from "./harness.ts"
import {
  effectTasks,
  effectTasksFailing,
  failsAt,
  fiberFloor,
  isTaskFailed,
  promiseTask,
  promiseTaskOrFail,
  range
} from "./tasks.ts"

const suite = "gather"

/** Each slot is `i`, or the `TaskFailed` of index `i` where `failsAt(i)`, read through `read`. */
const checkSlots = <S>(
  result: ReadonlyArray<S>,
  n: number,
  read: (slot: S) => { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }
): void => {
  if (!Array.isArray(result) || result.length !== n) return fail(`expected ${n} slots`)
  for (let i = 0; i < n; i++) {
    const slot = read(result[i])
    if (failsAt(i)) {
      if (slot.ok || !isTaskFailed(slot.error) || slot.error.index !== i) {
        return fail(`slot ${i} should hold TaskFailed(${i})`)
      }
    } else if (!slot.ok || slot.value !== i) {
      return fail(`slot ${i} should hold ${i}`)
    }
  }
}

const fromExit = (exit: Exit.Exit<number, unknown>) =>
  Exit.isSuccess(exit)
    ? { ok: true as const, value: exit.value }
    : { ok: false as const, error: exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : undefined }

const fromSettled = (settled: PromiseSettledResult<number>) =>
  settled.status === "fulfilled"
    ? { ok: true as const, value: settled.value }
    : { ok: false as const, error: settled.reason as unknown }

export const gatherInOrder: TimedWorkload = {
  kind: "timed",
  id: "gather",
  suite,
  title: "gather in order",
  description: "N tasks run at once; results collected in input order.",
  variants: (n) => {
    const effects = effectTasks(n)
    const indices = range(n)
    const check = (result: unknown) => checkIndices(result, n)
    return [
      timed({
        name: "aio.gather",
        kind: "effect-asyncio",
        role: "ours",
        run: () => Effect.runPromise(aio.gather(effects)),
        check
      }),
      timed({
        name: "Effect.all unbounded",
        kind: "effect",
        role: "raw",
        run: () => Effect.runPromise(Effect.all(effects, { concurrency: "unbounded" })),
        check
      }),
      timed({
        name: "Effect.all unbounded, again (A/A control)",
        kind: "effect",
        role: "control",
        run: () => Effect.runPromise(Effect.all(effects, { concurrency: "unbounded" })),
        check
      }),
      timed({
        name: "fiber floor: forkChild + join",
        kind: "effect",
        role: "floor",
        run: () => fiberFloor(effects),
        check: check
      }),
      timed({
        name: "Promise.all",
        kind: "promise",
        role: "promise",
        run: () => Promise.all(indices.map(promiseTask)),
        check
      }),
      timed({ name: "p-map", kind: "promise", run: () => pMap(indices, promiseTask), check })
    ]
  }
}

export const gatherExceptions: TimedWorkload = {
  kind: "timed",
  id: "gather-exceptions",
  suite,
  title: "gather, every 10th fails (kept)",
  description: "As `gather`, with every tenth task failing; every outcome is kept (returnExceptions / allSettled).",
  variants: (n) => {
    const effects = effectTasksFailing(n)
    const indices = range(n)
    return [
      timed({
        name: "aio.gather returnExceptions",
        kind: "effect-asyncio",
        role: "ours",
        run: () => Effect.runPromise(aio.gather(effects, { returnExceptions: true })),
        check: (result) => checkSlots(result, n, fromExit)
      }),
      timed({
        name: "Effect.all mode: result",
        kind: "effect",
        role: "raw",
        run: () => Effect.runPromise(Effect.all(effects, { concurrency: "unbounded", mode: "result" })),
        check: (result) =>
          checkSlots(
            result,
            n,
            (r) => r._tag === "Success" ? { ok: true, value: r.success } : { ok: false, error: r.failure }
          )
      }),
      timed({
        name: "Effect.all of Effect.exit",
        kind: "effect",
        run: () => Effect.runPromise(Effect.all(effects.map(Effect.exit), { concurrency: "unbounded" })),
        check: (result) => checkSlots(result, n, fromExit)
      }),
      timed({
        name: "Promise.allSettled",
        kind: "promise",
        role: "promise",
        run: () => Promise.allSettled(indices.map(promiseTaskOrFail)),
        check: (result) => checkSlots(result, n, fromSettled)
      }),
      timed({
        name: "p-map settled",
        kind: "promise",
        run: () => pMapSettled(indices, promiseTaskOrFail),
        check: (result) => checkSlots(result, n, fromSettled)
      })
    ]
  }
}

export const gatherBounded: TimedWorkload = {
  kind: "timed",
  id: "gather-bounded",
  suite,
  title: "gather, concurrency 16",
  description: "As `gather`, with at most 16 tasks running at a time.",
  variants: (n) => {
    const effects = effectTasks(n)
    const indices = range(n)
    const check = (result: unknown) => checkIndices(result, n)
    return [
      timed({
        name: "aio.gather concurrency 16",
        kind: "effect-asyncio",
        role: "ours",
        run: () => Effect.runPromise(aio.gather(effects, { concurrency: 16 })),
        check
      }),
      timed({
        name: "Effect.all concurrency 16",
        kind: "effect",
        role: "raw",
        run: () => Effect.runPromise(Effect.all(effects, { concurrency: 16 })),
        check
      }),
      timed({
        name: "p-map concurrency 16",
        kind: "promise",
        role: "promise",
        run: () => pMap(indices, promiseTask, { concurrency: 16 }),
        check
      }),
      timed({
        name: "p-limit 16",
        kind: "promise",
        run: () => {
          const limit = pLimit(16)
          return Promise.all(indices.map((i) => limit(() => promiseTask(i))))
        },
        check
      })
    ]
  }
}

export const workloads = [gatherInOrder, gatherExceptions, gatherBounded]
