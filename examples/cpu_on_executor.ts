/**
 * A CPU-heavy job on a worker thread next to a ticking timer:
 * `asyncio.to_thread`. On the main thread the job would freeze the timer
 * for its whole run; on a worker thread the timer keeps ticking.
 *
 * ```python
 * async def ticker():
 *     for i in range(1, 4):
 *         await asyncio.sleep(0.1)
 *         print(f"tick {i}: the event loop is free")
 *
 * job = asyncio.create_task(asyncio.to_thread(count_primes, 3_000_000))
 * print("counting primes on a worker thread")
 * await ticker()
 * print(f"primes below 3,000,000: {await job}")
 * ```
 *
 * The job's module is `workers/primes.ts`: a job crosses to its thread as a
 * module URL and an exported function's name, since a closure cannot.
 *
 * Run it: `node_modules/.bin/node examples/cpu_on_executor.ts`
 */
import { Console, Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import type * as Primes from "./workers/primes.ts"

const primes = aio.workerModule<typeof Primes>(new URL("./workers/primes.ts", import.meta.url))

const ticker = Effect.forEach(
  [1, 2, 3],
  (i) => Effect.andThen(Effect.sleep("100 millis"), Console.log(`tick ${i}: the event loop is free`)),
  { discard: true }
)

export const main = Effect.gen(function*() {
  const job = yield* aio.createTask(aio.toThread(primes, "countPrimes", 3_000_000))
  yield* Console.log("counting primes on a worker thread")
  yield* ticker
  const count = yield* Fiber.join(job)
  yield* Console.log(`primes below 3,000,000: ${count.toLocaleString("en-US")}`)
})

if (import.meta.main) aio.run(main)
