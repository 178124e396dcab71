/**
 * Type tests for the synchronization primitives and the executor: compiled
 * by `tsc -p tsconfig.json` as part of `npm test`, never run.
 */
import type { Effect, Order } from "effect"
import * as aio from "effect-asyncio"
import type * as Jobs from "../fixtures/jobs.ts"
import type { Equal, Expect } from "./helpers.ts"

declare const queue: aio.Queue<string>
export type QueueGet = Expect<Equal<typeof queue.get, Effect.Effect<string, aio.QueueShutDown>>>
export type QueueGetNowait = Expect<
  Equal<typeof queue.getNowait, Effect.Effect<string, aio.QueueEmpty | aio.QueueShutDown>>
>
export type QueuePutNowait = Expect<
  Equal<ReturnType<typeof queue.putNowait>, Effect.Effect<void, aio.QueueFull | aio.QueueShutDown>>
>
// @ts-expect-error a queue of strings takes strings
export const wrongItem = queue.put(42)

declare const byLength: Order.Order<string>
const priority = aio.makePriorityQueue({ order: byLength })
export type PriorityInfersItem = Expect<Equal<typeof priority, Effect.Effect<aio.Queue<string>>>>
// @ts-expect-error a priority queue needs an order
export const noOrder = aio.makePriorityQueue<string>({})

declare const barrier: aio.Barrier
export type BarrierWait = Expect<Equal<typeof barrier.wait, Effect.Effect<number, aio.BrokenBarrierError>>>

declare const cond: aio.Condition
const firstItem = cond.waitFor(() => "item" as const)
export type WaitForValue = Expect<Equal<typeof firstItem, Effect.Effect<"item">>>

// A typed job module checks the name and the arguments, and types the result.
const jobs = aio.workerModule<typeof Jobs>(new URL("../fixtures/jobs.ts", import.meta.url))
const sum = aio.toThread(jobs, "add", 1, 2)
export type TypedJob = Expect<Equal<typeof sum, Effect.Effect<number, aio.WorkerError>>>
const later = aio.toThread(jobs, "later", "x")
export type AsyncJob = Expect<Equal<typeof later, Effect.Effect<string, aio.WorkerError>>>
// @ts-expect-error not an exported function of the module
export const missing = aio.toThread(jobs, "nope")
// @ts-expect-error wrong argument types
export const wrongArgs = aio.toThread(jobs, "add", "1", 2)
// A bare URL is untyped.
const untyped = aio.toThread(new URL("../fixtures/jobs.ts", import.meta.url), "add", 1, 2)
export type UntypedJob = Expect<Equal<typeof untyped, Effect.Effect<unknown, aio.WorkerError>>>
