/**
 * `asyncio_coroutine.py` from PyMOTW-3, "Cooperative Multitasking with
 * Coroutines: Starting a Coroutine" (seed 004).
 *
 * ```python
 * async def coroutine():
 *     print('in coroutine')
 *
 * event_loop = asyncio.get_event_loop()
 * try:
 *     print('starting coroutine')
 *     coro = coroutine()
 *     print('entering event loop')
 *     event_loop.run_until_complete(coro)
 * finally:
 *     print('closing event loop')
 *     event_loop.close()
 * ```
 *
 * `Effect.fn` plays `async def`: calling `coroutine()` returns an Effect, a
 * description of the work that, like a coroutine object, does nothing until
 * it is run. The script's top level becomes `main`; `yield* coro` runs the
 * coroutine to completion (`run_until_complete`) and `Effect.ensuring` is the
 * `finally` clause.
 *
 * Run it: `node_modules/.bin/node examples/asyncio_coroutine.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"

const coroutine = Effect.fn("coroutine")(function*() {
  yield* Console.log("in coroutine")
})

export const main = Effect.gen(function*() {
  yield* Console.log("starting coroutine")
  const coro = coroutine()
  yield* Console.log("entering event loop")
  yield* coro
}).pipe(Effect.ensuring(Console.log("closing event loop")))

if (import.meta.main) aio.run(main)
