/**
 * The blog "The ways to wait" (seed 002), section "asyncio.wait_for()": a
 * timeout around a `gather`.
 *
 * ```python
 * try:
 *     result_f, result_g = await asyncio.wait_for(
 *         asyncio.gather(f(), g()),
 *         timeout=5.0,
 *     )
 * except asyncio.TimeoutError:
 *     print("oops took longer than 5s!")
 * ```
 *
 * "If the timeout expires, the inner task gets cancelled. Which for gather()
 * means that all tasks that it is gathering are canceled too." Here the
 * timeout is 0.1 s, shorter than f() (0.3 s) and g() (0.2 s). `aio.waitFor`
 * fails with Effect's own `Cause.TimeoutError`, and only after the
 * interrupted work has finished its cleanup, as in Python 3.12+.
 *
 * The blog's warning applies unchanged: `aio.waitFor(f, ...)` is an effect,
 * a description that starts nothing until it is awaited, so two of them
 * awaited one after the other run one after the other.
 *
 * Run it: `node_modules/.bin/node examples/wait_for_gather.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { job } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = job("g", 200)

export const main = aio.waitFor(aio.gather([f, g]), "100 millis").pipe(
  Effect.flatMap(([resultF, resultG]) => Console.log(`result_f = ${repr(resultF)}, result_g = ${repr(resultG)}`)),
  Effect.catchTag("TimeoutError", () => Console.log("oops took longer than 0.1s!"))
)

if (import.meta.main) aio.run(main)
