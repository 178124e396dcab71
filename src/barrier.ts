/**
 * `makeBarrier`: asyncio 3.11's `Barrier`, where a fixed number of fibers
 * wait for each other.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import { BrokenBarrierError } from "./errors.ts"
import { wholeNumberAtLeast } from "./internal/validate.ts"
import { WaiterLine } from "./internal/waiters.ts"

const TypeId = "~effect-asyncio/Barrier" as const

/**
 * A barrier for a fixed number of parties, like `asyncio.Barrier`. Users get
 * one from {@link makeBarrier}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Barrier extends Inspectable.Inspectable {
  readonly [TypeId]: typeof TypeId
  /**
   * Waits until `parties` fibers are waiting, then lets them all pass; each
   * gets its arrival index, 0 to `parties - 1` (`await barrier.wait()`).
   * Fails with `BrokenBarrierError` if the barrier is broken, or is reset or
   * aborted while it waits.
   */
  readonly wait: Effect.Effect<number, BrokenBarrierError>
  /**
   * Returns the barrier to its empty state (`await barrier.reset()`): fibers
   * waiting on it fail with `BrokenBarrierError`; a broken barrier works
   * again.
   */
  readonly reset: Effect.Effect<void>
  /** Breaks the barrier (`await barrier.abort()`): every wait, now and later, fails with `BrokenBarrierError`. */
  readonly abort: Effect.Effect<void>
  /** The number of fibers it takes to pass (`barrier.parties`). */
  readonly parties: number
  /** The number of fibers waiting while it fills (`barrier.n_waiting`). */
  readonly nWaiting: Effect.Effect<number>
  /** Whether it is broken (`barrier.broken`). */
  readonly broken: Effect.Effect<boolean>
}

/**
 * asyncio's `_BarrierState`: `filling` while fibers arrive, `draining` while
 * the released ones leave (newcomers wait for the next round), `resetting`
 * while the ones a reset broke leave, `broken` after `abort`.
 */
type State = "filling" | "draining" | "resetting" | "broken"

class BarrierImpl extends Inspectable.Class implements Barrier {
  readonly [TypeId] = TypeId
  readonly parties: number
  state: State = "filling"
  /** Fibers inside `wait`, past the entry (asyncio's `_count`). */
  count = 0
  /** Fibers waiting for the state to change; every change wakes them all to look again. */
  readonly changes = new WaiterLine<void>()

  constructor(parties: number) {
    super()
    this.parties = parties
  }

  readonly wait: Effect.Effect<number, BrokenBarrierError> = Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(
      // Newcomers wait while the previous round drains or resets.
      restore(this.until(() => this.state !== "draining" && this.state !== "resetting")),
      () =>
        Effect.withFiber((fiber) => {
          if (this.state === "broken") return Effect.fail(new BrokenBarrierError({ message: "Barrier aborted" }))
          const index = this.count++
          let passed: Effect.Effect<number, BrokenBarrierError>
          if (index + 1 === this.parties) {
            this.changeTo(fiber, "draining")
            passed = Effect.succeed(index)
          } else {
            passed = Effect.flatMap(restore(this.until(() => this.state !== "filling")), () =>
              this.state === "draining"
                ? Effect.succeed(index)
                : Effect.fail(new BrokenBarrierError({ message: "Abort or reset of barrier" })))
          }
          // However it leaves (passed, broken, interrupted), a fiber leaves
          // the count; the last one out of a drain or reset refills it.
          return Effect.onExitPrimitive(passed, () => {
            this.leave(fiber)
            return undefined
          })
        })
    )
  )

  readonly reset: Effect.Effect<void> = Effect.withFiber((fiber) => {
    this.changeTo(fiber, this.count > 0 ? "resetting" : "filling")
    return Effect.void
  })

  readonly abort: Effect.Effect<void> = Effect.withFiber((fiber) => {
    this.changeTo(fiber, "broken")
    return Effect.void
  })

  readonly nWaiting: Effect.Effect<number> = Effect.sync(() => this.state === "filling" ? this.count : 0)
  readonly broken: Effect.Effect<boolean> = Effect.sync(() => this.state === "broken")

  until(condition: () => boolean): Effect.Effect<void> {
    const holds = (): Effect.Effect<void> | undefined => condition() ? Effect.void : undefined
    const loop: Effect.Effect<void> = Effect.suspend(() =>
      holds() ?? Effect.andThen(this.changes.wait(undefined, holds), loop)
    )
    return loop
  }

  changeTo(fiber: Fiber.Fiber<unknown, unknown>, state: State): void {
    this.state = state
    this.changes.grantAll(fiber, Effect.void)
  }

  leave(fiber: Fiber.Fiber<unknown, unknown>): void {
    this.count--
    if (this.count === 0) {
      this.changeTo(fiber, this.state === "draining" || this.state === "resetting" ? "filling" : this.state)
    }
  }

  toJSON(): unknown {
    return { _id: "Barrier", parties: this.parties, state: this.state, count: this.count }
  }
}

/**
 * Makes a barrier for `parties` fibers, like `asyncio.Barrier(parties)`:
 * each `wait` blocks until `parties` fibers wait, then all pass together,
 * and the barrier fills again for the next round.
 *
 * **When to use**
 *
 * Use to run work in rounds: N workers each finish a phase, wait for each
 * other, and start the next phase together.
 *
 * **Details**
 *
 * - `wait` returns the arrival index, 0 for the first fiber of the round
 *   and `parties - 1` for the one that released it.
 * - While the released fibers leave, newcomers wait for the next round
 *   (asyncio's "draining" state).
 * - `reset` fails the fibers waiting now with `BrokenBarrierError` and
 *   empties the barrier; `abort` breaks it for good (until a `reset`): every
 *   wait fails with `BrokenBarrierError`.
 * - A fiber interrupted while it waits leaves the count (`nWaiting` drops),
 *   as in asyncio; the barrier is not broken.
 *
 * **Gotchas**
 *
 * `parties` must be a whole number of at least 1: anything else makes the
 * effect die with `Cause.IllegalArgumentError` (asyncio raises
 * `ValueError`). `parties` is a plain number; `nWaiting` and `broken` are
 * effects, since they change.
 *
 * **Example** (Three workers meet)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const barrier = yield* aio.makeBarrier(3)
 *   const worker = (delay: number) => Effect.andThen(Effect.sleep(delay), barrier.wait)
 *
 *   return yield* aio.gather([worker(30), worker(10), worker(20)])
 * })
 *
 * // All three leave at 30 ms; each gets its arrival index.
 * Effect.runPromise(program).then(console.log)
 * // => [2, 0, 1]
 * ```
 *
 * @see {@link makeEvent} for a one-off gate
 * @category constructors
 * @since 0.1.0
 */
export const makeBarrier = (parties: number): Effect.Effect<Barrier> =>
  Effect.sync(() => new BarrierImpl(wholeNumberAtLeast("makeBarrier", "parties", parties, 1)))
