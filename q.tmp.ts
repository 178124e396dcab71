import { Effect, Queue } from "effect"
import * as aio from "./src/index.ts"
const n = 20000, CAP = 64
const range = (k: number) => Array.from({ length: k }, (_, i) => i)
const shares = (parts: number) => range(parts).map((p) => range(n).filter((i) => i % parts === p))
const P = shares(4), C = shares(4).map((s) => s.length)
const all = <A>(es: ReadonlyArray<Effect.Effect<A>>) => Effect.all(es, { concurrency: "unbounded" })
const ours = Effect.gen(function*() {
  const q = yield* aio.makeQueue<number>({ maxsize: CAP })
  yield* Effect.all([all(P.map((items) => Effect.orDie(Effect.forEach(items, (i) => q.put(i), { discard: true })))), all(C.map((c) => Effect.orDie(Effect.replicateEffect(q.get, c))))], { concurrency: "unbounded" })
})
const raw = Effect.gen(function*() {
  const q = yield* Queue.bounded<number>(CAP)
  yield* Effect.all([all(P.map((items) => Effect.forEach(items, (i) => Queue.offer(q, i), { discard: true }))), all(C.map((c) => Effect.replicateEffect(Queue.take(q), c)))], { concurrency: "unbounded" })
})
for (let r = 0; r < 6; r++) for (const [name, e] of [["ours", ours], ["raw", raw]] as const) {
  const t = performance.now(); await Effect.runPromise(e); console.log(name, (performance.now() - t).toFixed(1))
}
