/**
 * The effect-asyncio column of `docs/rosetta.md`. Each `#region` is quoted
 * verbatim in the document (a test checks it), and type-checked here.
 *
 * Run it: `node_modules/.bin/node examples/rosetta/asyncio.ts`
 */
import { Console, Data, Effect, Fiber, Stream } from "effect"
import * as aio from "effect-asyncio"

// #region setup
class JobError extends Data.TaggedError("JobError")<{ readonly job: string }> {}

const phase = (i: number): Effect.Effect<string> => Effect.as(Effect.sleep(100 * i), `phase ${i} result`)
const f: Effect.Effect<string> = Effect.as(Effect.sleep(300), "f result")
const g: Effect.Effect<string> = Effect.as(Effect.sleep(200), "g result")
const gFails: Effect.Effect<never, JobError> = Effect.andThen(Effect.sleep(200), new JobError({ job: "g" }))
// #endregion setup

// #region coroutine
const coroutine = Effect.fn("coroutine")(function*() {
  yield* Console.log("in coroutine")
  return "result"
})

const runCoroutine = Effect.gen(function*() {
  const value = yield* coroutine()
  yield* Console.log(`it returned: ${value}`)
})
// aio.run(runCoroutine)
// #endregion coroutine

// #region sequential
const sequential = Effect.gen(function*() {
  const resultF = yield* f
  const resultG = yield* g // starts after f: 0.5 s in all
  return [resultF, resultG]
})
// #endregion sequential

// #region createTask
const startThenAwait = Effect.gen(function*() {
  const taskF = yield* aio.createTask(f)
  const taskG = yield* aio.createTask(g)
  return [yield* Fiber.join(taskF), yield* Fiber.join(taskG)] // 0.3 s
})
// #endregion createTask

// #region cancel
const cancelOne = Effect.gen(function*() {
  const taskG = yield* aio.createTask(g)
  yield* Effect.sleep(100)
  const cancelled = yield* aio.cancel(taskG) // true, once g's finalizers ran
  return [cancelled, yield* aio.isCancelled(taskG)]
})
// #endregion cancel

// #region waitAll
const waitAll = Effect.gen(function*() {
  const tasks = yield* Effect.forEach([0, 1, 2], (i) => aio.createTask(phase(i)))
  const { done } = yield* aio.wait(tasks)
  return yield* Effect.forEach(done, aio.result) // in input order
})
// #endregion waitAll

// #region waitTimeout
const waitTimeout = Effect.gen(function*() {
  const tasks = yield* Effect.forEach([0, 1, 2], (i) => aio.createTask(phase(i)))
  const { done, pending } = yield* aio.wait(tasks, { timeout: "100 millis" })
  for (const task of pending) yield* aio.cancel(task)
  return [done.length, pending.length]
})
// #endregion waitTimeout

// #region firstCompleted
const printAsTheyFinish = Effect.gen(function*() {
  let pending = yield* Effect.forEach([3, 1, 2], (i) => aio.createTask(phase(i)))
  while (pending.length > 0) {
    const state = yield* aio.wait(pending, { returnWhen: aio.FIRST_COMPLETED })
    for (const task of state.done) yield* Console.log(yield* aio.result(task))
    pending = [...state.pending]
  }
})
// #endregion firstCompleted

// #region gather
const gathered = aio.gather([phase(2), phase(1)]) // ["phase 2 result", "phase 1 result"]
// #endregion gather

// #region returnExceptions
const settled = aio.gather([f, gFails], { returnExceptions: true }) // [Exit<string>, Exit<never, JobError>]
// #endregion returnExceptions

// #region asCompleted
const answers = aio.asCompleted([phase(3), phase(1), phase(2)], { timeout: "5 seconds" }).pipe(
  Stream.runForEach((answer) => Console.log(`received answer ${answer}`))
)
// #endregion asCompleted

// #region waitFor
const bounded = aio.waitFor(aio.gather([f, g]), "100 millis").pipe(
  Effect.catchTag("TimeoutError", () => Console.log("oops took longer than 0.1s!"))
)
// #endregion waitFor

// #region timeoutScope
const totalLimit = aio.timeout("400 millis", Effect.gen(function*() {
  yield* f
  yield* g // interrupted at 0.4 s: the scope fails with TimeoutError
}))
// #endregion timeoutScope

// #region taskGroup
const group = aio.taskGroup((tg) =>
  Effect.gen(function*() {
    yield* tg.createTask(f) // interrupted when g fails
    yield* tg.createTask(gFails)
  })
) // fails with TaskGroupError<JobError>, errors: [JobError]
// #endregion taskGroup

export const main = Effect.gen(function*() {
  yield* runCoroutine
  yield* Console.log(yield* sequential)
  yield* Console.log(yield* startThenAwait)
  yield* Console.log(yield* cancelOne)
  yield* Console.log(yield* waitAll)
  yield* Console.log(yield* waitTimeout)
  yield* printAsTheyFinish
  yield* Console.log(yield* gathered)
  yield* Console.log((yield* settled).map((exit) => exit._tag))
  yield* answers
  yield* bounded
  yield* Console.log(yield* Effect.flip(totalLimit))
  yield* Console.log(yield* Effect.flip(group))
})

if (import.meta.main) aio.run(main)
