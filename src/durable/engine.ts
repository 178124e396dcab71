/**
 * The engines the durable verbs run on: an embedded one on a SQLite file,
 * one in memory for tests, and one on Postgres for several machines. Each is
 * Effect's own `WorkflowEngine`; this module only wires them.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as ClusterWorkflowEngine from "effect/cluster/ClusterWorkflowEngine"
import * as RunnerHealth from "effect/cluster/RunnerHealth"
import * as Runners from "effect/cluster/Runners"
import * as RunnerStorage from "effect/cluster/RunnerStorage"
import * as Sharding from "effect/cluster/Sharding"
import * as ShardingConfig from "effect/cluster/ShardingConfig"
import * as SqlMessageStorage from "effect/cluster/SqlMessageStorage"
import * as Context from "effect/Context"
import * as Digest from "effect/crypto/Digest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import { durationMillis, misuse, show } from "../internal/validate.ts"
import { DurableStoreError } from "./errors.ts"
import { layerSqliteClient } from "./sqliteClient.ts"

/**
 * How often an engine on a database looks for due timers and messages. A
 * suspended run's durable timer fires up to this late; each poll is one
 * query per runner.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaultPollInterval: Duration.Duration = Duration.millis(100)

/**
 * Options of {@link layerSqlite}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SqliteOptions {
  /** The database file; created if missing. */
  readonly filename: string
  /**
   * How often the engine polls the file for due timers and messages; see
   * {@link defaultPollInterval}.
   *
   * @default 100 millis
   */
  readonly pollInterval?: Duration.Input | undefined
}

const pollMillis = (fn: string, input: unknown): number => {
  const millis = input === undefined
    ? Duration.toMillis(defaultPollInterval)
    : durationMillis(fn, "pollInterval", input)
  if (!(millis >= 1 && Number.isFinite(millis))) {
    throw misuse(`${fn}: pollInterval must be a finite duration of at least 1 millisecond, got ${show(input)}`)
  }
  return millis
}

/**
 * The embedded durable engine: Effect's `ClusterWorkflowEngine` with one
 * runner in this process, storing everything in one SQLite file through
 * Node's built-in `node:sqlite`. No server, no native module.
 *
 * **When to use**
 *
 * Use on a single machine: a service, a CLI, a job runner whose workflows
 * must survive a crash or a restart.
 *
 * **Details**
 *
 * - The process holds an exclusive lock on the file while the layer is
 *   alive: a second process fails with {@link DurableStoreError} (`"locked"`)
 *   instead of running the same workflows twice. A SIGKILL releases the lock.
 * - After a crash, the next process that opens the file resumes the
 *   unfinished workflows as soon as a workflow of their kind is registered.
 * - A file that is not a database, or fails SQLite's `quick_check`, fails
 *   with `"corrupt"` before anything is written to it.
 *
 * **Gotchas**
 *
 * Releasing the layer waits for the runner to hand back its work (about a
 * second). A `pollInterval` that is not a finite duration of at least 1 ms
 * dies with `Cause.IllegalArgumentError`.
 *
 * **Example** (An order workflow on a file)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Effect, Layer, Schema } from "effect"
 * import { Workflow } from "effect/workflow"
 * import * as fs from "node:fs"
 * import * as os from "node:os"
 * import * as path from "node:path"
 *
 * const Order = Workflow.make("Order", {
 *   payload: { id: Schema.String },
 *   success: Schema.String,
 *   idempotencyKey: ({ id }) => id
 * })
 *
 * let confirmations = 0
 * const OrderLive = Order.toLayer(({ id }) =>
 *   durable.activity(Effect.sync(() => `${id} confirmed #${++confirmations}`))
 * )
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orders-"))
 * const engine = durable.layerSqlite({ filename: path.join(dir, "orders.db") })
 *
 * // Each run opens the file and closes it when done, as a process would.
 * const run = Order.execute({ id: "o-1" }).pipe(Effect.provide(OrderLive.pipe(Layer.provideMerge(engine))))
 *
 * // The second run finds the workflow finished in the file, and returns its result.
 * Effect.runPromise(Effect.all([run, run])).then(console.log).finally(() => fs.rmSync(dir, { recursive: true }))
 * // => ["o-1 confirmed #1", "o-1 confirmed #1"]
 * ```
 *
 * @see {@link layerPostgres}
 * @category layers
 * @since 0.1.0
 */
export const layerSqlite = (options: SqliteOptions): Layer.Layer<WorkflowEngine.WorkflowEngine, DurableStoreError> =>
  Layer.unwrap(Effect.sync(() => {
    if (typeof options?.filename !== "string" || options.filename.length === 0) {
      throw misuse(`layerSqlite: filename must be a non-empty string, got ${show(options?.filename)}`)
    }
    const poll = pollMillis("layerSqlite", options.pollInterval)
    const cluster = Sharding.layer.pipe(
      Layer.provideMerge(Runners.layerNoop),
      Layer.provideMerge(SqlMessageStorage.layer),
      Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
      // One runner owns every shard: its address only has to stay the same
      // across restarts (the default one does), and no setting is read from
      // the environment.
      Layer.provide(ShardingConfig.layer({ entityMessagePollInterval: poll, entityReplyPollInterval: poll })),
      Layer.provide(Digest.layerWebCrypto),
      Layer.provide(layerSqliteClient(options.filename))
    )
    return ClusterWorkflowEngine.layer.pipe(Layer.provide(cluster))
  }))

/**
 * The in-memory engine, Effect's `WorkflowEngine.layerMemory`: nothing
 * survives the process, and its timers run on the `Clock`, so `TestClock`
 * drives them. For tests.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerMemory: Layer.Layer<WorkflowEngine.WorkflowEngine> = WorkflowEngine.layerMemory

/**
 * Options of {@link layerPostgres}.
 *
 * @category models
 * @since 0.1.0
 */
