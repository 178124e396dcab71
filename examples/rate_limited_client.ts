/**
 * A client that makes at most two calls at a time to a rate-limited service:
 * asyncio's `Semaphore` around each call.
 *
 * ```python
 * limit = asyncio.Semaphore(2)
 *
 * async def call(i):
 *     async with limit:
 *         print(f"{now()} ms  call {i} starts ({2 - limit._value} in flight)")
 *         await asyncio.sleep(0.1)
 *         print(f"{now()} ms  call {i} ends")
 *
 * await asyncio.gather(*(call(i) for i in range(1, 6)))
 * ```
 *
 * Run it: `node_modules/.bin/node examples/rate_limited_client.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { makeStamp } from "./shared/stamp.ts"

export const main = Effect.gen(function*() {
  const stamp = yield* makeStamp
  const limit = yield* aio.makeSemaphore(2)
  const call = (i: number) =>
    limit.withPermit(Effect.gen(function*() {
      const inFlight = 2 - (yield* limit.value)
      yield* Console.log(`${yield* stamp}  call ${i} starts (${inFlight} in flight)`)
      yield* Effect.sleep("100 millis")
      yield* Console.log(`${yield* stamp}  call ${i} ends`)
      return i * 10
    }))
  const results = yield* aio.gather([1, 2, 3, 4, 5].map(call))
  yield* Console.log(`results: ${results.join(", ")}`)
})

if (import.meta.main) aio.run(main)
