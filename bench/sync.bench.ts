/**
 * Synchronization primitives under contention: N tasks started at once that
 * each take a lock (or one of 16 semaphore permits), yield once and release
 * it; and N items through a bounded queue (64) from 4 producers to 4
 * consumers. effect-asyncio against Effect's own `Semaphore` and `Queue`
 * (the floor for the operations they share), promises (p-limit, p-queue, a
 * hand-written channel) and CPython asyncio.
 */
import * as aio from "effect-asyncio"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Semaphore from "effect/Semaphore"
import pLimit from "p-limit"
import PQueue from "p-queue"
import { Channel } from "./baselines/channel.ts"
import { checkIndices, checkPermutation, timed, type TimedWorkload } from "./harness.ts"
import { promiseTask, range, yieldOnce } from "./tasks.ts"

const suite = "sync"
const all = <A>(effects: ReadonlyArray<Effect.Effect<A>>) => Effect.all(effects, { concurrency: "unbounded" })

const guarded = (permits: number, name: string): TimedWorkload => ({
  kind: "timed",
  id: permits === 1 ? "lock" : "semaphore",
  suite,
  title: permits === 1 ? "lock under contention" : "semaphore(16) under contention",
  description: `N tasks at once each take ${permits === 1 ? "the lock" : "one of 16 permits"}, yield once, release it.`,
  // Effect's Semaphore (effect 4.1) takes time quadratic in its waiters:
  // 1.2 s at N = 10,000, 12 s at 20,000, so about 5 minutes a sample at
  // 100,000. The workload stops at 10,000.
  maxN: 10_000,
  variants: (n) => {
    const indices = range(n)
    const check = (result: unknown) => checkIndices(result, n)
    return [
      timed({
        name,
        kind: "effect-asyncio",
        role: "ours",
        run: () =>
          Effect.runPromise(
            permits === 1
              ? Effect.flatMap(aio.makeLock(), (lock) => all(indices.map((i) => lock.withLock(yieldOnce(i)))))
              : Effect.flatMap(
                aio.makeSemaphore(permits),
                (sem) => all(indices.map((i) => sem.withPermit(yieldOnce(i))))
              )
          ),
        check
      }),
      timed({
        name: `Semaphore.make(${permits}) withPermit`,
        kind: "effect",
        role: "raw",
        run: () =>
          Effect.runPromise(
            Effect.flatMap(Semaphore.make(permits), (sem) => all(indices.map((i) => sem.withPermit(yieldOnce(i)))))
          ),
        check
      }),
      timed({
        name: `p-limit(${permits})`,
        kind: "promise",
        role: "promise",
        run: () => {
          const limit = pLimit(permits)
          return Promise.all(indices.map((i) => limit(() => promiseTask(i))))
        },
        check
      }),
      timed({
        name: `p-queue concurrency ${permits}`,
        kind: "promise",
        run: () => {
          const queue = new PQueue({ concurrency: permits })
          return Promise.all(indices.map((i) => queue.add(() => promiseTask(i))))
        },
        check
      })
    ]
  }
})

const PRODUCERS = 4
const CONSUMERS = 4
const CAPACITY = 64

/** Producer p puts the indices i with i % PRODUCERS === p; each consumer takes its share. */
const shares = (n: number, parts: number) => range(parts).map((p) => range(n).filter((i) => i % parts === p))

export const queueThroughput: TimedWorkload = {
  kind: "timed",
  id: "queue",
  suite,
  title: "queue(64), 4 producers, 4 consumers",
  description: "N items through a bounded queue of 64, put by 4 producers and taken by 4 consumers.",
  variants: (n) => {
    const produced = shares(n, PRODUCERS)
    const takes = shares(n, CONSUMERS).map((share) => share.length)
    const check = (result: unknown) => checkPermutation((result as ReadonlyArray<ReadonlyArray<number>>).flat(), n)
    const effectQueue = () =>
      Effect.runPromise(Effect.gen(function*() {
        const queue = yield* Queue.bounded<number>(CAPACITY)
        const producers = produced.map((items) =>
          Effect.forEach(items, (i) => Queue.offer(queue, i), { discard: true })
        )
        const consumers = takes.map((count) => Effect.replicateEffect(Queue.take(queue), count))
        const [, taken] = yield* Effect.all([all(producers), all(consumers)], { concurrency: "unbounded" })
        return taken
      }))
    return [
      timed({
        name: "aio.makeQueue put/get",
        kind: "effect-asyncio",
        role: "ours",
        run: () =>
          Effect.runPromise(Effect.gen(function*() {
            const queue = yield* aio.makeQueue<number>({ maxsize: CAPACITY })
            const producers = produced.map((items) => Effect.forEach(items, (i) => queue.put(i), { discard: true }))
            const consumers = takes.map((count) => Effect.orDie(Effect.replicateEffect(queue.get, count)))
            const [, taken] = yield* Effect.all([all(producers.map(Effect.orDie)), all(consumers)], {
              concurrency: "unbounded"
            })
            return taken
          })),
        check
      }),
      timed({
        name: "Queue.bounded offer/take",
        kind: "effect",
        role: "raw",
        run: effectQueue,
        check
      }),
      timed({
        name: "Queue.bounded offer/take, again (A/A control)",
        kind: "effect",
        role: "control",
        run: effectQueue,
        check
      }),
      timed({
        name: "baseline channel (promises)",
        kind: "promise",
        role: "promise",
        run: async () => {
          const channel = new Channel<number>(CAPACITY)
          const producers = produced.map(async (items) => {
            for (const i of items) await channel.put(i)
          })
          const consumers = takes.map(async (count) => {
            const out: Array<number> = []
            for (let k = 0; k < count; k++) out.push(await channel.get())
            return out
          })
          await Promise.all(producers)
          return Promise.all(consumers)
        },
        check
      })
    ]
  }
}

export const workloads = [
  guarded(1, "aio.makeLock withLock"),
  guarded(16, "aio.makeSemaphore(16) withPermit"),
  queueThroughput
]
