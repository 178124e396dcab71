/**
 * `asyncio_wait.py` from PyMOTW-3, "Composing Coroutines with Control
 * Structures: Waiting for Multiple Coroutines" (seeds 000 and 001).
 *
 * ```python
 * async def phase(i):
 *     print('in phase {}'.format(i))
 *     await asyncio.sleep(0.1 * i)
 *     print('done with phase {}'.format(i))
 *     return 'phase {} result'.format(i)
 *
 * async def main(num_phases):
 *     print('starting main')
 *     phases = [phase(i) for i in range(num_phases)]
 *     print('waiting for phases to complete')
 *     completed, pending = await asyncio.wait(phases)
 *     results = [t.result() for t in completed]
 *     print('results: {!r}'.format(results))
 * ```
 *
 * Run it: `node_modules/.bin/node examples/asyncio_wait.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { asyncioSleep, repr } from "./shared/python.ts"

const phase = (i: number) =>
  Effect.gen(function*() {
    yield* Console.log(`in phase ${i}`)
    yield* asyncioSleep(100 * i)
    yield* Console.log(`done with phase ${i}`)
    return `phase ${i} result`
  })

export const main = Effect.gen(function*() {
  yield* Console.log("starting main")
  // `aio.wait` takes tasks, not effects (asyncio 3.11 refuses bare
  // coroutines too), so the phases are started here. They begin running only
  // when `main` first waits, so "waiting for phases to complete" still comes
  // first, as in the original.
  const phases = yield* Effect.forEach([0, 1, 2], (i) => aio.createTask(phase(i)))
  yield* Console.log("waiting for phases to complete")
  const { done } = yield* aio.wait(phases)
  const results: Array<string> = []
  for (const task of done) results.push(yield* aio.result(task))
  // asyncio's `wait` returns sets, so the original printed the results in an
  // unpredictable order ('phase 1 result' first). `aio.wait` returns arrays
  // in input order, and the tasks start in creation order, so ours is always
  // 'phase 0 result', 'phase 1 result', 'phase 2 result'.
  yield* Console.log(`results: ${repr(results)}`)
})

if (import.meta.main) aio.run(main)
