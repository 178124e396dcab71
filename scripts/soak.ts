/**
 * Soak test: runs a large number of task lifecycles through every primitive
 * (createTask and cancel, gather, wait, asCompleted, taskGroup, timeout,
 * waitFor, shield) on the live clock, with short real delays and yields, in
 * batches; after each batch it forces a garbage collection and prints the
 * heap. It fails (exit code 1) if the heap grew by 5% or more between the
 * second batch and the last, or if any round went wrong.
 *
 *   npm run soak                 # one million lifecycles
 *   npm run soak -- 100000       # fewer, as CI runs it
 *
 * (`npm run soak` is `node --expose-gc scripts/soak.ts`; `--expose-gc` is
 * required.)
 */
import { Effect, Exit, Fiber, Stream } from "effect"
import * as aio from "effect-asyncio"

const target = Number(process.argv[2] ?? 1_000_000)
if (!Number.isInteger(target) || target < 1) {
  console.error(`usage: soak.ts [lifecycles], a whole number of at least 1; got ${process.argv[2]}`)
  process.exit(2)
}
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) {
  console.error("soak.ts needs node --expose-gc (npm run soak does this)")
  process.exit(2)
}

const BATCHES = 20
const GROWTH_LIMIT = 0.05

/** Task lifecycles started so far: each piece of work counts once, when it starts. */
let lifecycles = 0

/** A piece of work: a real sleep of `millis` ms, or a yield when 0. */
const work = <A>(millis: number, value: A): Effect.Effect<A> =>
  Effect.suspend(() => {
    lifecycles++
    return Effect.as(millis > 0 ? Effect.sleep(millis) : Effect.yieldNow, value)
  })

const failing = (millis: number, error: string): Effect.Effect<never, string> =>
  Effect.andThen(work(millis, undefined), Effect.fail(error))

class SoakError extends Error {}

const check = (condition: boolean, what: string): Effect.Effect<void, SoakError> =>
  condition ? Effect.void : Effect.fail(new SoakError(what))

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

