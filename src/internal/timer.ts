/**
 * One-shot timers on Effect's `Clock`, as cheap as the clock allows.
 *
 * `Clock` only offers `sleep` as an Effect, so a timer on an arbitrary clock
 * (`TestClock` in tests) is a small fiber that sleeps and then calls back.
 * On Effect's built-in live clock we schedule the same `setTimeout` its
 * `sleep` would, without the fiber: this is what makes `waitFor` and
 * `timeout` cheaper than `Effect.timeout`, which forks two fibers per call.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"

/** Effect's default clock: the `Clock` reference's cached default value. */
const liveClock: Clock.Clock = Context.get(Context.empty(), Clock.Clock)

// Node's timers overflow above 2^31 - 1 ms, as in Effect's own `sleep`.
const MAX_TIMER_MILLIS = 2 ** 31 - 1

const setTimer = (millis: number, onFire: () => void): () => void => {
  let handle: ReturnType<typeof setTimeout>
  const arm = (remaining: number) => {
    handle = setTimeout(
      remaining > MAX_TIMER_MILLIS ? () => arm(remaining - MAX_TIMER_MILLIS) : onFire,
      Math.min(remaining, MAX_TIMER_MILLIS)
    )
  }
  arm(millis)
  return () => clearTimeout(handle)
}

/**
 * A running timer from {@link armTimer}: a Node timeout on the live clock, a
 * sleeper fiber on any other clock, or a cancel function for delays beyond
 * Node's timer range.
 *
 * @internal
 */
export type Timer = ReturnType<typeof setTimeout> | Fiber.Fiber<unknown, unknown> | (() => void)

/**
 * Calls `onFire(target)` once `millis` (> 0) have passed on the clock of
 * `fiber`, unless {@link disarmTimer} is called first; `undefined` for an
 * infinite delay. On the live clock it is `setTimeout(onFire, millis,
 * target)`, with no closure per timer. On another clock it may fire before it
 * returns (a `Clock` whose `sleep` completes at once): callers arm it last.
 *
 * @internal
 */
export const armTimer = <T>(
  fiber: Fiber.Fiber<unknown, unknown>,
  millis: number,
  onFire: (target: T) => void,
  target: T
): Timer | undefined => {
  if (millis === Infinity) return undefined
  const clock = fiber.getRef(Clock.Clock)
  if (clock === liveClock) {
    return millis <= MAX_TIMER_MILLIS ? setTimeout(onFire, millis, target) : setTimer(millis, () => onFire(target))
  }
  return Effect.runForkWith(fiber.context)(
    Effect.andThen(clock.sleep(Duration.millis(millis)), Effect.sync(() => onFire(target)))
  )
}

/**
 * Stops a timer from {@link armTimer}.
 *
 * @internal
 */
export const disarmTimer = (timer: Timer): void => {
  if (typeof timer === "function") timer()
  else if (Fiber.isFiber(timer)) timer.interruptUnsafe()
  else clearTimeout(timer)
}

/**
 * The current time in milliseconds on the clock of `fiber`.
 *
 * @internal
 */
export const nowMillis = (fiber: Fiber.Fiber<unknown, unknown>): number =>
  fiber.getRef(Clock.Clock).currentTimeMillisUnsafe()
