/**
 * `call_api` from the pythontutorial.net tutorial "Python asyncio.wait():
 * Running Tasks Concurrently" (seed 003), and two variants of it for the
 * other `return_when` constants the tutorial describes.
 *
 * ```python
 * class APIError(Exception):
 *     pass
 *
 * async def call_api(message, result=100, delay=3, raise_exception=False):
 *     print(message)
 *     await asyncio.sleep(delay)
 *     if raise_exception:
 *         raise APIError
 *     else:
 *         return result
 *
 * async def main():
 *     task_1 = create_task(call_api('calling API 1...', result=1, delay=1))
 *     task_2 = create_task(call_api('calling API 2...', result=2, delay=2))
 *     task_3 = create_task(call_api('calling API 3...', result=3, delay=3))
 *
 *     pending = (task_1, task_2, task_3)
 *
 *     while pending:
 *         done, pending = await asyncio.wait(
 *             pending,
 *             return_when=asyncio.FIRST_COMPLETED
 *         )
 *         result = done.pop().result()
 *         print(result)
 * ```
 *
 * The variants, in the same Python, with API 2 raising `APIError`:
 *
 * ```python
 * async def first_exception():
 *     print('# return_when=FIRST_EXCEPTION, API 2 raises APIError')
 *     tasks = start_tasks(raising=2)  # the three create_task calls above
 *     done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
 *     for task in done:
 *         try:
 *             print(task.result())
 *         except APIError as e:
 *             print(repr(e))
 *     print(f'cancelling {len(pending)} pending')
 *     for task in pending:
 *         task.cancel()
 *
 * async def all_completed():
 *     print('# return_when=ALL_COMPLETED, API 2 raises APIError')
 *     tasks = start_tasks(raising=2)
 *     done, pending = await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)
 *     for task in done:
 *         ...  # as above
 * ```
 *
 * The tutorial shows no output; the transcript is what these programs print,
 * which the delays fully decide (1, 2 and 3 seconds).
 *
 * Run it: `node_modules/.bin/node examples/call_api.ts`
 */
import { Console, Data, Effect, type Fiber } from "effect"
import * as aio from "effect-asyncio"
import { repr } from "./shared/python.ts"

/** The tutorial's `APIError`, as a typed error: it shows in the types of `callApi` and `wait`'s tasks. */
export class APIError extends Data.TaggedError("APIError") {}

const callApi = (message: string, options: {
  readonly result?: number
  readonly delay?: number
  readonly raiseException?: boolean
}): Effect.Effect<number, APIError> =>
  Effect.gen(function*() {
    yield* Console.log(message)
    yield* Effect.sleep((options.delay ?? 3) * 1000)
    if (options.raiseException === true) return yield* new APIError()
    return options.result ?? 100
  })

/** The tutorial's three tasks; the one numbered `raising` fails with `APIError`. */
const startTasks = (raising?: number) =>
  Effect.forEach(
    [1, 2, 3],
    (n) => aio.createTask(callApi(`calling API ${n}...`, { result: n, delay: n, raiseException: n === raising }))
  )

/** `print(task.result())`, or the `APIError` it raises. */
const printResult = (task: Fiber.Fiber<number, APIError>) =>
  aio.result(task).pipe(
    Effect.catchTag("APIError", (error) => Effect.succeed(repr(error))),
    Effect.flatMap((line) => Console.log(String(line)))
  )

/** The tutorial's program: print each result as soon as its task is done. */
const firstCompleted = Effect.gen(function*() {
  let pending = yield* startTasks()
  while (pending.length > 0) {
    const state = yield* aio.wait(pending, { returnWhen: aio.FIRST_COMPLETED })
    // Python takes an arbitrary task out of the `done` set with `pop()`.
    // The delays differ, so here exactly one task is done each time.
    for (const task of state.done) yield* printResult(task)
    pending = [...state.pending]
  }
})

/** Returns as soon as a task fails (at 2 s), leaving API 3 pending. */
const firstException = Effect.gen(function*() {
  yield* Console.log("# return_when=FIRST_EXCEPTION, API 2 raises APIError")
  const tasks = yield* startTasks(2)
  const { done, pending } = yield* aio.wait(tasks, { returnWhen: aio.FIRST_EXCEPTION })
  // `done` is an array in input order (asyncio's is a set, in no order).
  for (const task of done) yield* printResult(task)
  yield* Console.log(`cancelling ${pending.length} pending`)
  for (const task of pending) yield* aio.cancel(task)
})

/** `wait` never raises: with ALL_COMPLETED it waits for all, failures included. */
const allCompleted = Effect.gen(function*() {
  yield* Console.log("# return_when=ALL_COMPLETED, API 2 raises APIError")
  const tasks = yield* startTasks(2)
  const { done } = yield* aio.wait(tasks, { returnWhen: aio.ALL_COMPLETED })
  for (const task of done) yield* printResult(task)
})

export const main = Effect.gen(function*() {
  yield* firstCompleted
  yield* firstException
  yield* allCompleted
})

if (import.meta.main) aio.run(main)
