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
const totalLimit = aio.timeout(
  "400 millis",
  Effect.gen(function*() {
    yield* f
    yield* g // interrupted at 0.4 s: the scope fails with TimeoutError
  })
)
// #endregion timeoutScope

// #region taskGroup
const group = aio.taskGroup((tg) =>
  Effect.gen(function*() {
    yield* tg.createTask(f) // interrupted when g fails
    yield* tg.createTask(gFails)
  })
) // fails with TaskGroupError<JobError>, errors: [JobError]
// #endregion taskGroup

// #region lock
const counter = { value: 0 }
const increments = Effect.gen(function*() {
  const lock = yield* aio.makeLock()
  const increment = lock.withLock(Effect.gen(function*() {
    const read = counter.value
    yield* aio.sleep(0) // another task runs here, but cannot enter
    counter.value = read + 1
  }))
  yield* aio.gather([increment, increment, increment])
  return counter.value // 3
})
// #endregion lock

// #region semaphore
const limited = Effect.gen(function*() {
  const sem = yield* aio.makeSemaphore(2)
  const call = (i: number) => sem.withPermit(Effect.as(Effect.sleep(100), i)) // at most 2 at a time
  return yield* aio.gather([1, 2, 3, 4, 5].map(call)) // [1, 2, 3, 4, 5] after 300 ms
})
// #endregion semaphore

// #region event
const gate = Effect.gen(function*() {
  const ready = yield* aio.makeEvent()
  const handler = (i: number) => Effect.as(ready.wait, `handler ${i} served`)
  const start = Effect.andThen(Effect.sleep(200), ready.set)
  const [, ...served] = yield* aio.gather([start, handler(1), handler(2)])
  return served // ["handler 1 served", "handler 2 served"] at 200 ms
})
// #endregion event

// #region condition
const handOff = Effect.gen(function*() {
  const cond = yield* aio.makeCondition()
  const items: Array<string> = []
  const consumer = cond.withLock(Effect.andThen(cond.waitFor(() => items.length > 0), Effect.sync(() => items.shift())))
  const producer = Effect.andThen(
    Effect.sleep(100),
    cond.withLock(Effect.andThen(Effect.sync(() => items.push("apple")), cond.notify()))
  )
  const [item] = yield* aio.gather([consumer, producer])
  return item // "apple"
})
// #endregion condition

// #region barrier
const meet = Effect.gen(function*() {
  const barrier = yield* aio.makeBarrier(3)
  const party = (delay: number) => Effect.andThen(Effect.sleep(delay), barrier.wait)
  return yield* aio.gather([party(300), party(100), party(200)]) // [2, 0, 1], all at 300 ms
})
// #endregion barrier

// #region queue
const crawl = Effect.gen(function*() {
  const queue = yield* aio.makeQueue<string>()
  const done: Array<string> = []
  const worker = Effect.forever(Effect.gen(function*() {
    const url = yield* queue.get // fails with QueueShutDown after shutdown: the worker ends
    yield* Effect.sleep(100)
    done.push(url)
    yield* queue.taskDone
  }))
  const workers = [yield* aio.createTask(worker), yield* aio.createTask(worker)]
  for (const url of ["/a", "/b", "/c"]) yield* queue.put(url)
  yield* queue.join // every item done
  yield* queue.shutdown()
  yield* aio.wait(workers)
  return done // ["/a", "/b", "/c"] at 200 ms
})
// #endregion queue

// #region toThread
const primes = aio.workerModule<typeof import("../workers/primes.ts")>(new URL("../workers/primes.ts", import.meta.url))
const offLoop = aio.toThread(primes, "countPrimes", 100_000) // 9592; interrupting it terminates the thread
// #endregion toThread

// #region quorum
const replica = (name: string, millis: number) => Effect.as(Effect.sleep(millis), `${name}: v7`)
const quorumRead = Effect.gen(function*() {
  const replicas = yield* Effect.forEach(
    [["a", 20], ["b", 40], ["c", 60], ["d", 400], ["e", 900]] as const,
    ([name, millis]) => aio.createTask(replica(name, millis))
  )
  const { done, pending } = yield* aio.wait(replicas, { returnWhen: aio.quorum(3) })
  for (const task of pending) yield* aio.cancel(task) // d and e, stopped at 60 ms
  return yield* Effect.forEach(done, aio.result) // ["a: v7", "b: v7", "c: v7"] at 60 ms
})
// #endregion quorum

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
  yield* Console.log(yield* increments, yield* limited, yield* gate, yield* handOff, yield* meet, yield* crawl)
  yield* Console.log(yield* offLoop)
  yield* Console.log(yield* quorumRead)
})

if (import.meta.main) aio.run(main)
