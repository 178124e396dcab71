/**
 * effect-asyncio/durable: asyncio's vocabulary inside Effect workflows, over
 * durable steps (activities and timers) whose outcomes are recorded, so a
 * workflow survives restarts and can spread over machines.
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * ```
 *
 * @since 0.1.0
 */

export { activity, type ActivityArgs, type ActivityOptions, type RequiredSchemas } from "./activity.ts"
export { asCompleted, type AsCompletedOptions, type TimeoutErrorOf } from "./asCompleted.ts"
export {
  defaultPollInterval,
  layerMemory,
  layerPostgres,
  layerSqlite,
  type PostgresOptions,
  type SqliteOptions
} from "./engine.ts"
export { DurableStoreError } from "./errors.ts"
export { type Gather, gather, type GatherOptions } from "./gather.ts"
export { InMemoryThreshold } from "./inMemoryThreshold.ts"
export { sleep, type SleepOptions } from "./sleep.ts"
export { layerSqliteClient } from "./sqliteClient.ts"
export { timeout } from "./timeout.ts"
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type Quorum,
  quorum,
  type ReturnWhen,
  wait,
  type WaitOptions,
  type WaitResult
} from "./wait.ts"
export { type BoundedOptions, waitFor } from "./waitFor.ts"
