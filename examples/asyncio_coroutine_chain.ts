/**
 * `asyncio_coroutine_chain.py` from PyMOTW-3, "Cooperative Multitasking with
 * Coroutines: Chaining Coroutines" (seed 004).
 *
 * ```python
 * async def outer():
 *     print('in outer')
 *     print('waiting for result1')
 *     result1 = await phase1()
 *     print('waiting for result2')
 *     result2 = await phase2(result1)
 *     return (result1, result2)
 *
 * async def phase1():
 *     print('in phase1')
 *     return 'result1'
 *
 * async def phase2(arg):
 *     print('in phase2')
 *     return 'result2 derived from {}'.format(arg)
 *
 * event_loop = asyncio.get_event_loop()
 * try:
 *     return_value = event_loop.run_until_complete(outer())
 *     print('return value: {!r}'.format(return_value))
 * finally:
 *     event_loop.close()
 * ```
 *
 * `Effect.fn` declares an effectful function, as `async def` does, and
 * `yield*` inside it is `await`. For the pre-3.5 generator form of the same
 * program, see `asyncio_generator.ts`.
 *
 * Run it: `node_modules/.bin/node examples/asyncio_coroutine_chain.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { repr, Tuple } from "./shared/python.ts"

const phase1 = Effect.fn("phase1")(function*() {
  yield* Console.log("in phase1")
  return "result1"
})

const phase2 = Effect.fn("phase2")(function*(arg: string) {
  yield* Console.log("in phase2")
  return `result2 derived from ${arg}`
})

const outer = Effect.fn("outer")(function*() {
  yield* Console.log("in outer")
  yield* Console.log("waiting for result1")
  const result1 = yield* phase1()
  yield* Console.log("waiting for result2")
  const result2 = yield* phase2(result1)
  return [result1, result2] as const
})

export const main = Effect.gen(function*() {
  const returnValue = yield* outer()
  yield* Console.log(`return value: ${repr(new Tuple(...returnValue))}`)
})

if (import.meta.main) aio.run(main)
