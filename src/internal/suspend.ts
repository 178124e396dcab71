/**
 * The one way the primitives wait: `Effect.callback`, with the work to do
 * when the waiting fiber is interrupted from outside typed as it behaves.
 *
 * @internal
 */
import * as Effect from "effect/Effect"

/**
 * Suspends the running fiber until `resume` is called. `register` may return
 * the effect to run when the fiber is interrupted from outside (stop the
 * work, wait for it): Effect runs it uninterruptibly, and the typed failures
 * and defects it ends with join the interruption's cause, so errors raised
 * while the work stops are never lost. `Effect.callback`'s type says that
 * effect cannot fail; its runtime keeps the cause (test/waitFor.test.ts and
 * test/gather.test.ts pin it), so the cast lives here, once.
 *
 * @internal
 */
export const suspendUntil = <A, E>(
  register: (resume: (effect: Effect.Effect<A, E>) => void) => Effect.Effect<void, E> | void
): Effect.Effect<A, E> =>
  Effect.callback<A, E>(register as (resume: (effect: Effect.Effect<A, E>) => void) => Effect.Effect<void> | void)
