/**
 * The blog's `f()` and `g()` (seed 002): "It's not important what they do,
 * only that they are defined as `async def` and that they terminate
 * eventually." Ours say when they start, finish, fail or are cancelled, so
 * the transcripts show what each way of waiting does to them.
 */
import { Clock, Console, Data, Effect } from "effect"

/** The error of a job that fails. */
export class JobError extends Data.TaggedError("JobError")<{ readonly job: string }> {}

const reportCancel = (name: string) => Effect.onInterrupt(() => Console.log(`${name}() cancelled`))

/** An `async def` job that sleeps `millis` and returns `"<name> result"`. */
export const job = (name: string, millis: number): Effect.Effect<string> =>
  Effect.gen(function*() {
    yield* Console.log(`${name}() started`)
    yield* Effect.sleep(millis)
    yield* Console.log(`${name}() finished`)
    return `${name} result`
  }).pipe(reportCancel(name))

/** An `async def` job that sleeps `millis`, then raises `JobError`. */
export const failingJob = (name: string, millis: number): Effect.Effect<never, JobError> =>
  Effect.gen(function*() {
    yield* Console.log(`${name}() started`)
    yield* Effect.sleep(millis)
    yield* Console.log(`${name}() raises JobError`)
    return yield* new JobError({ job: name })
  }).pipe(reportCancel(name))

/**
 * Starts a stopwatch on Effect's `Clock` (so `TestClock` drives it in the
 * golden tests); the effect it returns reads the time elapsed, as "0.3 s".
 */
export const stopwatch: Effect.Effect<Effect.Effect<string>> = Effect.map(
  Clock.currentTimeMillis,
  (start) => Effect.map(Clock.currentTimeMillis, (now) => `${((now - start) / 1000).toFixed(1)} s`)
)
