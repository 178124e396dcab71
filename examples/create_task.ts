/**
 * The blog "The ways to wait" (seed 002), section "Tasks": start both, then
 * await them.
 *
 * ```python
 * task_f = asyncio.create_task(f())
 * task_g = asyncio.create_task(g())
 * await asyncio.sleep(0.1)  # <- f() and g() are already running!
 * result_f = await task_f
 * result_g = await task_g
 * ```
 *
 * `aio.createTask` forks the effect as a child fiber: it starts as soon as
 * `main` yields, and it is interrupted if `main` ends first (asyncio would
 * only warn "Task was destroyed but it is pending", and a task nobody keeps a
 * reference to may even be garbage-collected). Awaiting a task is
 * `Fiber.join`.
 *
 * Run it: `node_modules/.bin/node examples/create_task.ts`
 */
import { Console, Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { job, stopwatch } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = job("g", 200)

export const main = Effect.gen(function*() {
  const elapsed = yield* stopwatch
  const taskF = yield* aio.createTask(f)
  const taskG = yield* aio.createTask(g)
  yield* Effect.sleep(100)
  yield* Console.log("slept 0.1 s: f() and g() are already running")
  const resultF = yield* Fiber.join(taskF)
  const resultG = yield* Fiber.join(taskG)
  yield* Console.log(`result_f = ${repr(resultF)}, result_g = ${repr(resultG)}`)
  yield* Console.log(`took ${yield* elapsed}: f() and g() ran concurrently`)
})

if (import.meta.main) aio.run(main)
