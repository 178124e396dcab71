/**
 * The typed error of the durable engines: the store (a SQLite file, a
 * Postgres database) could not be opened or used.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * The store behind a durable engine could not be used: the SQLite file is
 * held by another process, is not a database or is damaged, or cannot be
 * opened at all; or the Postgres server cannot be reached.
 *
 * **Details**
 *
 * - `store`: what was being opened, the SQLite file's path or the Postgres
 *   URL without its password.
 * - `reason`: `"locked"` (another process owns the file), `"corrupt"` (not a
 *   database, or damaged), `"unavailable"` (cannot be opened or reached).
 * - Nothing is written to a store that fails these checks.
 *
 * **Example** (Opening a file that is not a database)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Effect, Layer } from "effect"
 * import * as fs from "node:fs"
 *
 * fs.writeFileSync("/tmp/not-a-database", "hello")
 * const program = Layer.build(durable.layerSqlite({ filename: "/tmp/not-a-database" })).pipe(Effect.scoped, Effect.flip)
 *
 * Effect.runPromise(program).then((error) => console.log(error.reason))
 * // => "corrupt"
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class DurableStoreError extends Data.TaggedError("DurableStoreError")<{
  readonly message: string
  readonly store: string
  readonly reason: "locked" | "corrupt" | "unavailable"
  readonly cause?: unknown
}> {}
