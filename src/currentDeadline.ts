/**
 * Deadline propagation (Go's `context.Deadline`, gRPC's deadline header):
 * the deadline of the `timeout`, `timeoutAt` and `waitFor` scopes around the
 * running code, without passing a handle down.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { earliestDeadline, scopesAround } from "./internal/deadline.ts"

/**
 * The deadline the running code must finish by: the earliest of the
 * `timeout`, `timeoutAt` and `waitFor` scopes around it, in milliseconds on
 * the `Clock` (as `Timeout.when` gives it), or `null` when none has one.
 *
 * **When to use**
 *
 * Use to pass the remaining budget on (a header of an outbound request, a
 * database statement timeout), or to skip work that cannot finish in time.
 *
 * **Details**
 *
 * - Every enclosing scope counts, however deep: inside `gather`, task groups
 *   and tasks created inside the scope (which the scope does not cancel, but
 *   whose work was started under its budget), as a Go context's deadline is
 *   the earliest of its ancestors'. An inner scope with a later deadline does
 *   not extend an outer one.
 * - It reads the scopes now: after `reschedule`, every descendant sees the new
 *   deadline. A scope that has finished no longer counts; one whose deadline
 *   has passed does (the deadline is then in the past).
 * - Inside {@link shield}, the scopes outside do not count: they cannot
 *   cancel the shielded work.
 *
 * **Example** (The remaining budget)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Clock, Effect } from "effect"
 *
 * const budget = Effect.gen(function*() {
 *   const deadline = yield* aio.currentDeadline
 *   return deadline === null ? "none" : `${deadline - (yield* Clock.currentTimeMillis)} ms`
 * })
 *
 * const program = Effect.gen(function*() {
 *   const outside = yield* budget
 *   const inside = yield* aio.timeout(500, Effect.andThen(Effect.sleep(100), budget))
 *   return [outside, inside]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "none", "400 ms" ]
 * ```
 *
 * @see {@link deadlineSignal} for promise APIs that take an `AbortSignal`
 * @category deadlines
 * @since 0.1.0
 */
export const currentDeadline: Effect.Effect<number | null> = Effect.withFiber((fiber) =>
  Effect.succeed(earliestDeadline(scopesAround(fiber)))
)

/**
 * An `AbortSignal` that aborts when the deadline of {@link currentDeadline}
 * passes, for promise APIs such as `fetch`.
 *
 * **Details**
 *
 * - It aborts when any of the scopes around the running code expires (so
 *   after a `reschedule`, at the new deadline), on the `Clock` those scopes
 *   run on, with the reason `AbortSignal.timeout` uses: a `DOMException`
 *   named `"TimeoutError"`. Already aborted if one has expired.
 * - Without a scope around (or inside {@link shield}), a signal that never
 *   aborts.
 * - A scope that finishes before its deadline leaves the signal as it is,
 *   never aborted.
 *
 * **Example** (A promise API bounded by the enclosing timeout)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * // A promise API that honours an AbortSignal, as fetch does.
 * const slowCall = (signal: AbortSignal) =>
 *   new Promise<string>((resolve, reject) => {
 *     const timer = setTimeout(() => resolve("answer"), 1000)
 *     signal.addEventListener("abort", () => {
 *       clearTimeout(timer)
 *       reject(signal.reason)
 *     })
 *   })
 *
 * const call = Effect.flatMap(aio.deadlineSignal, (signal) =>
 *   Effect.promise(() =>
 *     slowCall(signal).catch((error: DOMException) => {
 *       console.log(`the call saw ${error.name}`)
 *       return "no answer"
 *     })
 *   ))
 *
 * Effect.runPromise(Effect.flip(aio.timeout(50, call))).then((error) => console.log(error._tag))
 * // => "the call saw TimeoutError"
 * // => "TimeoutError"
 * ```
 *
 * @category deadlines
 * @since 0.1.0
 */
export const deadlineSignal: Effect.Effect<AbortSignal> = Effect.withFiber((fiber) => {
  const scopes = scopesAround(fiber)
  if (scopes.length === 0) return Effect.succeed(new AbortController().signal)
  if (scopes.length === 1) return Effect.succeed(scopes[0].signal())
  return Effect.succeed(AbortSignal.any(scopes.map((scope) => scope.signal())))
})
