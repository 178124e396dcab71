/**
 * A `SqlClient` over Node's built-in `node:sqlite`, for the embedded durable
 * engine: no effect-4-compatible SQLite driver is published, and this one
 * needs no native module and no server.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Reactivity from "effect/reactivity/Reactivity"
import * as Semaphore from "effect/Semaphore"
import * as SqlClient from "effect/sql/SqlClient"
import type * as SqlConnection from "effect/sql/SqlConnection"
import { classifySqliteError, SqlError } from "effect/sql/SqlError"
import * as Statement from "effect/sql/Statement"
import * as Stream from "effect/Stream"
import { DatabaseSync, type StatementSync } from "node:sqlite"
import { DurableStoreError } from "./errors.ts"

/** SQLite's primary result codes that decide which `DurableStoreError` an open failure is. */
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_CORRUPT = 11
const SQLITE_NOTADB = 26

/** How many prepared statements to keep; the cluster storage builds `IN (...)` lists of many lengths. */
const statementCacheSize = 200

const primaryCode = (cause: unknown): number | undefined => {
  const code = (cause as { readonly errcode?: unknown } | null)?.errcode
  return typeof code === "number" ? code & 0xff : undefined
}

const storeError = (filename: string, cause: unknown): DurableStoreError => {
  const code = primaryCode(cause)
  const detail = cause instanceof Error ? cause.message : String(cause)
  if (code === SQLITE_BUSY || code === SQLITE_LOCKED) {
    return new DurableStoreError({
      store: filename,
      reason: "locked",
      message: `durable store ${filename} is locked: another process is using it (${detail})`,
      cause
    })
  }
  if (code === SQLITE_CORRUPT || code === SQLITE_NOTADB) {
    return new DurableStoreError({
      store: filename,
      reason: "corrupt",
      message: `durable store ${filename} is not a valid database (${detail})`,
      cause
    })
  }
  return new DurableStoreError({
    store: filename,
    reason: "unavailable",
    message: `durable store ${filename} cannot be opened (${detail})`,
    cause
  })
}

/**
 * Opens the file and checks it before anything is written: it must be free
 * (the connection then keeps an exclusive lock for its lifetime, so a second
 * process fails at once instead of corrupting the run) and a sound database.
 */
const open = (filename: string): DatabaseSync => {
  const db = new DatabaseSync(filename)
  try {
    db.exec("PRAGMA busy_timeout = 0")
    db.exec("PRAGMA locking_mode = EXCLUSIVE")
    const check = db.prepare("PRAGMA quick_check").all() as Array<{ readonly quick_check: string }>
    if (check.length !== 1 || check[0].quick_check !== "ok") {
      throw Object.assign(new Error(check.map((row) => row.quick_check).join("; ")), { errcode: SQLITE_CORRUPT })
    }
    db.exec("PRAGMA journal_mode = WAL")
    db.exec("PRAGMA synchronous = NORMAL")
    // The first write takes the exclusive lock, held until close.
    db.exec("BEGIN IMMEDIATE; COMMIT")
    db.exec("PRAGMA busy_timeout = 5000")
    return db
  } catch (cause) {
    db.close()
    throw cause
  }
}

const sqlError = (cause: unknown, operation: string) =>
  new SqlError({
    reason: classifySqliteError(Object.assign(cause as object, { errno: primaryCode(cause) }), {
      message: `SQLite ${operation} failed`,
      operation
    })
  })

const makeConnection = (db: DatabaseSync) => {
  const cache = new Map<string, StatementSync>()
  const prepare = (sql: string): StatementSync => {
    const cached = cache.get(sql)
    if (cached !== undefined) return cached
    const statement = db.prepare(sql)
    if (cache.size >= statementCacheSize) cache.delete(cache.keys().next().value!)
    cache.set(sql, statement)
    return statement
  }
  const run = (sql: string, params: ReadonlyArray<unknown>, mode: "rows" | "raw" | "values", prepared = true) =>
    Effect.withFiber<any, SqlError>((fiber) =>
      Effect.try({
        try: () => {
          const statement = prepared ? prepare(sql) : db.prepare(sql)
          // Snowflake ids do not fit in a double: the cluster storage asks for bigints.
          statement.setReadBigInts(Context.get(fiber.context, SqlClient.SafeIntegers))
          statement.setReturnArrays(mode === "values")
          if (mode === "raw" && statement.columns().length === 0) {
            return statement.run(...(params as Array<any>))
          }
          return statement.all(...(params as Array<any>))
        },
        catch: (cause) => sqlError(cause, "statement")
      })
    )
  const connection: SqlConnection.Connection & { readonly isTransaction: () => boolean } = {
    isTransaction: () => db.isTransaction,
    execute: (sql, params, transform) =>
      transform ? Effect.map(run(sql, params, "rows"), transform) : run(sql, params, "rows"),
    executeRaw: (sql, params) => run(sql, params, "raw"),
    executeValues: (sql, params) => run(sql, params, "values"),
    executeValuesUnprepared: (sql, params) => run(sql, params, "values", false),
    executeUnprepared: (sql, params, transform) =>
      transform ? Effect.map(run(sql, params, "rows", false), transform) : run(sql, params, "rows", false),
    executeStream: () => Stream.die("node:sqlite client: streaming queries are not supported")
  }
  return connection
}

/**
 * A `SqlClient` on one SQLite file through `node:sqlite`: one connection,
 * serialized by a semaphore, in WAL mode with `synchronous = NORMAL`, holding
 * an exclusive lock on the file until the layer is released.
 *
 * **Details**
 *
 * Opening fails with {@link DurableStoreError} naming the file when another
 * process holds it (`"locked"`), when it is not a database or fails SQLite's
 * `quick_check` (`"corrupt"`), or when it cannot be opened (`"unavailable"`);
 * nothing is written to it in those cases.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerSqliteClient = (filename: string): Layer.Layer<SqlClient.SqlClient, DurableStoreError> =>
  Layer.effect(SqlClient.SqlClient)(
    Effect.gen(function*() {
      const db = yield* Effect.acquireRelease(
        Effect.try({ try: () => open(filename), catch: (cause) => storeError(filename, cause) }),
        (db) => Effect.sync(() => db.close())
      )
      const connection = makeConnection(db)
      const acquirers = SqlClient.makeSqliteAcquirers({
        connection: Effect.succeed(connection),
        semaphore: yield* Semaphore.make(1),
        isTransaction: (conn) => conn.isTransaction()
      })
      return yield* SqlClient.make({
        ...acquirers,
        compiler: Statement.makeCompilerSqlite(),
        driver: "node:sqlite",
        beginTransaction: "BEGIN IMMEDIATE",
        releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
        spanAttributes: [["db.system.name", "sqlite"]]
      })
    })
  ).pipe(Layer.provide(Reactivity.layer))