export interface PostgresOptions {
  /** A `postgres://user:password@host:port/database` URL. */
  readonly url: string
  /**
   * The address other runners reach this one at (each machine its own);
   * the runner listens on it. Without it, this process is a client only: it
   * starts workflows and reads their results, and runs none of them.
   */
  readonly runnerAddress?: { readonly host: string; readonly port: number } | undefined
  /**
   * How often the runner polls the database for due timers and messages.
   *
   * @default 100 millis
   */
  readonly pollInterval?: Duration.Input | undefined
  /**
   * Other settings of Effect's cluster (`ShardingConfig`), such as
   * `shardLockExpiration` or `shardsPerGroup`.
   */
  readonly sharding?: Partial<ShardingConfig.ShardingConfig["Service"]> | undefined
}

/** A layer whose typed failures are turned into `DurableStoreError`s. */
const storeErrors = <A, E, R>(
  layer: Layer.Layer<A, E, R>,
  toStoreError: (error: E) => DurableStoreError
): Layer.Layer<A, DurableStoreError, R> =>
  Layer.catchCause(layer, (cause) => Layer.unwrap(Effect.failCause(Cause.map(cause, toStoreError))))

const withoutPassword = (url: string): string => url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@")

/**
 * The distributed durable engine: Effect's `ClusterWorkflowEngine` on
 * Postgres through `@effect/sql-pg`, with runners on several machines that
 * share the work (each workflow execution is owned by one runner at a time)
 * and take over the workflows of a runner that dies.
 *
 * **When to use**
 *
 * Use when the workflows must spread over several processes or machines.
 *
 * **Details**
 *
 * - Runners talk to each other over TCP (`runnerAddress`) and check each
 *   other's health; the database holds the workflows, their records and the
 *   runners' shard locks.
 * - `@effect/sql-pg` is loaded only when this layer is built; install it
 *   (`npm install @effect/sql-pg`) to use it.
 * - An unreachable database fails the layer with {@link DurableStoreError}
 *   (`"unavailable"`), naming the URL without its password.
 *
 * **Gotchas**
 *
 * Every runner must register the same workflows. A runner that dies keeps its
 * shards until the others notice (the health check) and its shard locks
 * expire (`sharding.shardLockExpiration`, 35 s by default).
 *
 * **Example** (A runner, and a database it cannot reach)
 *
 * ```ts
 * import * as durable from "effect-asyncio/durable"
 * import { Effect, Layer } from "effect"
 *
 * // One of several runners: each machine gives the address it listens on.
 * const engine = durable.layerPostgres({
 *   url: "postgres://app:secret@127.0.0.1:1/app",
 *   runnerAddress: { host: "127.0.0.1", port: 34431 }
 * })
 *
 * // Nothing listens on port 1: building the engine fails with a typed error
 * // that names the database without its password.
 * const program = Layer.build(engine).pipe(Effect.scoped, Effect.flip)
 *
 * Effect.runPromise(program).then((error) => console.log(error.reason, error.store))
 * // => ["unavailable", "postgres://app:***@127.0.0.1:1/app"]
 * ```
 *
 * @see {@link layerSqlite}
 * @category layers
 * @since 0.1.0
 */
export const layerPostgres = (
  options: PostgresOptions
): Layer.Layer<WorkflowEngine.WorkflowEngine, DurableStoreError> =>
  Layer.unwrap(Effect.gen(function*() {
    if (typeof options?.url !== "string" || options.url.length === 0) {
      throw misuse(`layerPostgres: url must be a non-empty string, got ${show(options?.url)}`)
    }
    const address = options.runnerAddress
    if (address !== undefined && (typeof address?.host !== "string" || !Number.isInteger(address?.port))) {
      throw misuse(`layerPostgres: runnerAddress must be { host, port } or undefined, got ${show(address)}`)
    }
    const poll = pollMillis("layerPostgres", options.pollInterval)
    const store = withoutPassword(options.url)
    const unavailable = (message: string) => (cause: unknown) =>
      new DurableStoreError({ store, reason: "unavailable", message: `durable store ${store} ${message}`, cause })
    const [PgClient, NodeClusterSocket, RunnerAddress] = yield* Effect.tryPromise({
      try: () =>
        Promise.all([
          import("@effect/sql-pg/PgClient"),
          import("@effect/platform-node/NodeClusterSocket"),
          import("effect/cluster/RunnerAddress")
        ]),
      catch: unavailable("needs the @effect/sql-pg package (npm install @effect/sql-pg)")
    })
    const client = PgClient.layer({ url: Redacted.make(options.url) }).pipe(
      // The pool connects on its first query, and the cluster's storage dies
      // when that fails: connect here, so that an unreachable database fails
      // the layer with a DurableStoreError.
      Layer.tap((context) => Effect.asVoid(Context.get(context, PgClient.PgClient)`SELECT 1`))
    )
    const sql = storeErrors(client, unavailable("cannot be reached"))
    const runner = storeErrors(
      NodeClusterSocket.layer({
        storage: "sql",
        clientOnly: address === undefined,
        shardingConfig: {
          runnerAddress: address === undefined ? Option.none() : Option.some(RunnerAddress.RunnerAddress.make(address)),
          entityMessagePollInterval: poll,
          entityReplyPollInterval: poll,
          ...options.sharding
        }
      }),
      unavailable("cannot start a runner")
    )
    return ClusterWorkflowEngine.layer.pipe(Layer.provide(runner), Layer.provide(sql))
  }))
