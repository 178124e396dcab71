/**
 * `shield`: asyncio's `shield(aw)`, which lets work finish even when the code
 * waiting for it is cancelled.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import { adoptBackground } from "./internal/background.ts"
import { contextFor, CurrentFrame, type Frame, startInFrame, supervisorOf } from "./internal/frame.ts"
import { newNodeId, registerNode, type TreeNode } from "./internal/registry.ts"
import { suspendUntil } from "./internal/suspend.ts"
import { isDeep, nested } from "./internal/trampoline.ts"

/**
 * Protects an effect from the interruption of its caller, like
 * `asyncio.shield(aw)`: when the caller is interrupted, the shielded work
 * goes on to completion in the background while the caller ends at once.
 *
 * **When to use**
 *
 * Use for work that must not be abandoned halfway (a write, a commit, a
 * message already half sent) when the caller has a timeout or may be
 * cancelled and should not wait for it.
 *
 * **Details**
 *
 * - Without interruption, `shield(effect)` behaves like `effect`: same
 *   value, same typed failure.
 * - The work runs in its own fiber, started at once. When the caller is
 *   interrupted, the caller ends interrupted immediately and the work goes
 *   on. If the work then fails, nobody is left to receive the error, so it
 *   is logged with `Effect.logError` rather than lost.
 * - Under {@link run}, work still running when the program ends is
 *   interrupted, as `asyncio.run` cancels every remaining task.
 * - A task created with {@link createTask} inside the work belongs to the
 *   caller of `shield`, as for every primitive; once that caller has ended
 *   (it was interrupted and the work goes on), a task the work creates
 *   belongs to the work itself.
 *
 * **Gotchas**
 *
 * To make the caller wait for the work instead, use
 * `Effect.uninterruptible`. As in asyncio, interrupting the shielded fiber
 * itself (not the caller) still interrupts the work.
 *
 * **Example** (The work outlives a timeout)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Console, Effect } from "effect"
 *
 * const save = Effect.andThen(Effect.sleep("200 millis"), Console.log("saved"))
 *
 * const program = Effect.gen(function*() {
 *   yield* Effect.ignore(aio.waitFor(aio.shield(save), "100 millis"))
 *   yield* Console.log("timed out")
 *   yield* Effect.sleep("200 millis")
 * })
 *
 * Effect.runPromise(program)
 * // => "timed out"
 * // => "saved"
 * ```
 *
 * @stability stable
 * @category combinators
 * @since 0.1.0
 */
export const shield = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiber((caller): Effect.Effect<A, E, R> => {
    if (isDeep()) return Effect.andThen(Effect.yieldNow, shield(effect))
    const frame = new ShieldFrame(caller)
    const fiber: Fiber.Fiber<A, E> = startInFrame(
      Effect.runForkWith(contextFor(caller, frame)),
      frame,
      Effect.onExit(
        effect as Effect.Effect<A, E>,
        (exit) =>
          frame.abandoned && exit._tag === "Failure" && !Cause.hasInterruptsOnly(exit.cause)
            ? Effect.logError("shield: the shielded effect failed after its caller was interrupted", exit.cause)
            : Effect.void
      )
    )
    frame.work = fiber
    registerNode(frame)
    adoptBackground(fiber)
    return suspendUntil<A, E>((resume) => {
      fiber.addObserver((exit) => nested(caller, () => resume(exit)))
      // The caller leaves at once; the work goes on.
      return Effect.sync(() => {
        frame.abandoned = true
      })
    })
  })

/** The shielded work's frame: its one fiber, and whether its caller has left. */
class ShieldFrame implements Frame, TreeNode {
  work: Fiber.Fiber<unknown, unknown> | undefined = undefined
  abandoned = false
  readonly caller: Fiber.Fiber<unknown, unknown>
  readonly kind = "shield"
  readonly treeId: number = newNodeId()
  readonly hidesDeadlines = true

  constructor(caller: Fiber.Fiber<unknown, unknown>) {
    this.caller = caller
  }

  isLive(): boolean {
    return this.work === undefined || this.work.pollUnsafe() === undefined
  }

  isCancelling(): boolean {
    return false
  }

  awaited(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return this.work !== undefined && this.work.pollUnsafe() === undefined ? [this.work] : []
  }

  own(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return this.awaited()
  }

  details(): string | undefined {
    return this.abandoned ? "its caller has left" : undefined
  }

  get owner(): Fiber.Fiber<unknown, unknown> {
    return supervisorOf(this.caller)
  }

  get timeoutScope() {
    return this.caller.getRef(CurrentFrame)?.timeoutScope
  }

  runs(fiber: Fiber.Fiber<unknown, unknown>): boolean {
    return fiber === this.work
  }
}
