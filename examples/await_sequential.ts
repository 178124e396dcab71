/**
 * The blog "The ways to wait" (seed 002), section "await": awaiting one
 * coroutine after the other.
 *
 * ```python
 * result_f = await f()
 * result_g = await g()
 * ```
 *
 * "The coroutines do not run concurrently. g only starts executing after f
 * has finished." The same holds for effects, and for the blog's "naive
 * approach" too: `const coroF = f` starts nothing, since an effect, like a
 * coroutine object, runs only when it is awaited (`yield*`).
 *
 * Run it: `node_modules/.bin/node examples/await_sequential.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { job, stopwatch } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = job("g", 200)

export const main = Effect.gen(function*() {
  const elapsed = yield* stopwatch
  const resultF = yield* f
  const resultG = yield* g
  yield* Console.log(`result_f = ${repr(resultF)}, result_g = ${repr(resultG)}`)
  yield* Console.log(`took ${yield* elapsed}: g() only started after f() finished`)
})

if (import.meta.main) aio.run(main)
