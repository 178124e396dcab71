/**
 * The engine of `wait`: a watcher that counts tasks as they finish until the
 * condition holds or the timeout passes.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import { Watcher } from "./watcher.ts"

/**
 * `wait`'s result: the tasks that have finished and those that have not,
 * each in input order.
 *
 * @internal
 */
export interface Partition<A, E> {
  readonly done: ReadonlyArray<Fiber.Fiber<A, E>>
  readonly pending: ReadonlyArray<Fiber.Fiber<A, E>>
}

const isException = (exit: Exit.Exit<unknown, unknown>): boolean =>
  exit._tag === "Failure" && !Cause.hasInterruptsOnly(exit.cause)

/** @internal */
export const partition = <A, E>(fibers: ReadonlyArray<Fiber.Fiber<A, E>>): Partition<A, E> => {
  const done: Array<Fiber.Fiber<A, E>> = []
  const pending: Array<Fiber.Fiber<A, E>> = []
  for (const fiber of fibers) (fiber.pollUnsafe() === undefined ? pending : done).push(fiber)
  return { done, pending }
}

/**
 * One call of `wait`: counts the tasks as they finish until the condition
 * holds or the timeout passes.
 *
 * Woken by a task, it sorts after one yield, so that tasks finishing in the
 * same round are reported done, as asyncio's waiter also resumes a loop
 * iteration later (test_wait_really_done). Woken by the timeout, it sorts at
 * once: a task due at the same instant is still pending.
 *
 * @internal
 */
export class WaitImpl<A, E> extends Watcher<A, E> {
  resume: (sort: Effect.Effect<Partition<A, E>>) => void = () => {}
  private readonly returnWhen: string | undefined
  /** The quorum, or `undefined` for the other conditions. */
  private readonly k: number | undefined
  private unfinished: number
  private succeeded = 0
  private failed = 0
  /** The tasks {@link countFinished} counted, if any. */
  private counted: Set<Fiber.Fiber<A, E>> | undefined = undefined

  readonly kind = "wait"

  constructor(
    caller: Fiber.Fiber<unknown, unknown>,
    fibers: ReadonlyArray<Fiber.Fiber<A, E>>,
    returnWhen: string | undefined,
    k: number | undefined
  ) {
    super(caller, fibers)
    this.returnWhen = returnWhen
    this.k = k
    this.unfinished = fibers.length
  }

  /** Counts a finished task; whether the condition now holds. */
  count(exit: Exit.Exit<A, E>): boolean {
    this.unfinished--
    if (exit._tag === "Success") this.succeeded++
    else this.failed++
    if (this.unfinished === 0) return true
    if (this.k !== undefined) return this.succeeded >= this.k || this.failed > this.fibers.length - this.k
    return this.returnWhen === "FIRST_COMPLETED" || (this.returnWhen === "FIRST_EXCEPTION" && isException(exit))
  }

  /**
   * Counts the tasks that have already finished; whether the condition holds.
   * {@link watchUnfinished} then watches every other task.
   */
  countFinished(): boolean {
    for (const fiber of this.fibers) {
      const exit = fiber.pollUnsafe()
      if (exit === undefined) continue
      ;(this.counted ??= new Set()).add(fiber)
      if (this.count(exit)) return true
    }
    return false
  }

  /**
   * Watches the tasks {@link countFinished} did not count, including those
   * that finished since (the caller may have yielded in between): the
   * watcher reports those at once.
   */
  watchUnfinished(timeout: number): void {
    const counted = this.counted
    this.watch(timeout, counted === undefined ? undefined : (fiber) => !counted.has(fiber))
  }

  protected finished(_fiber: Fiber.Fiber<A, E>, exit: Exit.Exit<A, E>): void {
    if (!this.count(exit)) return
    this.stop()
    this.resume(Effect.andThen(Effect.yieldNow, Effect.sync(() => partition(this.fibers))))
  }

  protected expired(): void {
    this.stop()
    this.resume(Effect.sync(() => partition(this.fibers)))
  }
}
