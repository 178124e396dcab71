/**
 * A quorum read: ask five replicas, answer with the newest value among the
 * first three to reply, and cancel the two slow ones once the answer is in.
 *
 * asyncio has no quorum wait; the usual loop waits for one task at a time
 * and counts the successes:
 *
 * ```python
 * async def read(replica, delay, version, value):
 *     try:
 *         await asyncio.sleep(delay)
 *     except asyncio.CancelledError:
 *         print(f"{now()} ms  replica {replica} cancelled")
 *         raise
 *     print(f"{now()} ms  replica {replica} answers v{version}")
 *     return version, value
 *
 * tasks = [asyncio.create_task(read(*r)) for r in REPLICAS]
 * done, pending, ok = set(), set(tasks), 0
 * while ok < 3 and pending:
 *     finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
 *     done |= finished
 *     ok = sum(1 for t in done if not t.cancelled() and t.exception() is None)
 * for t in pending:
 *     t.cancel()
 * await asyncio.gather(*pending, return_exceptions=True)
 * version, value = max(t.result() for t in done if t.exception() is None)
 * print(f"{now()} ms  quorum read: v{version} {value!r}")
 * ```
 *
 * Here `aio.wait` with `returnWhen: aio.quorum(3)` is that loop: it returns
 * once three replicas have answered, or once three answers have become
 * impossible (a failed replica does not count). As with every `returnWhen`,
 * the rest are left pending and running; `aio.cancel` stops each and waits
 * until it has run its finalizers.
 *
 * Run it: `node_modules/.bin/node examples/quorum_read.ts`
 */
import { Console, Effect, Option } from "effect"
import * as aio from "effect-asyncio"
import { makeStamp } from "./shared/stamp.ts"

interface Replica {
  readonly name: string
  readonly millis: number
  readonly version: number
  readonly value: string
}

/** Replica a lags one write behind; d and e are slow (a far data centre, a long pause). */
const replicas: ReadonlyArray<Replica> = [
  { name: "a", millis: 20, version: 6, value: "draft" },
  { name: "b", millis: 40, version: 7, value: "final" },
  { name: "c", millis: 60, version: 7, value: "final" },
  { name: "d", millis: 400, version: 7, value: "final" },
  { name: "e", millis: 900, version: 7, value: "final" }
]

export const main = Effect.gen(function*() {
  const stamp = yield* makeStamp
  const read = (replica: Replica) =>
    Effect.gen(function*() {
      yield* Effect.sleep(replica.millis)
      yield* Console.log(`${yield* stamp}  replica ${replica.name} answers v${replica.version}`)
      return replica
    }).pipe(
      Effect.onInterrupt(() => Effect.flatMap(stamp, (at) => Console.log(`${at}  replica ${replica.name} cancelled`)))
    )

  const tasks = yield* Effect.forEach(replicas, (replica) => aio.createTask(read(replica), { name: replica.name }))
  const { done, pending } = yield* aio.wait(tasks, { returnWhen: aio.quorum(3) })
  for (const task of pending) yield* aio.cancel(task)

  const answers: Array<Replica> = []
  for (const task of done) {
    if (Option.isNone(yield* aio.exception(task))) answers.push(yield* aio.result(task))
  }
  if (answers.length < 3) return yield* Console.log(`${yield* stamp}  no quorum: ${answers.length} of 3 answered`)
  const newest = answers.reduce((best, answer) => (answer.version > best.version ? answer : best))
  yield* Console.log(`${yield* stamp}  quorum read: v${newest.version} "${newest.value}"`)
})

if (import.meta.main) aio.run(main)
