/**
 * The FIFO line that every waiting synchronization primitive keeps its
 * waiters in (lock, semaphore, condition, barrier, queue).
 *
 * A waiter is served by a *grant*: it leaves the line at once, holding what
 * it was given (a permit, an item, a failure). By default it resumes on the
 * next scheduler tick, as asyncio wakes a waiter with `call_soon`: granting
 * never runs the waiter inside the granting fiber's call, so a long chain of
 * handoffs (N fibers taking a lock in turn) never deepens the stack, and the
 * granting fiber carries on first. A line made `inline` resumes the waiter
 * inside the grant instead, as Effect's `Queue` resumes a producer: no tick
 * per handoff, and no moment at which the waiter was served but has not run
 * (the queue's producers and consumers resume each other at most one level
 * deep, so the stack stays flat there).
 *
 * Interruption is where such lines leak (asyncio's gh-90155, Effect's
 * `Semaphore.take`): a waiter interrupted while it still waits just leaves
 * the line; a waiter interrupted after it was granted, before it resumed,
 * gives what it was granted back through the line's `onAbandon`, so nothing
 * granted is ever dropped.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"

const WAITING = 0
const GRANTED = 1
const RESUMED = 2
const ABANDONED = 3

/**
 * One fiber in a line. `value` is what it brought (a putter's item); after a
 * grant, `granted` is the effect it resumes with.
 *
 * @internal
 */
export class Waiter<A, E, T> {
  prev: Waiter<A, E, T> | undefined = undefined
  next: Waiter<A, E, T> | undefined = undefined
  state: number = WAITING
  granted: Effect.Effect<A, E> | undefined = undefined
  readonly value: T
  readonly resume: (effect: Effect.Effect<A, E>) => void

  constructor(value: T, resume: (effect: Effect.Effect<A, E>) => void) {
    this.value = value
    this.resume = resume
  }
}

/**
 * Gives back what an abandoned waiter was granted. It runs in the
 * interrupted waiter's fiber, which it receives to grant onwards.
 *
 * @internal
 */
export type OnAbandon<A, E, T> = (fiber: Fiber.Fiber<unknown, unknown>, waiter: Waiter<A, E, T>) => void

/**
 * A FIFO line of waiting fibers: a doubly linked list, so that an
 * interrupted waiter leaves it in constant time.
 *
 * @internal
 */
export class WaiterLine<A, E = never, T = void> {
  head: Waiter<A, E, T> | undefined = undefined
  tail: Waiter<A, E, T> | undefined = undefined
  /** Waiters still in the line (not those granted and about to resume). */
  size = 0
  private pending: Array<Waiter<A, E, T>> = []
  private scheduled = false
  private readonly onAbandon: OnAbandon<A, E, T> | undefined
  private readonly inline: boolean

  constructor(onAbandon?: OnAbandon<A, E, T>, options?: { readonly inline?: boolean }) {
    this.onAbandon = onAbandon
    this.inline = options?.inline === true
  }

  /**
   * Joins the end of the line and suspends until granted.
   *
   * `beforeJoining` runs in the very step that joins the line: an effect it
   * returns is the outcome at once, and the fiber does not join. Callers
   * check whether they must wait before they call `wait`, but Effect may
   * make a busy fiber yield between any two steps (every
   * `MaxOpsBeforeYield`), and the state the check saw may change meanwhile
   * (the lock released, an item put, the barrier filled) with nobody in the
   * line to wake: checking again here is what rules out a lost wake-up.
   */
  wait(value: T, beforeJoining?: () => Effect.Effect<A, E> | undefined): Effect.Effect<A, E> {
    return Effect.callback<A, E>((resume) => {
      const now = beforeJoining?.()
      if (now !== undefined) return resume(now)
      const waiter = new Waiter<A, E, T>(value, resume)
      this.push(waiter)
      return Effect.withFiber((fiber) => {
        this.abandon(fiber, waiter)
        return Effect.void
      })
    })
  }

  /** The waiter served next, if any. */
  first(): Waiter<A, E, T> | undefined {
    return this.head
  }

  /**
   * Takes `waiter` out of the line and resumes it with `effect` on the next
   * scheduler tick (of `fiber`'s dispatcher).
   */
  grant(fiber: Fiber.Fiber<unknown, unknown>, waiter: Waiter<A, E, T>, effect: Effect.Effect<A, E>): void {
    this.remove(waiter)
    if (this.inline) {
      waiter.state = RESUMED
      waiter.resume(effect)
      return
    }
    waiter.state = GRANTED
    waiter.granted = effect
    this.pending.push(waiter)
    if (!this.scheduled) {
      this.scheduled = true
      fiber.currentDispatcher.scheduleTask(this.flush, 0)
    }
  }

  /** Grants the first waiter, if any; returns whether there was one. */
  grantFirst(fiber: Fiber.Fiber<unknown, unknown>, effect: Effect.Effect<A, E>): boolean {
    const waiter = this.head
    if (waiter === undefined) return false
    this.grant(fiber, waiter, effect)
    return true
  }

  /** Grants every waiter in the line now, in order (not those that join meanwhile). */
  grantAll(fiber: Fiber.Fiber<unknown, unknown>, effect: Effect.Effect<A, E>): void {
    const waiters: Array<Waiter<A, E, T>> = []
    for (let waiter = this.head; waiter !== undefined; waiter = waiter.next) waiters.push(waiter)
    for (const waiter of waiters) if (waiter.state === WAITING) this.grant(fiber, waiter, effect)
  }

  private readonly flush = (): void => {
    this.scheduled = false
    // Resumed fibers run inline here and may grant again: they start a new
    // batch, which is flushed on a later tick.
    const pending = this.pending
    this.pending = []
    for (let i = 0; i < pending.length; i++) {
      const waiter = pending[i]
      if (waiter.state !== GRANTED) continue
      waiter.state = RESUMED
      waiter.resume(waiter.granted!)
    }
  }

  /** The waiter was interrupted: leave the line, or give back what it was granted. */
  private abandon(fiber: Fiber.Fiber<unknown, unknown>, waiter: Waiter<A, E, T>): void {
    if (waiter.state === WAITING) {
      this.remove(waiter)
    } else if (waiter.state === GRANTED) {
      waiter.state = ABANDONED
      this.onAbandon?.(fiber, waiter)
    }
  }

  private push(waiter: Waiter<A, E, T>): void {
    waiter.prev = this.tail
    if (this.tail === undefined) this.head = waiter
    else this.tail.next = waiter
    this.tail = waiter
    this.size++
  }

  private remove(waiter: Waiter<A, E, T>): void {
    if (waiter.prev === undefined) this.head = waiter.next
    else waiter.prev.next = waiter.next
    if (waiter.next === undefined) this.tail = waiter.prev
    else waiter.next.prev = waiter.prev
    waiter.prev = undefined
    waiter.next = undefined
    this.size--
  }

  /** The values of the waiters in the line, in order. */
  *values(): IterableIterator<T> {
    for (let waiter = this.head; waiter !== undefined; waiter = waiter.next) yield waiter.value
  }
}