/** One round: about 700 lifecycles through every primitive, each step checked. */
const round: Effect.Effect<void, unknown> = Effect.gen(function*() {
  // createTask, then cancel half of them and join the rest.
  const tasks = []
  for (const i of range(100)) tasks.push(yield* aio.createTask(work(i % 2 === 0 ? 50 : i % 3, i)))
  for (const [i, task] of tasks.entries()) {
    if (i % 2 === 0) yield* check(yield* aio.cancel(task), "cancel of a sleeping task returns true")
    else yield* check((yield* Fiber.join(task)) === i, "a task returns its value")
  }

  // gather: results in order; returnExceptions keeps every outcome.
  const values = yield* aio.gather(range(100).map((i) => work(i % 3, i)))
  yield* check(values.every((v, i) => v === i), "gather keeps the input order")
  const exits = yield* aio.gather(range(50).map((i) => (i % 5 === 0 ? failing(1, "boom") : work(0, i))), {
    returnExceptions: true,
    concurrency: 10
  })
  yield* check(exits.filter(Exit.isFailure).length === 10, "gather returns every failure")
  const first = yield* Effect.flip(aio.gather(range(50).map((i) => (i === 25 ? failing(1, "first") : work(100, i)))))
  yield* check(first === "first", "gather raises the first failure and stops the others")

  // wait: the first to complete, then the rest after a short timeout, then cancel.
  const waited = []
  for (const i of range(100)) waited.push(yield* aio.createTask(work(i < 10 ? 1 : 200, i)))
  const firstDone = yield* aio.wait(waited, { returnWhen: aio.FIRST_COMPLETED })
  yield* check(firstDone.done.length >= 1, "wait FIRST_COMPLETED")
  const later = yield* aio.wait(waited, { timeout: 5 })
  yield* check(later.pending.length > 0, "wait returns pending tasks at its timeout")
  yield* Fiber.interruptAll(later.pending)

  // asCompleted: a consumer that stops early stops the rest.
  const firstHalf = yield* Stream.runCollect(Stream.take(aio.asCompleted(range(100).map((i) => work(i % 4, i))), 50))
  yield* check(firstHalf.length === 50, "asCompleted emits what was taken")
  const timedOut = yield* Effect.exit(
    Stream.runDrain(aio.asCompleted(range(20).map((i) => work(50, i)), { timeout: 1 }))
  )
  yield* check(Exit.isFailure(timedOut), "asCompleted times out")

  // taskGroup: one that succeeds, one where a task fails and the rest stop.
  const ok = yield* aio.taskGroup((tg) =>
    Effect.as(Effect.forEach(range(50), (i) => tg.createTask(work(i % 2, i))), "ok")
  )
  yield* check(ok === "ok", "a task group returns its body's value")
  const groupError = yield* Effect.flip(
    aio.taskGroup((tg) =>
      Effect.forEach(range(50), (i) => tg.createTask(i === 10 ? failing(1, "task failed") : work(100, i)))
    )
  )
  yield* check(groupError.errors.length === 1, "a task group reports the failure")

  // timeout, timeoutAt with reschedule, waitFor: expiring and not.
  const scopes = yield* Effect.forEach(range(50), (i) =>
    Effect.exit(
      i % 3 === 0
        ? aio.timeout(1, work(50, i))
        : i % 3 === 1
        ? aio.timeout(null, (t) => Effect.andThen(t.reschedule(null), work(0, i)))
        : aio.waitFor(work(i % 2 === 0 ? 50 : 0, i), 2)
    ), { concurrency: "unbounded" })
  yield* check(scopes.some(Exit.isFailure) && scopes.some(Exit.isSuccess), "timeouts expire and not")

  // shield: the caller gives up, the work goes on in the background.
  yield* Effect.forEach(range(50), (i) => Effect.exit(aio.waitFor(aio.shield(work(2, i)), 1)), {
    concurrency: "unbounded",
    discard: true
  })
})

const heapMB = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

const main = Effect.gen(function*() {
  // Measure the size of a round, then split the target into batches.
  yield* round
  const perRound = lifecycles
  const roundsPerBatch = Math.max(1, Math.round(target / BATCHES / perRound))
  const batches = Math.max(2, Math.ceil(target / (roundsPerBatch * perRound)))
  console.log(
    `soak: ${target.toLocaleString("en")} lifecycles, ${batches} batches of ${roundsPerBatch} rounds ` +
      `(~${perRound} lifecycles per round, 10 rounds at a time), Node ${process.version}`
  )
  const heap: Array<number> = []
  const started = Date.now()
  for (let batch = 1; batch <= batches; batch++) {
    const before = Date.now()
    yield* Effect.forEach(range(roundsPerBatch), () => round, { concurrency: 10, discard: true })
    // Let the shielded work still running finish before measuring.
    yield* Effect.sleep(20)
    heap.push(heapMB())
    console.log(
      `batch ${String(batch).padStart(3)}/${batches}  lifecycles ${lifecycles.toLocaleString("en").padStart(11)}  ` +
        `heap ${heap[batch - 1].toFixed(2).padStart(7)} MB  ${Date.now() - before} ms`
    )
  }
  const second = heap[1]
  const last = heap[heap.length - 1]
  const growth = (last - second) / second
  console.log(
    `heap after forced GC: batch 2 ${second.toFixed(2)} MB, last ${last.toFixed(2)} MB, growth ${
      (growth * 100).toFixed(2)
    }% (limit ${GROWTH_LIMIT * 100}%); ${lifecycles.toLocaleString("en")} lifecycles in ${
      ((Date.now() - started) / 1000).toFixed(1)
    } s`
  )
  if (growth >= GROWTH_LIMIT) {
    return yield* Effect.fail(new SoakError(`the heap grew by ${(growth * 100).toFixed(2)}%`))
  }
  console.log("soak: ok")
})

aio.run(main)
