/**
 * The raw Effect column of `docs/rosetta.md`: the nearest code with `effect`
 * alone. Each `#region` is quoted verbatim in the document (a test checks
 * it), and type-checked here.
 *
 * Run it: `node_modules/.bin/node examples/rosetta/effect.ts`
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Data, Effect, Exit, Fiber, FiberSet, Latch, Queue, Semaphore, Stream } from "effect"
import { Worker } from "node:worker_threads"

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
// NodeRuntime.runMain(runCoroutine)
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
  const fiberF = yield* Effect.forkChild(f)
  const fiberG = yield* Effect.forkChild(g)
  return [yield* Fiber.join(fiberF), yield* Fiber.join(fiberG)] // 0.3 s
})
// #endregion createTask

// #region cancel
const cancelOne = Effect.gen(function*() {
  const fiberG = yield* Effect.forkChild(g)
  yield* Effect.sleep(100)
  yield* Fiber.interrupt(fiberG) // waits for g's finalizers; no "was it running?"
  const exit = fiberG.pollUnsafe()
  return exit !== undefined && exit._tag === "Failure" && Cause.hasInterruptsOnly(exit.cause)
})
// #endregion cancel

// #region waitAll
const waitAll = Effect.gen(function*() {
  const fibers = yield* Effect.forEach([0, 1, 2], (i) => Effect.forkChild(phase(i)))
  return yield* Fiber.joinAll(fibers) // an empty array gives [] at once
})
// #endregion waitAll

// #region waitTimeout
const waitTimeout = Effect.gen(function*() {
  const fibers = yield* Effect.forEach([0, 1, 2], (i) => Effect.forkChild(phase(i)))
  yield* Effect.timeoutOption(Fiber.awaitAll(fibers), "100 millis")
  const pending = fibers.filter((fiber) => fiber.pollUnsafe() === undefined)
  yield* Fiber.interruptAll(pending)
  return [fibers.length - pending.length, pending.length]
})
// #endregion waitTimeout

// #region firstCompleted
const printAsTheyFinish = Effect.gen(function*() {
  let pending = yield* Effect.forEach([3, 1, 2], (i) => Effect.forkChild(phase(i)))
  while (pending.length > 0) {
    yield* Effect.raceAll(pending.map(Fiber.await)) // the losers' awaits are interrupted, not the fibers
    for (const fiber of pending) if (fiber.pollUnsafe() !== undefined) yield* Console.log(yield* Fiber.join(fiber))
    pending = pending.filter((fiber) => fiber.pollUnsafe() === undefined)
  }
})
// #endregion firstCompleted

// #region gather
const gathered = Effect.all([phase(2), phase(1)], { concurrency: "unbounded" }) // default: one at a time
// #endregion gather

// #region returnExceptions
const settled = Effect.all([Effect.exit(f), Effect.exit(gFails)], { concurrency: "unbounded" })
// #endregion returnExceptions

// #region asCompleted
const answers = Stream.fromIterable([phase(3), phase(1), phase(2)]).pipe(
  Stream.mapEffect((work) => work, { concurrency: "unbounded", unordered: true }),
  Stream.runForEach((answer) => Console.log(`received answer ${answer}`)),
  Effect.timeout("5 seconds")
)
// #endregion asCompleted

// #region waitFor
const bounded = Effect.all([f, g], { concurrency: "unbounded" }).pipe(
  Effect.timeout("100 millis"),
  Effect.catchTag("TimeoutError", () => Console.log("oops took longer than 0.1s!"))
)
// #endregion waitFor

// #region timeoutScope
const totalLimit = Effect.timeout(
  Effect.gen(function*() {
    yield* f
    yield* g // interrupted at 0.4 s: fails with TimeoutError
  }),
  "400 millis"
)
// #endregion timeoutScope

// #region taskGroup
const group = Effect.scoped(Effect.gen(function*() {
  const set = yield* FiberSet.make<unknown, JobError>()
  yield* FiberSet.run(set, f)
  yield* FiberSet.run(set, gFails)
  yield* FiberSet.join(set) // fails with the first JobError; closing the scope interrupts f
}))
// #endregion taskGroup

// #region lock
const counter = { value: 0 }
const increments = Effect.gen(function*() {
  const lock = yield* Semaphore.make(1)
  const increment = lock.withPermit(Effect.gen(function*() {
    const read = counter.value
    yield* Effect.yieldNow
    counter.value = read + 1
  }))
  yield* Effect.all([increment, increment, increment], { concurrency: "unbounded" })
  return counter.value // 3
})
// #endregion lock

// #region semaphore
const limited = Effect.gen(function*() {
  const sem = yield* Semaphore.make(2)
  const call = (i: number) => sem.withPermit(Effect.as(Effect.sleep(100), i))
  return yield* Effect.all([1, 2, 3, 4, 5].map(call), { concurrency: "unbounded" })
})
// #endregion semaphore

// #region event
const gate = Effect.gen(function*() {
  const ready = yield* Latch.make()
  const handler = (i: number) => Effect.as(ready.await, `handler ${i} served`)
  const start = Effect.andThen(Effect.sleep(200), ready.open)
  const [, ...served] = yield* Effect.all([start, handler(1), handler(2)], { concurrency: "unbounded" })
  return served
})
// #endregion event

// #region condition
// No condition variable: a Queue (or a Deferred) carries the item instead.
const handOff = Effect.gen(function*() {
  const items = yield* Queue.unbounded<string>()
  const producer = Effect.andThen(Effect.sleep(100), Queue.offer(items, "apple"))
  const [item] = yield* Effect.all([Queue.take(items), producer], { concurrency: "unbounded" })
  return item
})
// #endregion condition

// #region barrier
// No barrier: a counter and a Latch opened by the last one in (one round only).
const meet = Effect.gen(function*() {
  const all = yield* Latch.make()
  let arrived = 0
  const party = (delay: number) =>
    Effect.gen(function*() {
      yield* Effect.sleep(delay)
      const index = arrived++
      if (arrived === 3) yield* all.open
      yield* all.await
      return index
    })
  return yield* Effect.all([party(300), party(100), party(200)], { concurrency: "unbounded" })
})
// #endregion barrier

// #region queue
// No join/taskDone: count the work yourself; end the workers by interrupting them.
const crawl = Effect.gen(function*() {
  const queue = yield* Queue.unbounded<string>()
  const done: Array<string> = []
  const allDone = yield* Latch.make()
  const worker = Effect.forever(Effect.gen(function*() {
    const url = yield* Queue.take(queue)
    yield* Effect.sleep(100)
    done.push(url)
    if (done.length === 3) yield* allDone.open
  }))
  const workers = [yield* Effect.forkChild(worker), yield* Effect.forkChild(worker)]
  yield* Queue.offerAll(queue, ["/a", "/b", "/c"])
  yield* allDone.await
  yield* Fiber.interruptAll(workers)
  return done
})
// #endregion queue

// #region toThread
const offLoop = Effect.callback<number, Error>((resume) => {
  const worker = new Worker(new URL("../workers/primesThread.ts", import.meta.url), { workerData: 100_000 })
  worker.once("message", (count: number) => resume(Effect.succeed(count)))
  worker.once("error", (error) => resume(Effect.fail(error)))
  return Effect.promise(() => worker.terminate()) // interrupted: stop the thread
}) // one thread per call: no pool, no bound
// #endregion toThread

// #region quorum
const replica = (name: string, millis: number) => Effect.as(Effect.sleep(millis), `${name}: v7`)
const quorumRead = Effect.gen(function*() {
  const replicas = yield* Effect.forEach(
    [["a", 20], ["b", 40], ["c", 60], ["d", 400], ["e", 900]] as const,
    ([name, millis]) => Effect.forkChild(replica(name, millis))
  )
  const answers = yield* Stream.fromIterable(replicas).pipe(
    Stream.mapEffect(Fiber.await, { concurrency: "unbounded", unordered: true }),
    Stream.filter(Exit.isSuccess), // a failed replica does not count
    Stream.take(3),
    Stream.runCollect
  )
  yield* Fiber.interruptAll(replicas)
  return answers.map((exit) => exit.value)
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

if (import.meta.main) NodeRuntime.runMain(main)
