/**
 * Virtual time for the doc examples: `autoJump(effect)` runs `effect` on a
 * `TestClock` and moves the clock on whenever the program waits, as Trio's
 * autojump clock does, so an example that sleeps seconds finishes at once, in
 * exactly the order its delays decide.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { TestClock } from "effect/testing"

// Every step runs the sleeps due within it in time order (TestClock moves to
// each sleep's own instant before waking it), so the step only bounds how far
// time can overshoot the end of the program.
const STEP_MILLIS = 10
// An example still waiting after ten virtual minutes is hung.
const LIMIT_MILLIS = 10 * 60 * 1000

const settle = Effect.gen(function*() {
  for (let i = 0; i < 10; i++) yield* Effect.yieldNow
})

export const autoJump = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    let millis = 0
    yield* settle
    while (fiber.pollUnsafe() === undefined) {
      if (millis >= LIMIT_MILLIS) {
        return yield* Effect.die(new Error(`the example was still running after ${LIMIT_MILLIS} ms of virtual time`))
      }
      yield* TestClock.adjust(STEP_MILLIS)
      millis += STEP_MILLIS
      yield* settle
    }
    return yield* Fiber.join(fiber)
  }).pipe(Effect.provide(TestClock.layer()))
