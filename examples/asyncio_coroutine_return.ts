/**
 * `asyncio_coroutine_return.py` from PyMOTW-3, "Cooperative Multitasking
 * with Coroutines: Returning Values from Coroutines" (seed 004).
 *
 * ```python
 * async def coroutine():
 *     print('in coroutine')
 *     return 'result'
 *
 * event_loop = asyncio.get_event_loop()
 * try:
 *     return_value = event_loop.run_until_complete(coroutine())
 *     print('it returned: {!r}'.format(return_value))
 * finally:
 *     event_loop.close()
 * ```
 *
 * Run it: `node_modules/.bin/node examples/asyncio_coroutine_return.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { repr } from "./shared/python.ts"

const coroutine = Effect.fn("coroutine")(function*() {
  yield* Console.log("in coroutine")
  return "result"
})

export const main = Effect.gen(function*() {
  // `yield*` hands back the value the effect returns, as
  // `run_until_complete` does.
  const returnValue = yield* coroutine()
  yield* Console.log(`it returned: ${repr(returnValue)}`)
})

if (import.meta.main) aio.run(main)
