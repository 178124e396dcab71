/**
 * Small helpers over fibers and causes shared by the primitives that own
 * fibers (`waitFor`, `timeout`, `taskGroup`, `shield`, `asCompleted`).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"

/**
 * The reasons of a cause that are not interruptions: the typed failures and
 * defects that must never be dropped.
 *
 * @internal
 */
export const failureReasons = <E>(cause: Cause.Cause<E>): ReadonlyArray<Cause.Reason<E>> =>
  cause.reasons.filter((reason) => !Cause.isInterruptReason(reason))

/**
 * Interrupts `fibers`, waits until every one has finished its finalizers, and
 * then fails with whatever typed failures or defects they raised on the way
 * out (a finalizer that failed, a task that failed while being interrupted),
 * so that an interruption never swallows an error. Succeeds when they all
 * ended cleanly.
 *
 * @internal
 */
export const interruptAllAndCheck = <E>(
  fibers: Iterable<Fiber.Fiber<unknown, E>>
): Effect.Effect<void, E> =>
  Effect.suspend(() => {
    const pending = Array.from(fibers)
    if (pending.length === 0) return Effect.void
    for (const fiber of pending) fiber.interruptUnsafe()
    return Effect.callback<void, E>((resume) => {
      const reasons: Array<Cause.Reason<E>> = []
      let remaining = pending.length
      const onExit = (exit: Exit.Exit<unknown, E>) => {
        if (exit._tag === "Failure") reasons.push(...failureReasons(exit.cause))
        if (--remaining === 0) {
          resume(reasons.length === 0 ? Effect.void : Effect.failCause(Cause.fromReasons(reasons)))
        }
      }
      const removers = pending.map((fiber) => fiber.addObserver(onExit))
      return Effect.sync(() => removers.forEach((remove) => remove()))
    })
  })

/**
 * Waiting on a task the way asyncio awaits one inside `wait_for` or
 * `gather`: when the wait is interrupted, the task is cancelled and awaited
 * too, and an error it raises while stopping is kept.
 *
 * @internal
 */
export const joinOrCancel = <A, E>(task: Fiber.Fiber<A, E>): Effect.Effect<A, E> =>
  Effect.onInterrupt(Fiber.join(task), () => interruptAllAndCheck([task]))
