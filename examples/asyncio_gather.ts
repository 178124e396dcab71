/**
 * `asyncio_gather.py` from PyMOTW-3, "Composing Coroutines with Control
 * Structures: Gathering Results from Coroutines" (seeds 000 and 001).
 *
 * ```python
 * async def phase1():
 *     print('in phase1')
 *     await asyncio.sleep(2)
 *     print('done with phase1')
 *     return 'phase1 result'
 *
 * async def phase2():
 *     print('in phase2')
 *     await asyncio.sleep(1)
 *     print('done with phase2')
 *     return 'phase2 result'
 *
 * async def main():
 *     print('starting main')
 *     print('waiting for phases to complete')
 *     results = await asyncio.gather(phase1(), phase2())
 *     print('results: {!r}'.format(results))
 * ```
 *
 * Run it: `node_modules/.bin/node examples/asyncio_gather.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { repr } from "./shared/python.ts"

const phase1 = Effect.gen(function*() {
  yield* Console.log("in phase1")
  yield* Effect.sleep("2 seconds")
  yield* Console.log("done with phase1")
  return "phase1 result"
})

const phase2 = Effect.gen(function*() {
  yield* Console.log("in phase2")
  yield* Effect.sleep("1 second")
  yield* Console.log("done with phase2")
  return "phase2 result"
})

export const main = Effect.gen(function*() {
  yield* Console.log("starting main")
  yield* Console.log("waiting for phases to complete")
  // The original printed "in phase2" before "in phase1": Python 3.7's
  // `gather` started its awaitables in an order of its own. `aio.gather`
  // starts them in argument order (as Python 3.11's does), so "in phase1"
  // comes first. The results keep the argument order whatever order the
  // phases finished in: phase2 finishes first, yet its result is second.
  const results = yield* aio.gather([phase1, phase2])
  yield* Console.log(`results: ${repr(results)}`)
})

if (import.meta.main) aio.run(main)
