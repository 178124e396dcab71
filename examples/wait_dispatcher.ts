/**
 * The blog "The ways to wait" (seed 002), section "asyncio.wait()": a
 * dispatcher that tells the tasks apart by identity.
 *
 * ```python
 * task_f = asyncio.create_task(f())
 * task_g = asyncio.create_task(g())
 * pending = {task_f, task_g}
 * while pending:
 *     done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
 *     for t in done:
 *         try:
 *             if t is task_f:
 *                 print(f"The result of f() is { await task_f }.")
 *             elif t is task_g:
 *                 print(f"The result of g() is { await task_g }.")
 *         except Exception as e:
 *             print(f"{'f' if t is task_f else 'g'}() failed with { repr(e) }.")
 * ```
 *
 * `aio.wait` returns the very fibers it was given (never copies), so `===`
 * works; it never interrupts a task and never raises: a failed task is
 * simply done, and awaiting it (`Fiber.join`) raises its typed error. Unlike
 * asyncio's sets, `done` and `pending` are arrays in input order.
 *
 * Run it: `node_modules/.bin/node examples/wait_dispatcher.ts`
 */
import { Console, Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { failingJob, job, type JobError } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = failingJob("g", 200)

export const main = Effect.gen(function*() {
  const taskF = yield* aio.createTask(f)
  const taskG = yield* aio.createTask(g)
  let pending: ReadonlyArray<Fiber.Fiber<string, JobError>> = [taskF, taskG]
  while (pending.length > 0) {
    const state = yield* aio.wait(pending, { returnWhen: aio.FIRST_COMPLETED })
    for (const t of state.done) {
      const name = t === taskF ? "f" : "g"
      yield* Effect.gen(function*() {
        if (t === taskF) yield* Console.log(`The result of f() is ${yield* Fiber.join(taskF)}.`)
        else if (t === taskG) yield* Console.log(`The result of g() is ${yield* Fiber.join(taskG)}.`)
      }).pipe(
        Effect.catchTag("JobError", (e) => Console.log(`${name}() failed with ${repr(e)}.`))
      )
    }
    pending = state.pending
  }
})

if (import.meta.main) aio.run(main)
