/**
 * The blog "The ways to wait" (seed 002), section "asyncio.gather()":
 * "You can also pass return_exceptions=True and then exceptions are returned
 * like normal results and you have to check yourself whether or not they
 * were successful (e.g. using isinstance(result, BaseException))."
 *
 * ```python
 * results = await asyncio.gather(f(), g(), return_exceptions=True)
 * print(f"results: {results!r}")
 * for name, result in zip(["f", "g"], results):
 *     if isinstance(result, BaseException):
 *         print(f"{name}() failed with {result!r}")
 *     else:
 *         print(f"{name}() returned {result!r}")
 * ```
 *
 * With `returnExceptions: true` each slot holds the `Exit` of its effect
 * (success, typed failure, defect or interruption), and `gather` never
 * fails: f() is not interrupted when g() fails.
 *
 * Run it: `node_modules/.bin/node examples/gather_return_exceptions.ts`
 */
import { Cause, Console, Effect, Exit } from "effect"
import * as aio from "effect-asyncio"
import { failingJob, job } from "./shared/jobs.ts"
import { repr } from "./shared/python.ts"

const f = job("f", 300)
const g = failingJob("g", 200)

export const main = Effect.gen(function*() {
  // [Exit<string>, Exit<never, JobError>]
  const exits = yield* aio.gather([f, g], { returnExceptions: true })
  // What Python's list holds: the value, or the exception.
  const results = exits.map((exit) => Exit.isSuccess(exit) ? exit.value : Cause.squash(exit.cause))
  yield* Console.log(`results: ${repr(results)}`)
  const names = ["f", "g"]
  for (const [i, exit] of exits.entries()) {
    yield* Exit.match(exit, {
      onSuccess: (value) => Console.log(`${names[i]}() returned ${repr(value)}`),
      onFailure: (cause) => Console.log(`${names[i]}() failed with ${repr(Cause.squash(cause))}`)
    })
  }
})

if (import.meta.main) aio.run(main)
