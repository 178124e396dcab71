/**
 * `asyncio_wait_timeout.py` from PyMOTW-3, "Composing Coroutines with Control
 * Structures: Waiting for Multiple Coroutines" (seeds 000 and 001).
 *
 * ```python
 * async def phase(i):
 *     print('in phase {}'.format(i))
 *     try:
 *         await asyncio.sleep(0.1 * i)
 *     except asyncio.CancelledError:
 *         print('phase {} canceled'.format(i))
 *         raise
 *     else:
 *         print('done with phase {}'.format(i))
 *         return 'phase {} result'.format(i)
 *
 * async def main(num_phases):
 *     print('starting main')
 *     phases = [phase(i) for i in range(num_phases)]
 *     print('waiting 0.1 for phases to complete')
 *     completed, pending = await asyncio.wait(phases, timeout=0.1)
 *     print('{} completed and {} pending'.format(len(completed), len(pending)))
 *     # Cancel remaining tasks so they do not generate errors
 *     # as we exit without finishing them.
 *     if pending:
 *         print('canceling tasks')
 *         for t in pending:
 *             t.cancel()
 *     print('exiting main')
 * ```
 *
 * The source prints "canceled" and "canceling" while the seed's transcript
 * says "cancelled" and "cancelling" (it was made with a later revision of the
 * script); we follow the transcript.
 *
 * Run it: `node_modules/.bin/node examples/asyncio_wait_timeout.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { asyncioSleep } from "./shared/python.ts"

const phase = (i: number) =>
  Effect.gen(function*() {
    yield* Console.log(`in phase ${i}`)
    yield* asyncioSleep(100 * i).pipe(
      Effect.onInterrupt(() => Console.log(`phase ${i} cancelled`))
    )
    yield* Console.log(`done with phase ${i}`)
    return `phase ${i} result`
  })

export const main = Effect.gen(function*() {
  yield* Console.log("starting main")
  const phases = yield* Effect.forEach([0, 1, 2], (i) => aio.createTask(phase(i)))
  yield* Console.log("waiting 0.1 for phases to complete")
  // The original printed "in phase 1", "in phase 0", "in phase 2": asyncio's
  // `wait` wrapped the coroutines in a set, so they started in an
  // unpredictable order. Our tasks start in creation order: 0, 1, 2.
  //
  // Phase 1 also ends at 0.1 s. As in asyncio, `wait`'s timer was armed
  // before phase 1's sleep (the phases have not run yet when `wait` starts
  // it), so `wait` wakes first and reports phase 1 as pending.
  const { done, pending } = yield* aio.wait(phases, { timeout: 100 })
  yield* Console.log(`${done.length} completed and ${pending.length} pending`)
  if (pending.length > 0) {
    yield* Console.log("cancelling tasks")
    // asyncio's `t.cancel()` only requests the cancellation: the task sees it
    // at its next step, after `main` has printed "exiting main". `aio.cancel(t)`
    // waits until the task has run its finalizers (and `t.interruptUnsafe()`
    // runs them at once), so either would print "phase 1 cancelled" before
    // "exiting main". To keep asyncio's order we fork each cancel: that is a
    // request, which runs once `main` waits. Here `main` never waits again: it
    // prints "exiting main" and ends, and a fiber that ends interrupts its
    // unfinished tasks (phase 1, then phase 2) before its own exit, so that is
    // what delivers the request, much as the loop's last turn does in asyncio.
    // Phase 1's sleep ends at 0.1 s too, but it is interrupted before it can
    // resume, as in asyncio, where the pending cancel wins over the finished
    // sleep.
    for (const task of pending) yield* Effect.forkChild(aio.cancel(task))
  }
  yield* Console.log("exiting main")
})

if (import.meta.main) aio.run(main)
