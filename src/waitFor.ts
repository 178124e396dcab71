/**
 * `waitFor`: asyncio's `wait_for(aw, timeout)`, which since Python 3.12 is a
 * `timeout` scope around one awaitable.
 *
 * @stability stable
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { dual } from "effect/Function"
import { runWithDeadline, type TimeoutScope } from "./internal/deadline.ts"
import { primitive } from "./internal/primitive.ts"
import { joinOrCancel } from "./internal/supervisor.ts"
import { nowMillis } from "./internal/timer.ts"
import { isDeep } from "./internal/trampoline.ts"
import { durationMillis, timeoutError } from "./internal/validate.ts"

/**
 * Runs an effect with a time limit, like `asyncio.wait_for(aw, timeout)`:
 * when the limit passes first, the effect is interrupted and `waitFor` fails
 * with `Cause.TimeoutError`.
 *
 * **When to use**
 *
 * Use to bound one effect (which may itself be a {@link gather} of many).
 * For a limit over several sequential steps, use {@link timeout}.
 *
 * **Details**
 *
 * - On expiry the effect is interrupted and `waitFor` returns only after its
 *   finalizers have run (asyncio 3.12+). A failure raised by those
 *   finalizers is reported instead of the timeout, never dropped.
 * - `timeout` of `null` or `undefined` (or an infinite duration) means no
 *   limit.
 * - A timeout of zero or less lets work that needs no waiting finish (asyncio
 *   3.12+ `wait_for(coro, 0)` returns the result of a coroutine that never
 *   suspends); anything that must wait times out.
 * - Interrupting `waitFor` interrupts the effect and waits for it.
 * - Callable data-first, `waitFor(effect, timeout)`, or data-last,
 *   `effect.pipe(waitFor(timeout))`.
 * - It also takes a task (a fiber), as `asyncio.wait_for(task, timeout)`
 *   does: on expiry, or when `waitFor` is interrupted, the task itself is
 *   cancelled and awaited. (`waitFor(Fiber.join(task), t)` would only stop
 *   waiting, and leave the task running.)
 *
 * **Gotchas**
 *
 * Unlike `Effect.timeout`, a failure raised while the effect is being
 * interrupted is not lost, and only one timer (no extra fibers) is used on
 * the live clock. A NaN timeout makes the effect die with
 * `Cause.IllegalArgumentError`.
 *
 * **Example** (Timing out a gather)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = aio.waitFor(aio.gather([Effect.sleep("1 second"), Effect.sleep("2 seconds")]), "500 millis")
 *
 * Effect.runPromise(Effect.flip(program)).then((error) => console.log(error._tag))
 * // => "TimeoutError"
 * ```
 *
 * @see {@link timeout} for a deadline over several steps, which can move
 * @stability stable
 * @category delays & timeouts
 * @since 0.1.0
 */
export const waitFor: {
  (
    timeout?: Duration.Input | null | undefined
  ): <A, E, R = never>(
    effect: Effect.Effect<A, E, R> | Fiber.Fiber<A, E>
  ) => Effect.Effect<A, E | Cause.TimeoutError, R>
  <A, E>(task: Fiber.Fiber<A, E>, timeout?: Duration.Input | null | undefined): Effect.Effect<A, E | Cause.TimeoutError>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    timeout?: Duration.Input | null | undefined
  ): Effect.Effect<A, E | Cause.TimeoutError, R>
} = dual(
  (args) => Effect.isEffect(args[0]) || Fiber.isFiber(args[0]),
  <A, E, R>(
    effect: Effect.Effect<A, E, R> | Fiber.Fiber<A, E>,
    timeout?: Duration.Input | null | undefined
  ): Effect.Effect<A, E | Cause.TimeoutError, R> =>
    waitForEffect({ effect, timeout }) as Effect.Effect<A, E | Cause.TimeoutError, R>
)

interface WaitForArgs {
  readonly effect: Effect.Effect<unknown, unknown, unknown> | Fiber.Fiber<unknown, unknown>
  readonly timeout: unknown
}

const waitForEffect: (args: WaitForArgs) => Effect.Effect<unknown, unknown, unknown> = primitive(
  "waitFor",
  ({ effect, timeout }: WaitForArgs, caller): Effect.Effect<unknown, unknown, unknown> => {
    if (isDeep()) return Effect.andThen(Effect.yieldNow, waitForEffect({ effect, timeout }))
    const millis = durationMillis("waitFor", "timeout", timeout)
    const work = Fiber.isFiber(effect) ? joinOrCancel(effect) : effect
    if (millis === Infinity) return work
    const now = nowMillis(caller)
    return runWithDeadline({
      caller,
      deadline: now + millis,
      now,
      body: work,
      timeoutError: timedOut,
      requested: millis
    })
  }
)

/** The message says what the caller asked for; a limit of zero or less allowed no waiting at all. */
const timedOut = (scope: TimeoutScope): Cause.TimeoutError => {
  const millis = scope.requested as number
  return timeoutError(
    millis > 0
      ? `waitFor: timed out after ${millis} ms`
      : `waitFor: timed out at once: a timeout of ${millis} ms allows no waiting, and the work had to wait`
  )
}
