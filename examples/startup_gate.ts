/**
 * A start-up gate: request handlers wait on an `Event` until the service has
 * started, then all go at once.
 *
 * ```python
 * ready = asyncio.Event()
 *
 * async def handler(i):
 *     print(f"handler {i} waits for start-up")
 *     await ready.wait()
 *     print(f"{now()} ms  handler {i} serves")
 *
 * async def start_service():
 *     await asyncio.sleep(0.2)            # open connections, load config
 *     print(f"{now()} ms  service ready")
 *     ready.set()
 *
 * await asyncio.gather(start_service(), *(handler(i) for i in range(3)))
 * await handler(3)                         # after start-up: no wait
 * ```
 *
 * Run it: `node_modules/.bin/node examples/startup_gate.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { makeStamp } from "./shared/stamp.ts"

export const main = Effect.gen(function*() {
  const stamp = yield* makeStamp
  const ready = yield* aio.makeEvent()
  const handler = (i: number) =>
    Effect.gen(function*() {
      if (!(yield* ready.isSet)) yield* Console.log(`handler ${i} waits for start-up`)
      yield* ready.wait
      yield* Console.log(`${yield* stamp}  handler ${i} serves`)
    })
  const startService = Effect.gen(function*() {
    yield* Effect.sleep("200 millis")
    yield* Console.log(`${yield* stamp}  service ready`)
    yield* ready.set
  })
  yield* aio.gather([startService, handler(0), handler(1), handler(2)])
  yield* handler(3)
})

if (import.meta.main) aio.run(main)
