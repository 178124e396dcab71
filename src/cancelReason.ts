/**
 * `cancelReason`: why the running work is being stopped. asyncio passes a
 * message with `cancel(msg)`; Trio's cancel scopes know their cause. Here the
 * library records a typed reason on every fiber it interrupts.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import { reasonOf } from "./internal/registry.ts"

/**
 * Why work is being stopped, as {@link cancelReason} reports it.
 *
 * - `NotCancelled`: nothing is stopping it.
 * - `SiblingFailed`: a task of the same group, or an effect of the same
 *   `gather` or `asCompleted`, failed or died (`task` is its fiber, `cause`
 *   what it raised).
 * - `DeadlineExpired`: a `timeout`, `timeoutAt` or `waitFor` deadline passed
 *   (`deadline` in ms on the `Clock`), or an `asCompleted` timeout.
 * - `GroupCancelled`: its task group was cancelled (`tg.cancel`).
 * - `Cancelled`: someone called {@link cancel} on it (`message` is asyncio's
 *   `cancel(msg)`).
 * - `ConsumerStopped`: the consumer of an `asCompleted` stream stopped early.
 * - `Signal`: the process got `SIGINT` or `SIGTERM` under {@link run}.
 * - `Interrupted`: something outside this library interrupted it (a
 *   `Fiber.interrupt`, `Effect.timeout`, ...).
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export type CancelReason =
  | { readonly _tag: "NotCancelled" }
  | { readonly _tag: "SiblingFailed"; readonly task: Fiber.Fiber<unknown, unknown>; readonly cause: unknown }
  | { readonly _tag: "DeadlineExpired"; readonly deadline: number | null }
  | { readonly _tag: "GroupCancelled" }
  | { readonly _tag: "Cancelled"; readonly message: string | undefined }
  | { readonly _tag: "ConsumerStopped" }
  | { readonly _tag: "Signal"; readonly signal: "SIGINT" | "SIGTERM" }
  | { readonly _tag: "Interrupted" }

const notCancelled: CancelReason = { _tag: "NotCancelled" }

/**
 * Why the work running this effect is being stopped: read it in a finalizer
 * or `Effect.onInterrupt` to clean up according to the cause, or log it.
 *
 * **When to use**
 *
 * Use in cleanup code that should act differently on a deadline, a failed
 * sibling or a shutdown signal, or to say in a log line why work stopped.
 *
 * **Details**
 *
 * - The reason is the one recorded on the running fiber, or on the nearest
 *   fiber above it that is being stopped: a task stopped because its group is
 *   stopping sees the group's reason.
 * - Outside cancellation it is `{ _tag: "NotCancelled" }`.
 * - Nothing else changes: the reason is information only.
 *
 * **Example** (A finalizer that knows a deadline passed)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Console, Effect } from "effect"
 *
 * const work = Effect.never.pipe(
 *   Effect.onInterrupt(() => Effect.flatMap(aio.cancelReason, (reason) => Console.log(reason._tag)))
 * )
 *
 * Effect.runPromise(Effect.ignore(aio.waitFor(work, "1 second")))
 * // => "DeadlineExpired"
 * ```
 *
 * @see {@link cancel} to cancel with a message
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const cancelReason: Effect.Effect<CancelReason> = Effect.withFiber((fiber) =>
  Effect.succeed(reasonOf(fiber) ?? notCancelled)
)
