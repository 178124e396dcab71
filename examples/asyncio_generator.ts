/**
 * `asyncio_generator.py` from PyMOTW-3, "Cooperative Multitasking with
 * Coroutines: Generators Instead of Coroutines" (seed 004).
 *
 * ```python
 * @asyncio.coroutine
 * def outer():
 *     print('in outer')
 *     print('waiting for result1')
 *     result1 = yield from phase1()
 *     print('waiting for result2')
 *     result2 = yield from phase2(result1)
 *     return (result1, result2)
 *
 * @asyncio.coroutine
 * def phase1():
 *     print('in phase1')
 *     return 'result1'
 *
 * @asyncio.coroutine
 * def phase2(arg):
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
 * This is Effect's native form: `Effect.gen` turns a generator function into
 * an effect, as `@asyncio.coroutine` turned one into a coroutine, and
 * `yield*` is exactly Python's `yield from` (delegating to another
 * generator). The program is `asyncio_coroutine_chain.ts` written with plain
 * functions that return `Effect.gen(...)` instead of `Effect.fn`.
 *
 * Run it: `node_modules/.bin/node examples/asyncio_generator.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { repr, Tuple } from "./shared/python.ts"

const outer = () =>
  Effect.gen(function*() {
    yield* Console.log("in outer")
    yield* Console.log("waiting for result1")
    const result1 = yield* phase1()
    yield* Console.log("waiting for result2")
    const result2 = yield* phase2(result1)
    return new Tuple(result1, result2)
  })

const phase1 = () =>
  Effect.gen(function*() {
    yield* Console.log("in phase1")
    return "result1"
  })

const phase2 = (arg: string) =>
  Effect.gen(function*() {
    yield* Console.log("in phase2")
    return `result2 derived from ${arg}`
  })

export const main = Effect.gen(function*() {
  const returnValue = yield* outer()
  yield* Console.log(`return value: ${repr(returnValue)}`)
})

if (import.meta.main) aio.run(main)
