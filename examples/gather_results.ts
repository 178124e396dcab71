/**
 * The blog "The ways to wait" (seed 002), section "asyncio.gather()":
 * results in argument order, and the first exception raised.
 *
 * ```python
 * result_f, result_g = await asyncio.gather(f(), g())
 *
 * try:
 *     await asyncio.gather(f(), g())  # g() raises JobError this time
 * except JobError as e:
 *     print(f"gather raised {e!r}")
 * ```
 *
 * One deliberate difference: "If f() or g() raise an exception, gather()
 * will raise it immediately, but the other tasks are not affected." Nobody
 * can reach those tasks any more, so `aio.gather` interrupts them, and
 * returns only after their cleanup: "f() cancelled" comes before "gather
 * raised". With asyncio, f() would go on and print "f() finished" later.
 *
 * Run it: `node_modules/.bin/node examples/gather_results.ts`
 */
import { Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import { failingJob, job, stopwatch } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = job("g", 200)
const gFails = failingJob("g", 200)

const bothSucceed = Effect.gen(function*() {
  yield* Console.log("# f() and g() succeed")
  const elapsed = yield* stopwatch
  // A tuple in, a typed tuple out: [string, string].
  const [resultF, resultG] = yield* aio.gather([f, g])
  yield* Console.log(`result_f = ${repr(resultF)}, result_g = ${repr(resultG)}`)
  yield* Console.log(`took ${yield* elapsed}, the longest of the two`)
})

const gRaises = Effect.gen(function*() {
  yield* Console.log("# g() raises")
  const elapsed = yield* stopwatch
  yield* aio.gather([f, gFails]).pipe(
    // The error channel is `JobError`, so the handler is checked by the types.
    Effect.catchTag("JobError", (e) => Console.log(`gather raised ${repr(e)}`)),
    Effect.asVoid
  )
  yield* Console.log(`took ${yield* elapsed}: f() was not left running`)
})

export const main = Effect.gen(function*() {
  yield* bothSucceed
  yield* gRaises
})

if (import.meta.main) aio.run(main)
