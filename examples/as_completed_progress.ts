/**
 * The blog "The ways to wait" (seed 002), section "asyncio.as_completed()":
 * a progress indicator, with a timeout.
 *
 * ```python
 * for fut in asyncio.as_completed([task_f, task_g, task_h], timeout=0.4):
 *     try:
 *         await fut
 *         print("one task down!")
 *     except TimeoutError:
 *         raise
 *     except Exception:
 *         print("ouch")
 * ```
 *
 * `aio.asCompleted` is a `Stream` of the results in the order the work
 * finishes. A failure ends the stream (it is the stream's error), so to
 * count failures as progress, as the blog's `except Exception` does, each
 * job is wrapped in `Effect.exit` and the stream carries `Exit`s. When the
 * timeout passes, the stream fails with `Cause.TimeoutError` after the items
 * already received.
 *
 * One deliberate difference: the stream started the jobs and owns them, so
 * on timeout it interrupts the unfinished one ("h() cancelled") before it
 * fails; asyncio's `as_completed` leaves it running. To keep tasks running
 * past the timeout, start them yourself and use `aio.asCompletedTasks`,
 * which never interrupts them.
 *
 * Run it: `node_modules/.bin/node examples/as_completed_progress.ts`
 */
import { Console, Effect, Exit, Stream } from "effect"
import * as aio from "effect-asyncio"
import { failingJob, job } from "./shared/jobs.ts"

const jobs = [job("f", 300), failingJob("g", 200), job("h", 600)]

export const main = Effect.gen(function*() {
  let received = 0
  yield* aio.asCompleted(jobs.map(Effect.exit), { timeout: "400 millis" }).pipe(
    Stream.runForEach((exit) => {
      received++
      return Console.log(`[${received}/${jobs.length}] ${Exit.isSuccess(exit) ? "one task down!" : "ouch"}`)
    }),
    Effect.catchTag(
      "TimeoutError",
      () => Console.log(`timed out after 0.4 s with ${jobs.length - received} of ${jobs.length} unfinished`)
    )
  )
})

if (import.meta.main) aio.run(main)
