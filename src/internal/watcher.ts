/**
 * Watching fibers one does not own, with an optional time limit: the engine
 * behind `wait` and `asCompletedTasks`. It never interrupts what it watches.
 *
 * @internal
 */
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import { newNodeId, type NodeKind, registerNode, type TreeNode } from "./registry.ts"
import { armTimer, disarmTimer, type Timer } from "./timer.ts"

/**
 * A time limit in milliseconds from now, as `durationMillis` reads it:
 * `Infinity` for none, zero or less when it has already passed.
 *
 * @internal
 */
export type Limit = number

/** @internal */
export abstract class Watcher<A, E> implements TreeNode {
  private readonly removers: Array<() => void> = []
  private timer: Timer | undefined = undefined
  private stopped = false
  readonly fibers: ReadonlyArray<Fiber.Fiber<A, E>>
  readonly caller: Fiber.Fiber<unknown, unknown>
  readonly treeId: number = newNodeId()
  abstract readonly kind: NodeKind

  constructor(caller: Fiber.Fiber<unknown, unknown>, fibers: ReadonlyArray<Fiber.Fiber<A, E>>) {
    this.caller = caller
    this.fibers = fibers
  }

  isLive(): boolean {
    return !this.stopped
  }

  isCancelling(): boolean {
    return false
  }

  awaited(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return this.fibers.filter((fiber) => fiber.pollUnsafe() === undefined)
  }

  own(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return []
  }

  details(): string | undefined {
    const pending = this.awaited().length
    return `${this.fibers.length - pending} of ${this.fibers.length} done`
  }

  /** A watched fiber finished; never called after {@link stop}. */
  protected abstract finished(fiber: Fiber.Fiber<A, E>, exit: Exit.Exit<A, E>): void

  /** The limit passed; never called after {@link stop}. */
  protected abstract expired(): void

  /**
   * Observes every fiber (or those `only` accepts; those already finished are
   * reported at once, in input order), then arms the limit on the caller's
   * `Clock`: none for
   * `Infinity`, at once for zero or less. Any callback may {@link stop} the
   * watcher, even while the limit is being armed (a `Clock` whose `sleep`
   * completes at once fires it right there).
   */
  watch(limit: Limit, only?: (fiber: Fiber.Fiber<A, E>) => boolean): void {
    registerNode(this)
    for (const fiber of this.fibers) {
      if (this.stopped) return
      if (only !== undefined && !only(fiber)) continue
      this.removers.push(fiber.addObserver((exit) => {
        if (!this.stopped) this.finished(fiber, exit)
      }))
    }
    if (this.stopped || limit === Infinity) return
    if (limit <= 0) return this.expired()
    const timer = armTimer(this.caller, limit, expire, this)
    if (this.stopped) {
      if (timer !== undefined) disarmTimer(timer)
    } else {
      this.timer = timer
    }
  }

  /** Removes every observer and the timer. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    for (const remove of this.removers) remove()
    if (this.timer !== undefined) disarmTimer(this.timer)
    this.timer = undefined
  }

  /** @internal */
  fireLimit(): void {
    this.timer = undefined
    if (!this.stopped) this.expired()
  }
}

const expire = (watcher: Watcher<unknown, unknown>): void => watcher.fireLimit()
