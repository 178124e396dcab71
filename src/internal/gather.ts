/**
 * The engine of `gather`: a fan-out over the supervisor.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { failureReasons, Supervisor } from "./supervisor.ts"

type Awaitable = Effect.Effect<unknown, unknown, unknown> | Fiber.Fiber<unknown, unknown>

/**
 * One call of `gather`: starts the effects (at most `concurrency` at a time),
 * watches the tasks, fills the slots as they finish, and on the first failure
 * stops the rest.
 *
 * @internal
 */
export class GatherImpl extends Supervisor<unknown> {
  readonly slots: Array<unknown>
  /** Index of the next effect to start. */
  private next = 0
  /** Effects started and still running, for the bound. */
  private active = 0
  /** Set while {@link startMore} runs, so that effects finishing during their start do not recurse into it. */
  private launching = false
  private unfinished: number
  /** The first failure (or self-interruption), which stops the rest. */
  private failure: Cause.Cause<unknown> | undefined = undefined
  /** The given tasks: watched and stopped with the rest, but never the supervisor's own. */
  private tasks: Set<Fiber.Fiber<unknown, unknown>> | undefined = undefined

  readonly items: ReadonlyArray<Awaitable>
  readonly concurrency: number
  readonly exits: boolean

  constructor(caller: Fiber.Fiber<unknown, unknown>, items: ReadonlyArray<Awaitable>, concurrency: number, exits: boolean) {
    super(caller)
    this.items = items
    this.concurrency = concurrency
    this.exits = exits
    this.slots = new Array(items.length)
    this.unfinished = items.length
  }

  run(): Effect.Effect<Array<unknown>, unknown> {
    this.launch()
    return this.awaitClosed(() => this.outcome(), () => this.interruptedOutcome())
  }

  override runs(fiber: Fiber.Fiber<unknown, unknown>): boolean {
    return this.members.has(fiber) && this.tasks?.has(fiber) !== true
  }

  /** Watches every task (tasks are already running: the bound is for effects), then starts effects up to the bound. */
  private launch(): void {
    const items = this.items
    for (let i = 0; i < items.length && this.state === "open"; i++) {
      const item = items[i]
      if (Fiber.isFiber(item)) {
        ;(this.tasks ??= new Set()).add(item)
        this.watch(item, (fiber, exit) => this.settle(i, fiber, exit))
      }
    }
    this.startMore()
  }

  private startMore(): void {
    if (this.launching) return
    this.launching = true
    const items = this.items
    while (this.state === "open" && this.active < this.concurrency && this.next < items.length) {
      const index = this.next++
      const item = items[index]
      if (Fiber.isFiber(item)) continue
      this.active++
      this.start(item as Effect.Effect<unknown, unknown>, (fiber, exit) => {
        this.active--
        this.settle(index, fiber, exit)
        this.startMore()
      })
    }
    this.launching = false
  }

  private settle(index: number, fiber: Fiber.Fiber<unknown, unknown>, exit: Exit.Exit<unknown, unknown>): void {
    if (this.state === "open") {
      this.unfinished--
      if (this.exits) this.slots[index] = exit
      else if (exit._tag === "Success") this.slots[index] = exit.value
      else {
        this.failure = exit.cause
        this.members.delete(fiber)
        this.stop()
        return
      }
    }
    this.exited(fiber, exit)
  }

  protected memberExited(): void {}

  protected isComplete(): boolean {
    return this.unfinished === 0
  }

  private outcome(): Effect.Effect<Array<unknown>, unknown> {
    if (this.failure === undefined) return Effect.succeed(this.slots)
    return Effect.failCause(
      this.failures.length === 0 ? this.failure : Cause.fromReasons([...this.failure.reasons, ...this.failures])
    )
  }

  /**
   * Interrupted from outside: the first failure, if one had already stopped
   * the rest, and whatever they raised on the way out join the interruption.
   */
  private interruptedOutcome(): Effect.Effect<void, unknown> {
    const reasons = [...(this.failure === undefined ? [] : failureReasons(this.failure)), ...this.failures]
    return reasons.length === 0 ? Effect.void : Effect.failCause(Cause.fromReasons(reasons))
  }
}
