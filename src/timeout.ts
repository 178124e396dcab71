/**
 * `timeout` and `timeoutAt`: asyncio 3.11's `async with timeout(delay)` and
 * `timeout_at(when)` scopes, with the `Timeout` handle that reads and moves
 * the deadline.
 *
 * @stability stable
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Inspectable from "effect/Inspectable"
import { runWithDeadline, type TimeoutScope } from "./internal/deadline.ts"
import { primitive } from "./internal/primitive.ts"
import { nowMillis } from "./internal/timer.ts"
import { isDeep } from "./internal/trampoline.ts"
import { deadlineMillis, durationMillis, misuse, show, timeoutError } from "./internal/validate.ts"

/**
 * The handle of a running {@link timeout} or {@link timeoutAt} scope, like
 * `asyncio.Timeout`. Users get one only as the argument of a scope's body.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface Timeout extends Inspectable.Inspectable {
  readonly "~effect-asyncio/Timeout": "~effect-asyncio/Timeout"
  /** The current deadline, in milliseconds on the `Clock`, or `null` for none: `Timeout.when()`. */
  readonly when: Effect.Effect<number | null>
  /**
   * Moves the deadline (`Timeout.reschedule()`): `null` removes it, a time in
   * the past expires the scope at once. Calling it on a scope that has
   * expired or finished is misuse: the effect dies with
   * `Cause.IllegalArgumentError`.
   */
  reschedule(deadline: number | null): Effect.Effect<void>
  /** Whether this scope's deadline fired: `Timeout.expired()`. */
  readonly expired: Effect.Effect<boolean>
}

/**
 * The body of a timeout scope: an effect, or a function of the scope's
 * {@link Timeout} handle.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export type TimeoutBody<A, E, R> = Effect.Effect<A, E, R> | ((timeout: Timeout) => Effect.Effect<A, E, R>)

/**
 * Both call styles for a function whose body comes last, asyncio's order:
 * `f(limit, body)`, or `f(limit)` returning the function of `body` that
 * `pipe` wants. (`Function.dual` puts the data first, so it does not fit.)
 */
const bodyLast = <L>(
  f: <A, E, R>(limit: L, body: TimeoutBody<A, E, R>) => Effect.Effect<A, E | Cause.TimeoutError, R>
) =>
  function<A, E, R>(limit: L, body?: TimeoutBody<A, E, R>) {
    return arguments.length >= 2
      ? f(limit, body!)
      : <A, E, R>(body: TimeoutBody<A, E, R>) => f(limit, body)
  } as any

/** Checks the body: an effect, or a function of the scope's handle. */
const bodyOf = <A, E, R>(
  fn: string,
  body: TimeoutBody<A, E, R>
): Effect.Effect<A, E, R> | ((scope: TimeoutScope) => Effect.Effect<A, E, R>) => {
  if (Effect.isEffect(body) || typeof body === "function") return body
  throw misuse(`${fn}: body must be an Effect or a function returning one, got ${show(body)}`)
}

/**
 * Runs a body under a deadline `delay` from now, like
 * `async with asyncio.timeout(delay)`: when the deadline passes first, the
 * body is interrupted and the scope fails with `Cause.TimeoutError`.
 *
 * **When to use**
 *
 * Use to bound a whole sequence of steps with one total time limit, or when
 * the limit must move while the work runs (read and move it through the
 * {@link Timeout} handle).
 *
 * **Details**
 *
 * - `delay`: a `Duration.Input`; `null` means no deadline (one can be set
 *   later with `reschedule`); zero or less is "now".
 * - The body runs at once, in a child fiber. On expiry it is interrupted,
 *   and the scope returns only after its finalizers have run.
 * - A body that needs no waiting completes even when the deadline is zero or
 *   in the past, as in asyncio.
 * - Nested scopes: the scope whose deadline fired is the one that raises; an
 *   outer expiry is never reported as an inner one, and when two deadlines
 *   are equal the outer scope fires.
 * - Interrupting the scope from outside interrupts the body, and the scope
 *   ends interrupted.
 *
 * **Gotchas**
 *
 * The arguments are in asyncio's order, delay first and body last, which is
 * the reverse of `Effect.timeout`; the data-last form is
 * `body.pipe(aio.timeout(delay))`. A NaN delay makes the effect die with
 * `Cause.IllegalArgumentError`.
 *
 * **Example** (A total limit on sequential work)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = aio.timeout("150 millis", Effect.gen(function*() {
 *   yield* Effect.sleep("100 millis")
 *   yield* Effect.sleep("100 millis")
 * }))
 *
 * Effect.runPromise(Effect.flip(program)).then((error) => console.log(error._tag))
 * // => "TimeoutError"
 * ```
 *
 * **Example** (Extending the deadline)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Clock, Effect } from "effect"
 *
 * const program = aio.timeout("100 millis", (t) =>
 *   Effect.gen(function*() {
 *     const now = yield* Clock.currentTimeMillis
 *     yield* t.reschedule(now + 500)
 *     yield* Effect.sleep("200 millis")
 *     return yield* t.expired
 *   }))
 *
 * Effect.runPromise(program).then(console.log)
 * // => false
 * ```
 *
 * @see {@link timeoutAt} for an absolute deadline
 * @see {@link waitFor} for a limit on one effect
 * @stability stable
 * @category delays & timeouts
 * @since 0.1.0
 */
