/**
 * The blog "The ways to wait" (seed 002), section "Task Groups".
 *
 * ```python
 * async with asyncio.TaskGroup() as tg:
 *     task_f = tg.create_task(f())
 *     task_g = tg.create_task(g())
 * # f and g are guaranteed to be done here
 * print(f"task_f.done(), task_g.done() -> {(task_f.done(), task_g.done())!r}")
 *
 * try:
 *     async with asyncio.TaskGroup() as tg:
 *         tg.create_task(f())
 *         tg.create_task(g())  # raises JobError this time
 *         tg.create_task(h())
 * except* JobError as eg:
 *     print(f"{eg!r}")
 *     print(f"errors: {list(eg.exceptions)!r}")
 * ```
 *
 * "If one or more of the tasks crash, the rest is cancelled and an
 * ExceptionGroup with all errors is raised by the context manager." Here the
 * group fails with `TaskGroupError`, whose `errors` are typed: a group whose
 * tasks fail with `JobError` has `TaskGroupError<JobError>`, inferred.
 *
 * Run it: `node_modules/.bin/node examples/task_group.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { failingJob, job } from "./shared/jobs.ts"
import { repr, Tuple } from "./shared/python.ts"

const allSucceed = Effect.gen(function*() {
  yield* Console.log("# f() and g() succeed")
  const [taskF, taskG] = yield* aio.taskGroup((tg) =>
    Effect.gen(function*() {
      const taskF = yield* tg.createTask(job("f", 300))
      const taskG = yield* tg.createTask(job("g", 200))
      return [taskF, taskG] as const
    })
  )
  const done = new Tuple(yield* aio.isDone(taskF), yield* aio.isDone(taskG))
  yield* Console.log(`task_f.done(), task_g.done() -> ${repr(done)}`)
})

const gRaises = Effect.gen(function*() {
  yield* Console.log("# g() raises: f() and h() are cancelled")
  yield* aio.taskGroup((tg) =>
    Effect.gen(function*() {
      yield* tg.createTask(job("f", 300))
      yield* tg.createTask(failingJob("g", 200))
      yield* tg.createTask(job("h", 600))
    })
  ).pipe(
    // TaskGroupError<JobError>
    Effect.catchTag("TaskGroupError", (eg) =>
      Effect.gen(function*() {
        yield* Console.log(`TaskGroupError(${repr(eg.message)})`)
        yield* Console.log(`errors: ${repr(eg.errors)}`)
      }))
  )
})

export const main = Effect.gen(function*() {
  yield* allSucceed
  yield* gRaises
})

if (import.meta.main) aio.run(main)
