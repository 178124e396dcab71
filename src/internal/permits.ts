/**
 * Permits handed over in FIFO order: the engine of `Lock`, `Semaphore` and
 * `BoundedSemaphore`, and the `Lock` handle itself, which `Condition` makes
 * when it is given none.
 *
 * A release with fibers waiting hands its permit straight to the first of
 * them (it never becomes free for a newcomer to take), so waiters are served
 * in the order they came, and a newcomer never overtakes them. A waiter
 * interrupted after it was handed a permit, before it resumed, passes the
 * permit on (see `WaiterLine`), so no permit is lost or leaked.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import type { Lock } from "../lock.ts"
import { misuse } from "./validate.ts"
import { WaiterLine } from "./waiters.ts"

const acquired: Exit.Exit<true> = Exit.succeed(true)

/** @internal */
export class Permits {
  /** Permits no fiber holds or is being handed: asyncio's `_value`. */
  free: number
  /** Permits handed to waiters that have not run yet. */
  inFlight = 0
  readonly line: WaiterLine<true>

  constructor(free: number) {
    this.free = free
    this.line = new WaiterLine<true>((fiber) => {
      this.inFlight--
      this.releaseUnsafe(fiber)
    })
  }

  /**
   * Takes a permit if one is free and nobody waits for one, nor has been
   * handed one and not run yet (a newcomer does not finish before them).
   */
  tryAcquire(): boolean {
    if (this.free > 0 && this.line.size === 0 && this.inFlight === 0) {
      this.free--
      return true
    }
    return false
  }

  /** What a waiter handed a permit runs: it has the permit; a newcomer that waited behind it may go on. */
  private readonly handed: Effect.Effect<true> = Effect.withFiber((fiber) => {
    this.inFlight--
    if (this.free > 0 && this.line.size > 0) {
      this.free--
      this.grant(fiber)
    }
    return acquired
  })

  private grant(fiber: Fiber.Fiber<unknown, unknown>): void {
    this.inFlight++
    this.line.grantFirst(fiber, this.handed)
  }

  /** {@link tryAcquire} again as the fiber joins the line (see `WaiterLine.wait`). */
  private readonly acquiredNow = (): Effect.Effect<true> | undefined => this.tryAcquire() ? acquired : undefined

  /** Waits for a permit in FIFO order; returns `true`, as asyncio's `acquire()`. */
  readonly acquire: Effect.Effect<true> = Effect.suspend(() =>
    this.tryAcquire() ? acquired : this.line.wait(undefined, this.acquiredNow)
  )

  /** Hands the permit to the first waiter, or frees it. */
  releaseUnsafe(fiber: Fiber.Fiber<unknown, unknown>): void {
    if (this.line.size > 0) this.grant(fiber)
    else this.free++
  }

  /**
   * Runs `effect` holding a permit (`async with`): the wait is
   * interruptible; taking the permit and arranging its release are one
   * uninterruptible step, so it is released however `effect` ends.
   */
  with<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.withFiber((fiber) =>
      Effect.uninterruptibleMask((restore) => {
        const body = Effect.onExitPrimitive(restore(effect), () => {
          this.releaseUnsafe(fiber)
          return undefined
        }, true)
        return this.tryAcquire()
          ? body
          : Effect.flatMap(restore(this.line.wait(undefined, this.acquiredNow)), () => body)
      })
    )
  }
}

/** @internal */
export const LockTypeId = "~effect-asyncio/Lock" as const

/** @internal */
export class LockImpl extends Inspectable.Class implements Lock {
  readonly [LockTypeId] = LockTypeId
  readonly permits = new Permits(1)
  readonly acquire = this.permits.acquire
  readonly release: Effect.Effect<void> = Effect.withFiber((fiber) => {
    if (this.permits.free > 0) return Effect.die(misuse("Lock.release: cannot release a lock that is not locked"))
    this.permits.releaseUnsafe(fiber)
    return Effect.void
  })
  readonly locked: Effect.Effect<boolean> = Effect.sync(() => this.isLocked())

  isLocked(): boolean {
    return this.permits.free === 0
  }

  readonly withLock = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => this.permits.with(effect)

  toJSON(): unknown {
    return { _id: "Lock", locked: this.isLocked(), waiters: this.permits.line.size }
  }
}

/** @internal */
export const isLock = (u: unknown): u is LockImpl => u instanceof LockImpl
