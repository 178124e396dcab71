/**
 * The unit of work every workload is made of, written once per runtime:
 * a task that yields to the scheduler once and returns its index.
 *
 * - Effect: `Effect.yieldNow`, which puts the fiber back on Effect's
 *   scheduler (a `setImmediate` batch on Node).
 * - Promises: `await null`, one microtask.
 * - CPython (`python/asyncio_bench.py`): `await asyncio.sleep(0)`, one turn
 *   of the event loop.
 *
 * These are the cheapest honest "yield once" of each runtime, so the
 * workloads measure the concurrency machinery around the tasks.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"

/** Every tenth task fails in the `gather-exceptions` workload. */
export const failsAt = (i: number): boolean => i % 10 === 0

/** The error a failing task raises: a plain tagged object (no stack trace), in Effect and in promises alike. */
export interface TaskFailed {
  readonly _tag: "TaskFailed"
  readonly index: number
}

export const taskFailed = (index: number): TaskFailed => ({ _tag: "TaskFailed", index })

export const isTaskFailed = (u: unknown): u is TaskFailed =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "TaskFailed"

/** `[0, 1, ..., n - 1]`. */
export const range = (n: number): Array<number> => {
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}

// Effect -----------------------------------------------------------------

/** Yields once, returns `i`. */
export const yieldOnce = (i: number): Effect.Effect<number> => Effect.as(Effect.yieldNow, i)

/** Yields once, then fails with `TaskFailed` when `failsAt(i)`, else returns `i`. */
export const yieldOnceOrFail = (i: number): Effect.Effect<number, TaskFailed> =>
  failsAt(i) ? Effect.andThen(Effect.yieldNow, Effect.fail(taskFailed(i))) : yieldOnce(i)

export const effectTasks = (n: number): Array<Effect.Effect<number>> => range(n).map(yieldOnce)

export const effectTasksFailing = (n: number): Array<Effect.Effect<number, TaskFailed>> => range(n).map(yieldOnceOrFail)

// Promises ----------------------------------------------------------------

export const promiseTask = async (i: number): Promise<number> => {
  await null
  return i
}

export const promiseTaskOrFail = async (i: number): Promise<number> => {
  await null
  if (failsAt(i)) throw taskFailed(i)
  return i
}

/**
 * The fiber floor: N bare fibers, each yielding once, forked one by one and
 * joined (`forkChild` + `Fiber.joinAll`). The least any fiber-based layer can
 * cost for N tasks; issue 10 judges `gather`, `taskGroup`, `asCompleted` and
 * `wait` against it.
 */
export const fiberFloor = (effects: ReadonlyArray<Effect.Effect<number>>): Promise<Array<number>> =>
  Effect.runPromise(Effect.gen(function*() {
    const fibers: Array<Fiber.Fiber<number>> = []
    for (const effect of effects) fibers.push(yield* Effect.forkChild(effect))
    return yield* Fiber.joinAll(fibers)
  }))
