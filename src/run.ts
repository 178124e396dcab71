/**
 * `run`: asyncio's `run(main)`, the entry point of a program, on
 * `@effect/platform-node`'s runtime.
 *
 * @stability stable
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import type * as Effect from "effect/Effect"
import type * as Runtime from "effect/Runtime"
import { withBackground } from "./internal/background.ts"

/**
 * Options of {@link run}, passed on to `NodeRuntime.runMain`.
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface RunOptions {
  /** Do not log the failure of `main` (the exit code is still set). */
  readonly disableErrorReporting?: boolean | undefined
  /** Decides the process exit code from `main`'s exit. */
  readonly teardown?: Runtime.Teardown | undefined
}

/**
 * Runs a program on Node.js, like `asyncio.run(main())`.
 *
 * **Details**
 *
 * - `main` runs on `@effect/platform-node`'s runtime (`NodeRuntime.runMain`):
 *   `SIGINT` (Ctrl-C) and `SIGTERM` interrupt it cleanly, running every
 *   finalizer, and the process exits with code 130.
 * - A failure or defect is logged and sets a non-zero exit code.
 * - Tasks still running when `main` ends are interrupted and awaited before
 *   the process exits: children of `main` as always, and work left behind by
 *   {@link shield} too, as `asyncio.run` cancels every remaining task.
 *
 * **Gotchas**
 *
 * `run` returns at once; the program keeps the process alive until it ends.
 * It needs every service of `main` provided (`R` is `never`).
 *
 * **Example** (A program's entry point)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Console, Effect } from "effect"
 *
 * const main = Effect.gen(function*() {
 *   const [a, b] = yield* aio.gather([Effect.succeed(1), Effect.succeed(2)])
 *   yield* Console.log(a + b)
 * })
 *
 * aio.run(main)
 * // => 3
 * ```
 *
 * @stability stable
 * @category running
 * @since 0.1.0
 */
export const run = <A, E>(main: Effect.Effect<A, E>, options?: RunOptions): void =>
  NodeRuntime.runMain(withBackground(main), options)
