/**
 * The Promise column of `docs/rosetta.md`: the same patterns with
 * `async`/`await`, `AbortSignal` for cancellation, and no library. Each
 * `#region` is quoted verbatim in the document (a test checks it), and
 * type-checked here.
 *
 * Run it: `node_modules/.bin/node examples/rosetta/promise.ts`
 */
import { setTimeout as sleep } from "node:timers/promises"
import { Worker } from "node:worker_threads"
import pLimit from "p-limit"
import PQueue from "p-queue"

// #region setup
class JobError extends Error {}

const phase = async (i: number, signal?: AbortSignal) => {
  await sleep(100 * i, undefined, { signal })
  return `phase ${i} result`
}
const f = async (signal?: AbortSignal) => {
  await sleep(300, undefined, { signal })
  return "f result"
}
const g = async (signal?: AbortSignal) => {
  await sleep(200, undefined, { signal })
  return "g result"
}
const gFails = async (signal?: AbortSignal): Promise<never> => {
  await sleep(200, undefined, { signal })
  throw new JobError("g")
}
// #endregion setup

// #region coroutine
async function coroutine() {
  console.log("in coroutine")
  return "result"
}

async function runCoroutine() {
  const value = await coroutine()
  console.log(`it returned: ${value}`)
}
// await runCoroutine()
// #endregion coroutine

// #region sequential
async function sequential() {
  const resultF = await f()
  const resultG = await g() // starts after f: 0.5 s in all
  return [resultF, resultG]
}
// #endregion sequential

// #region createTask
async function startThenAwait() {
  const taskF = f() // a promise's work starts when it is created
  const taskG = g()
  return [await taskF, await taskG] // 0.3 s
}
// #endregion createTask

// #region cancel
async function cancelOne() {
  const controller = new AbortController()
  const taskG = g(controller.signal) // g must take the signal and pass it on
  await sleep(100)
  controller.abort() // a request: g rejects with an AbortError later
  return taskG.then(() => false, (error) => error.name === "AbortError")
}
// #endregion cancel

// #region waitAll
async function waitAll() {
  const tasks = [0, 1, 2].map((i) => phase(i))
  return Promise.all(tasks)
}
// #endregion waitAll

// #region waitTimeout
async function waitTimeout() {
  const controller = new AbortController()
  const tasks = [0, 1, 2].map((i) => phase(i, controller.signal))
  const done = new Set<Promise<string>>()
  for (const task of tasks) task.then(() => done.add(task), () => done.add(task))
  await Promise.race([Promise.allSettled(tasks), sleep(100)])
  const pending = tasks.filter((task) => !done.has(task))
  controller.abort() // cancels every task still listening to the signal
  return [done.size, pending.length]
}
// #endregion waitTimeout

// #region firstCompleted
async function printAsTheyFinish() {
  const pending = new Set([3, 1, 2].map((i) => phase(i)))
  while (pending.size > 0) {
    // Wrapped, since a promise that resolves to a promise takes its value.
    const { task } = await Promise.race([...pending].map((task) => task.then(() => ({ task }), () => ({ task }))))
    pending.delete(task)
    console.log(await task)
  }
}
// #endregion firstCompleted

// #region gather
const gathered = () => Promise.all([phase(2), phase(1)]) // on failure the others go on running
// #endregion gather

// #region returnExceptions
const settled = () => Promise.allSettled([f(), gFails()]) // [{ status: "fulfilled", ... }, { status: "rejected", ... }]
// #endregion returnExceptions

// #region asCompleted
async function answers() {
  const signal = AbortSignal.timeout(5000)
  const pending = new Map([phase(3, signal), phase(1, signal), phase(2, signal)].map((task, i) => [i, task]))
  while (pending.size > 0) {
    const [i, answer] = await Promise.race([...pending].map(([i, task]) => task.then((value) => [i, value] as const)))
    pending.delete(i)
    console.log(`received answer ${answer}`)
  }
}
// #endregion asCompleted

// #region waitFor
async function bounded() {
  const signal = AbortSignal.timeout(100)
  try {
    return await Promise.all([f(signal), g(signal)])
  } catch (error) {
    if (!signal.aborted) throw error
    console.log("oops took longer than 0.1s!") // f and g saw the signal; nothing waits for their cleanup
  }
}
// #endregion waitFor

// #region timeoutScope
async function totalLimit() {
  const signal = AbortSignal.timeout(400) // one deadline, passed to every step
  await f(signal)
  await g(signal) // rejects at 0.4 s with an AbortError
}
// #endregion timeoutScope

