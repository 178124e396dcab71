/**
 * Work that outlives its caller on purpose (`shield`) is detached from the
 * caller's fiber. Under `run`, such fibers are adopted by the program so that
 * they are interrupted before the process exits, as `asyncio.run` cancels
 * every remaining task.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"

const Background = Context.Reference<Set<Fiber.Fiber<unknown, unknown>> | undefined>(
  "effect-asyncio/Background",
  { defaultValue: () => undefined }
)

/**
 * Registers a detached fiber with the enclosing `run`, if any.
 *
 * @internal
 */
export const adoptBackground = (fiber: Fiber.Fiber<unknown, unknown>): void => {
  const fibers = fiber.getRef(Background)
  if (fibers === undefined || fiber.pollUnsafe() !== undefined) return
  fibers.add(fiber)
  fiber.addObserver(() => fibers.delete(fiber))
}

/**
 * Runs `main`, then interrupts and awaits the detached work it left behind.
 *
 * @internal
 */
export const withBackground = <A, E, R>(main: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const fibers = new Set<Fiber.Fiber<unknown, unknown>>()
    return main.pipe(
      Effect.provideService(Background, fibers),
      Effect.ensuring(Effect.suspend(() => Fiber.interruptAll(Array.from(fibers))))
    )
  })
