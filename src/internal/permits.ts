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
import { identity } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import type { Lock } from "../lock.ts"
import { misuse } from "./validate.ts"
import { WaiterLine } from "./waiters.ts"

const acquired: Exit.Exit<true> = Exit.succeed(true)
/** What a fiber about to join the line resumes with when a permit came free meanwhile: look again. */
const lookAgain: Exit.Exit<boolean> = Exit.succeed(false)

/** @internal */
export class Permits {
  /** Permits no fiber holds or is being handed: asyncio's `_value`. */
  free: number
  /** Permits handed to waiters that have not run yet. */
  inFlight = 0
  /** Waiters resume with `true` once handed a permit, `false` to look again (see {@link freeNow}). */
  readonly line: WaiterLine<boolean>

  constructor(free: number) {
    this.free = free
    this.line = new WaiterLine<boolean>((fiber) => {
      this.inFlight--
      this.releaseUnsafe(fiber)
    })
  }

  /**
   * Takes a permit if one is free and nobody waits for one, nor has been
   * handed one and not run yet (a newcomer does not finish before them).
   */
  tryAcquire(): boolean {
    if (this.canAcquire()) {
      this.free--
      return true
    }
    return false
  }

  private canAcquire(): boolean {
    return this.free > 0 && this.line.size === 0 && this.inFlight === 0
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

  /**
   * As the fiber joins the line (see `WaiterLine.wait`): if a permit came
   * free since it looked, it does not join but looks again. It does not take
   * the permit there: that step runs where `withPermit` lets the fiber be
   * interrupted, and a permit taken there could be lost with the
   * interruption before `withPermit` arranges its release.
   */
  private readonly freeNow = (): Effect.Effect<boolean> | undefined => this.canAcquire() ? lookAgain : undefined

  /**
   * Takes a permit, waiting in line for one (the wait wrapped by `waitIn`),
   * then runs `then`: the one loop behind `acquire` and `with`.
   */
  private takeThen<A, E, R>(
    then: Effect.Effect<A, E, R>,
    waitIn: (wait: Effect.Effect<boolean>) => Effect.Effect<boolean> = identity
  ): Effect.Effect<A, E, R> {
    const take: Effect.Effect<A, E, R> = Effect.suspend(() =>
      this.tryAcquire()
        ? then
        : Effect.flatMap(waitIn(this.line.wait(undefined, this.freeNow)), (handed) => handed ? then : take)
    )
    return take
  }

  /** Waits for a permit in FIFO order; returns `true`, as asyncio's `acquire()`. */
  readonly acquire: Effect.Effect<true> = this.takeThen(acquired)

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
        return this.takeThen(body, restore)
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
