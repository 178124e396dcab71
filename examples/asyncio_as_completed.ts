/**
 * `asyncio_as_completed.py` from PyMOTW-3, "Composing Coroutines with
 * Control Structures: Handling Background Operations as They Finish" (seeds
 * 000 and 001).
 *
 * ```python
 * async def phase(i):
 *     print('in phase {}'.format(i))
 *     await asyncio.sleep(0.5 - (0.1 * i))
 *     print('done with phase {}'.format(i))
 *     return 'phase {} result'.format(i)
 *
 * async def main(num_phases):
 *     print('starting main')
 *     phases = [phase(i) for i in range(num_phases)]
 *     print('waiting for phases to complete')
 *     results = []
 *     for next_to_complete in asyncio.as_completed(phases):
 *         answer = await next_to_complete
 *         print('received answer {!r}'.format(answer))
 *         results.append(answer)
 *     print('results: {!r}'.format(results))
 *     return results
 * ```
 *
 * Run it: `node_modules/.bin/node examples/asyncio_as_completed.ts`
 */
import { Console, Effect, Stream } from "effect"
import * as aio from "effect-asyncio"
import { repr } from "./shared/python.ts"

const phase = (i: number) =>
  Effect.gen(function*() {
    yield* Console.log(`in phase ${i}`)
    yield* Effect.sleep(500 - 100 * i)
    yield* Console.log(`done with phase ${i}`)
    return `phase ${i} result`
  })

export const main = Effect.gen(function*() {
  yield* Console.log("starting main")
  // Like coroutine objects, these effects are descriptions: nothing runs yet.
  const phases = [0, 1, 2].map(phase)
  yield* Console.log("waiting for phases to complete")
  // The original printed "in phase 0", "in phase 2", "in phase 1": Python
  // 3.7's `as_completed` put the awaitables in a set, so they started in an
  // unpredictable order. `aio.asCompleted` starts them in input order: 0, 1,
  // 2. The answers still arrive in the order the delays decide: 2, 1, 0.
  const results: Array<string> = []
  yield* aio.asCompleted(phases).pipe(
    Stream.runForEach((answer) =>
      Effect.gen(function*() {
        yield* Console.log(`received answer ${repr(answer)}`)
        results.push(answer)
      })
    )
  )
  yield* Console.log(`results: ${repr(results)}`)
  return results
})

if (import.meta.main) aio.run(main)