// #region taskGroup
async function group(jobs: ReadonlyArray<(signal: AbortSignal) => Promise<unknown>>) {
  const controller = new AbortController()
  const outcomes = await Promise.allSettled(jobs.map((job) =>
    job(controller.signal).catch((error) => {
      controller.abort() // the first failure cancels the others ...
      throw error
    })
  ))
  const errors = outcomes.flatMap((outcome) =>
    // ... and allSettled waits for them
    outcome.status === "rejected" && outcome.reason?.name !== "AbortError" ? [outcome.reason] : []
  )
  if (errors.length > 0) throw new AggregateError(errors, "unhandled errors in a TaskGroup")
}
// await group([f, gFails]) rejects with AggregateError([JobError])
// #endregion taskGroup

// #region lock
// A lock is a promise chain: each holder waits for the previous one.
let tail: Promise<void> = Promise.resolve()
const withLock = <A>(body: () => Promise<A>): Promise<A> => {
  const run = tail.then(body)
  tail = run.then(() => undefined, () => undefined)
  return run
}
const counter = { value: 0 }
async function increments() {
  const increment = () =>
    withLock(async () => {
      const read = counter.value
      await null
      counter.value = read + 1
    })
  await Promise.all([increment(), increment(), increment()])
  return counter.value // 3
}
// #endregion lock

// #region semaphore
async function limited() {
  const limit = pLimit(2)
  return Promise.all([1, 2, 3, 4, 5].map((i) =>
    limit(async () => {
      await sleep(100)
      return i
    })
  ))
}
// #endregion semaphore

// #region event
const deferred = <A>() => { // Promise.withResolvers(), ES2024
  let resolve!: (value: A) => void
  const promise = new Promise<A>((r) => (resolve = r))
  return { promise, resolve }
}
async function gate() {
  const ready = deferred<void>()
  const handler = async (i: number) => {
    await ready.promise
    return `handler ${i} served`
  }
  const start = async () => {
    await sleep(200)
    ready.resolve() // one-shot: there is no clear()
  }
  const [, ...served] = await Promise.all([start(), handler(1), handler(2)])
  return served
}
// #endregion event

// #region condition
// No condition variable: hand the item over with a promise.
async function handOff() {
  const item = deferred<string>()
  const producer = async () => {
    await sleep(100)
    item.resolve("apple")
  }
  const [got] = await Promise.all([item.promise, producer()])
  return got
}
// #endregion condition

// #region barrier
// No barrier: a counter and a promise resolved by the last one in (one round only).
async function meet() {
  const all = deferred<void>()
  let arrived = 0
  const party = async (delay: number) => {
    await sleep(delay)
    const index = arrived++
    if (arrived === 3) all.resolve()
    await all.promise
    return index
  }
  return Promise.all([party(300), party(100), party(200)])
}
// #endregion barrier

// #region queue
// p-queue runs tasks with a concurrency limit; it is not a queue of items.
async function crawl() {
  const queue = new PQueue({ concurrency: 2 })
  const done: Array<string> = []
  for (const url of ["/a", "/b", "/c"]) {
    void queue.add(async () => {
      await sleep(100)
      done.push(url)
    })
  }
  await queue.onIdle() // like join(); nothing to shut down
  return done
}
// #endregion queue

// #region toThread
function offLoop(signal?: AbortSignal) {
  return new Promise<number>((resolve, reject) => {
    const worker = new Worker(new URL("../workers/primesThread.ts", import.meta.url), { workerData: 100_000 })
    worker.once("message", resolve)
    worker.once("error", reject)
    signal?.addEventListener("abort", () => {
      void worker.terminate()
      reject(signal.reason)
    })
  })
}
// #endregion toThread

// #region quorum
const replica = async (name: string, millis: number, signal: AbortSignal) => {
  await sleep(millis, undefined, { signal })
  return `${name}: v7`
}
async function quorumRead() {
  const controller = new AbortController()
  const replicas = [["a", 20], ["b", 40], ["c", 60], ["d", 400], ["e", 900]] as const
  const answers: Array<string> = []
  await new Promise<void>((resolve) => {
    let settled = 0
    for (const [name, millis] of replicas) {
      replica(name, millis, controller.signal)
        .then((answer) => void answers.push(answer), () => {}) // a failed replica does not count
        .finally(() => {
          settled += 1
          if (answers.length === 3 || settled === replicas.length) resolve()
        })
    }
  })
  controller.abort() // d and e reject; nothing waits for their cleanup
  return answers
}
// #endregion quorum

export async function main() {
  await runCoroutine()
  console.log(await sequential())
  console.log(await startThenAwait())
  console.log(await cancelOne())
  console.log(await waitAll())
  console.log(await waitTimeout())
  await printAsTheyFinish()
  console.log(await gathered())
  console.log((await settled()).map((outcome) => outcome.status))
  await answers()
  await bounded()
  console.log(await totalLimit().catch((error: Error) => error.name))
  console.log(await group([f, gFails]).catch((error: AggregateError) => error.errors))
  console.log(await increments(), await limited(), await gate(), await handOff(), await meet(), await crawl())
  console.log(await offLoop())
  console.log(await quorumRead())
}

if (import.meta.main) await main()
