/**
 * The blog "The ways to wait" (seed 002), "Interlude: timeout context
 * managers": one total timeout over sequential work.
 *
 * ```python
 * try:
 *     async with asyncio.timeout(0.4):
 *         await f()
 *         await g()
 * except TimeoutError:
 *     print("timed out: f() and g() took longer than 0.4 s in total")
 * ```
 *
 * f() takes 0.3 s and g() 0.2 s, so the deadline passes while g() runs: g()
 * is interrupted and the scope fails with `Cause.TimeoutError`. The body may
 * also take the scope's handle, `aio.timeout(delay, (t) => ...)`, to read or
 * move the deadline (`t.when`, `t.reschedule`, `t.expired`), as
 * `asyncio.Timeout` does.
 *
 * Run it: `node_modules/.bin/node examples/timeout_scope.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { job, stopwatch } from "./shared/jobs.ts"

const f = job("f", 300)
const g = job("g", 200)

export const main = Effect.gen(function*() {
  const elapsed = yield* stopwatch
  yield* aio.timeout(
    "400 millis",
    Effect.gen(function*() {
      yield* f
      yield* g
    })
  ).pipe(
    Effect.catchTag("TimeoutError", () => Console.log("timed out: f() and g() took longer than 0.4 s in total"))
  )
  yield* Console.log(`gave up after ${yield* elapsed}`)
})

if (import.meta.main) aio.run(main)