export const timeout: {
  (delay: Duration.Input | null): <A, E, R>(body: TimeoutBody<A, E, R>) => Effect.Effect<A, E | Cause.TimeoutError, R>
  <A, E, R>(delay: Duration.Input | null, body: TimeoutBody<A, E, R>): Effect.Effect<A, E | Cause.TimeoutError, R>
} = bodyLast(<A, E, R>(delay: Duration.Input | null, body: TimeoutBody<A, E, R>) =>
  timeoutEffect({ delay, body: body as TimeoutBody<unknown, unknown, unknown> }) as Effect.Effect<
    A,
    E | Cause.TimeoutError,
    R
  >
)

interface TimeoutArgs {
  readonly delay: Duration.Input | null
  readonly body: TimeoutBody<unknown, unknown, unknown>
}

const timeoutEffect: (args: TimeoutArgs) => Effect.Effect<unknown, unknown, unknown> = primitive(
  "timeout",
  (args: TimeoutArgs, caller): Effect.Effect<unknown, unknown, unknown> => {
    if (isDeep()) return Effect.andThen(Effect.yieldNow, timeoutEffect(args))
    const millis = args.delay === null || args.delay === undefined
      ? null
      : durationMillis("timeout", "delay", args.delay)
    const now = nowMillis(caller)
    return runWithDeadline({
      caller,
      deadline: millis === null ? null : now + millis,
      now,
      body: bodyOf("timeout", args.body),
      timeoutError: timeoutPassed
    })
  }
)

const timeoutPassed = (): Cause.TimeoutError => timeoutError("timeout: the deadline passed")

const timeoutAtPassed = (): Cause.TimeoutError => timeoutError("timeoutAt: the deadline passed")

/**
 * Runs a body under an absolute deadline, like
 * `async with asyncio.timeout_at(when)`.
 *
 * **Details**
 *
 * `deadline` is in milliseconds on Effect's `Clock`
 * (`Clock.currentTimeMillis`), so `TestClock` drives it; `null` means none.
 * Everything else is as for {@link timeout}.
 *
 * **Example** (A deadline shared by two steps)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Clock, Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const deadline = (yield* Clock.currentTimeMillis) + 1000
 *   yield* aio.timeoutAt(deadline, Effect.sleep("100 millis"))
 *   return yield* aio.timeoutAt(deadline, Effect.succeed("in time"))
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => "in time"
 * ```
 *
 * @see {@link timeout} for a relative delay
 * @stability stable
 * @category delays & timeouts
 * @since 0.1.0
 */
export const timeoutAt: {
  (deadline: number | null): <A, E, R>(body: TimeoutBody<A, E, R>) => Effect.Effect<A, E | Cause.TimeoutError, R>
  <A, E, R>(deadline: number | null, body: TimeoutBody<A, E, R>): Effect.Effect<A, E | Cause.TimeoutError, R>
} = bodyLast(<A, E, R>(deadline: number | null, body: TimeoutBody<A, E, R>) =>
  timeoutAtEffect({ deadline, body: body as TimeoutBody<unknown, unknown, unknown> }) as Effect.Effect<
    A,
    E | Cause.TimeoutError,
    R
  >
)

interface TimeoutAtArgs {
  readonly deadline: number | null
  readonly body: TimeoutBody<unknown, unknown, unknown>
}

const timeoutAtEffect: (args: TimeoutAtArgs) => Effect.Effect<unknown, unknown, unknown> = primitive(
  "timeoutAt",
  (args: TimeoutAtArgs, caller): Effect.Effect<unknown, unknown, unknown> => {
    if (isDeep()) return Effect.andThen(Effect.yieldNow, timeoutAtEffect(args))
    return runWithDeadline({
      caller,
      deadline: deadlineMillis("timeoutAt", "deadline", args.deadline),
      now: nowMillis(caller),
      body: bodyOf("timeoutAt", args.body),
      timeoutError: timeoutAtPassed
    })
  }
)
