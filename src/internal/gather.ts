/**
 * The engine of `gather`: a fan-out over the supervisor, the library's hot
 * path. Its members are kept by index (one array of fibers, one of slots, one
 * observer per fiber), not in the supervisor's `Set`.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type { CancelReason } from "../cancelReason.ts"
import { progressAdded, progressDropped, progressEnded, type ProgressRef, progressStarted } from "./progress.ts"
import { recordReason, registerNode } from "./registry.ts"
import { failureReasons, Supervisor } from "./supervisor.ts"
import { interruptNested } from "./trampoline.ts"

type AnyFiber = Fiber.Fiber<unknown, unknown>
type Awaitable = Effect.Effect<unknown, unknown, unknown> | AnyFiber

/**
 * One call of `gather`: starts the effects (at most `concurrency` at a time),
 * watches the tasks, fills the slots as they finish, and on the first failure
 * stops the rest.
 *
 * @internal
 */
export class GatherImpl extends Supervisor<unknown> {
  readonly items: ReadonlyArray<Awaitable>
  readonly concurrency: number
  readonly exits: boolean
  readonly slots: Array<unknown>
  /** The fiber of each item: the effects' own fibers once started, and the tasks given. */
  private readonly fibers: Array<AnyFiber | undefined>
  /** Index of the next item to start. */
  private next = 0
  /** Effects started and still running, for the bound. */
  private active = 0
  /** Set while {@link startMore} runs, so that effects finishing during their start do not recurse into it. */
  private launching = false
  private unfinished: number
  /** The first failure (or self-interruption), which stops the rest. */
  private failure: Cause.Cause<unknown> | undefined = undefined
  /** The tasks given: watched and stopped with the rest, never the supervisor's own. */
  private tasks: Set<AnyFiber> | undefined = undefined
  /** The own fibers as a set, built the first time a task is created in one of them. */
  private ownSet: Set<AnyFiber> | undefined = undefined
  readonly kind = "gather"
  /** Where to count progress, if the caller asked. */
  private readonly progress: ProgressRef | undefined

  constructor(
    caller: AnyFiber,
    items: ReadonlyArray<Awaitable>,
    concurrency: number,
    exits: boolean,
    hasTasks: boolean,
    progress: ProgressRef | undefined
  ) {
    super(caller)
    this.progress = progress
    this.items = items
    this.concurrency = concurrency
    this.exits = exits
    this.slots = new Array(items.length)
    this.fibers = new Array(items.length)
    this.unfinished = items.length
    if (hasTasks) this.tasks = new Set()
  }

  run(): Effect.Effect<Array<unknown>, unknown> {
    registerNode(this)
    if (this.progress !== undefined) progressAdded(this.progress, this.queuedFrom(0), 0)
    if (this.tasks !== undefined) this.watchTasks()
    this.startMore()
    return this.awaitClosed(() => this.outcome(), () => this.interruptedOutcome())
  }

  override runs(fiber: AnyFiber): boolean {
    if (this.ownSet === undefined) {
      this.ownSet = new Set()
      for (const member of this.fibers) {
        if (member !== undefined && this.tasks?.has(member) !== true) this.ownSet.add(member)
      }
    }
    return this.ownSet.has(fiber)
  }

  override awaited(): ReadonlyArray<AnyFiber> {
    return this.fibers.filter((fiber): fiber is AnyFiber => fiber !== undefined && fiber.pollUnsafe() === undefined)
  }

  override own(): ReadonlyArray<AnyFiber> {
    return this.awaited().filter((fiber) => this.tasks?.has(fiber) !== true)
  }

  override details(): string {
    return `${this.items.length - this.unfinished} of ${this.items.length} done`
  }

  /** Tasks are already running, so the bound is for effects only: the tasks are all watched at once. */
  private watchTasks(): void {
    const items = this.items
    for (let i = 0; i < items.length && this.state === "open"; i++) {
      const item = items[i]
      if (!Fiber.isFiber(item)) continue
      this.tasks!.add(item)
      this.fibers[i] = item
      this.running++
      if (this.progress !== undefined) progressAdded(this.progress, 0, 1)
      const exit = item.pollUnsafe()
      if (exit !== undefined) this.settle(i, exit)
      else item.addObserver((exit) => this.settle(i, exit))
    }
  }

  private startMore(): void {
    if (this.launching) return
    this.launching = true
    const items = this.items
    const tasks = this.tasks
    while (this.state === "open" && this.active < this.concurrency && this.next < items.length) {
      const index = this.next++
      const item = items[index]
      if (tasks !== undefined && Fiber.isFiber(item)) continue
      const fiber = this.startOwn(item as Effect.Effect<unknown, unknown>)
      this.fibers[index] = fiber
      this.ownSet?.add(fiber)
      this.active++
      this.running++
      if (this.progress !== undefined) progressStarted(this.progress)
      const exit = fiber.pollUnsafe()
      if (exit !== undefined) this.settleOwn(index, exit)
      else fiber.addObserver((exit) => this.settleOwn(index, exit))
    }
    this.launching = false
  }

  private settleOwn(index: number, exit: Exit.Exit<unknown, unknown>): void {
    this.active--
    this.settle(index, exit)
    this.startMore()
  }

  private settle(index: number, exit: Exit.Exit<unknown, unknown>): void {
    if (this.progress !== undefined) progressEnded(this.progress, exit)
    if (this.state === "open") {
      this.unfinished--
      if (this.exits) this.slots[index] = exit
      else if (exit._tag === "Success") this.slots[index] = exit.value
      else {
        this.failure = exit.cause
        // Counted as ended before the rest are stopped: its failure is the outcome, not a cleanup error.
        this.running--
        return this.stop({ _tag: "SiblingFailed", task: this.fibers[index]!, cause: exit.cause })
      }
    }
    this.countEnd(exit)
  }

  protected override interruptMembers(reason: CancelReason): void {
    for (const fiber of this.fibers) {
      if (fiber === undefined || fiber.pollUnsafe() !== undefined) continue
      recordReason(fiber, reason)
      interruptNested(fiber)
    }
  }

  protected isComplete(): boolean {
    return this.unfinished === 0
  }

  /** The effects that never started count as cancelled. */
  protected override closed(): void {
    if (this.progress !== undefined) progressDropped(this.progress, this.queuedFrom(this.next))
  }

  /** How many of the items from `start` on are effects (not tasks). */
  private queuedFrom(start: number): number {
    if (this.tasks === undefined) return this.items.length - start
    let effects = 0
    for (let i = start; i < this.items.length; i++) if (!Fiber.isFiber(this.items[i])) effects++
    return effects
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
