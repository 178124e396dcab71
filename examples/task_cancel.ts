/**
 * The blog "The ways to wait" (seed 002), section "Tasks": "if you decide
 * that you don't want to wait for task_f or task_g to finish, you can cancel
 * them using task_f.cancel() or task_g.cancel()".
 *
 * ```python
 * task_f = asyncio.create_task(f())
 * task_g = asyncio.create_task(g())
 * await asyncio.sleep(0.1)
 * print(f"task_g.cancel() -> {task_g.cancel()}")
 * ...
 * ```
 *
 * `aio.cancel(task)` returns what `task.cancel()` returns (`True` if the task
 * was still running), but it also waits until the task has run its
 * finalizers. So "g() cancelled" is printed before the line that reports the
 * cancel; in asyncio, `cancel()` only requests it and the line would come
 * first. (To only request it here, use `fiber.interruptUnsafe()` or fork the
 * `aio.cancel`.)
 *
 * Run it: `node_modules/.bin/node examples/task_cancel.ts`
 */
import { Console, Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { job } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = job("g", 200)

export const main = Effect.gen(function*() {
  const taskF = yield* aio.createTask(f)
  const taskG = yield* aio.createTask(g)
  yield* Effect.sleep(100)
  yield* Console.log(`task_g.cancel() -> ${repr(yield* aio.cancel(taskG))}`)
  yield* Console.log(`task_g.cancelled() -> ${repr(yield* aio.isCancelled(taskG))}`)
  const resultF = yield* Fiber.join(taskF)
  yield* Console.log(`result_f = ${repr(resultF)}`)
  yield* Console.log(`task_f.cancel() -> ${repr(yield* aio.cancel(taskF))}: it had already finished`)
})

if (import.meta.main) aio.run(main)
