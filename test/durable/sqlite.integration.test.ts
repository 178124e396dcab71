/**
 * The embedded store: the `SqlClient` over `node:sqlite`, Effect's own
 * cluster message storage (its SQLite dialect) on top of it, and the typed
 * errors for a file that is locked, not a database, or damaged.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Option, Schema } from "effect"
import * as durable from "effect-asyncio/durable"
import {
  EntityAddress,
  EntityId,
  EntityType,
  Envelope,
  Message,
  MessageStorage,
  Reply,
  ShardId,
  ShardingConfig,
  Snowflake,
  SqlMessageStorage
} from "effect/cluster"
import { Digest } from "effect/crypto"
import { Headers } from "effect/http"
import { Rpc } from "effect/rpc"
import { SqlClient } from "effect/sql"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

/** A file path in a directory of its own, removed when the test ends. */
const tempFile = (name: string) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "durable-sqlite-"))),
      (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
    ),
    (dir) => path.join(dir, name)
  )

class Charge extends Rpc.make("Charge", {
  payload: { orderId: Schema.String, amount: Schema.Number },
  success: Schema.String,
  primaryKey: ({ orderId }) => orderId
}) {}

const request = Effect.fnUntraced(function*(orderId: string, amount: number) {
  const snowflake = yield* Snowflake.Generator
  return new Message.OutgoingRequest({
    envelope: Envelope.makeRequest<any>({
      requestId: snowflake.nextUnsafe(),
      address: EntityAddress.make({
        shardId: ShardId.make("default", 1),
        entityType: EntityType.make("Payments"),
        entityId: EntityId.make(orderId)
      }),
      tag: Charge._tag,
      payload: Charge.payloadSchema.make({ orderId, amount }),
      traceId: "noop",
      spanId: "noop",
      sampled: false,
      headers: Headers.empty
    }),
    annotations: Charge.annotations,
    context: Context.empty() as any,
    rpc: Charge,
    lastReceivedReply: Option.none(),
    respond: () => Effect.void
  })
})

const reply = Effect.fnUntraced(function*(to: Message.OutgoingRequest<any>, value: string) {
  const snowflake = yield* Snowflake.Generator
  return new Reply.ReplyWithContext({
    reply: new Reply.WithExit({
      id: snowflake.nextUnsafe(),
      requestId: to.envelope.requestId,
      exit: Exit.succeed(value) as any
    }),
    context: to.context,
    rpc: to.rpc
  })
})

const storage = (file: string) =>
  SqlMessageStorage.layer.pipe(
    Layer.provideMerge(Snowflake.layerGenerator),
    Layer.provide([ShardingConfig.layerDefaults, Digest.layerWebCrypto]),
    Layer.provideMerge(durable.layerSqliteClient(file))
  )

describe("durable SQLite store", () => {
  it.effect("the client runs queries with parameters, transactions and 64-bit integers", () =>
    Effect.gen(function*() {
      const file = yield* tempFile("client.db")
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE orders (id TEXT PRIMARY KEY, total INTEGER)`
        yield* sql`INSERT INTO orders ${sql.insert({ id: "o-1", total: 10 })}`
        const failed = yield* Effect.exit(sql.withTransaction(Effect.gen(function*() {
          yield* sql`INSERT INTO orders ${sql.insert({ id: "o-2", total: 20 })}`
          return yield* Effect.fail("rollback")
        })))
        assert.isTrue(Exit.isFailure(failed))
        assert.deepStrictEqual(yield* sql`SELECT id, total FROM orders`, [{ id: "o-1", total: 10 }])
        const big = 9007199254740993n
        yield* sql`INSERT INTO orders ${sql.insert({ id: "big", total: big as unknown as number })}`
        const rows = yield* Effect.provideService(
          sql`SELECT total FROM orders WHERE id = 'big'`,
          SqlClient.SafeIntegers,
          true
        )
        assert.strictEqual(rows[0].total, big)
      }).pipe(Effect.provide(durable.layerSqliteClient(file)))
    }))

  it.effect("Effect's cluster message storage works on it: saves, deduplicates, replies, and keeps them across a reopen", () =>
    Effect.gen(function*() {
      const file = yield* tempFile("messages.db")
      const charge = yield* Effect.gen(function*() {
        const store = yield* MessageStorage.MessageStorage
        const first = yield* request("o-1", 10)
        assert.strictEqual((yield* store.saveRequest(first))._tag, "Success")
        assert.strictEqual((yield* store.saveRequest(yield* request("o-1", 10)))._tag, "Duplicate")
        const unprocessed = yield* store.unprocessedMessages([ShardId.make("default", 1)])
        assert.strictEqual(unprocessed.length, 1)
        yield* store.saveReply(yield* reply(first, "receipt-1"))
        assert.strictEqual((yield* store.unprocessedMessages([ShardId.make("default", 1)])).length, 0)
        return first
      }).pipe(Effect.provide(storage(file)))

      // A new connection, as after a restart.
      yield* Effect.gen(function*() {
        const store = yield* MessageStorage.MessageStorage
        const replies = yield* store.repliesFor([charge])
        assert.strictEqual(replies.length, 1)
        assert.strictEqual(replies[0].requestId, charge.envelope.requestId)
        assert.strictEqual((yield* store.saveRequest(yield* request("o-1", 10)))._tag, "Duplicate")
      }).pipe(Effect.provide(storage(file)))
    }))

  describe("a file it cannot use fails with a typed error naming it, and stays as it was", () => {
    it.effect("a file that is not a database", () =>
      Effect.gen(function*() {
        const file = yield* tempFile("garbage.db")
        fs.writeFileSync(file, "this is not a database, it is a shopping list\n".repeat(100))
        const before = fs.readFileSync(file)
        const error = yield* Effect.flip(Layer.build(durable.layerSqlite({ filename: file })))
        assert.strictEqual(error._tag, "DurableStoreError")
        assert.strictEqual(error.reason, "corrupt")
        assert.strictEqual(error.store, file)
        assert.include(error.message, file)
        assert.deepStrictEqual(fs.readFileSync(file), before)
        assert.deepStrictEqual(fs.readdirSync(path.dirname(file)), ["garbage.db"])
      }))

    it.effect("a database whose pages are damaged", () =>
      Effect.gen(function*() {
        const file = yield* tempFile("damaged.db")
        yield* Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE t (x TEXT)`
          for (let i = 0; i < 200; i++) yield* sql`INSERT INTO t VALUES (${"row ".repeat(50) + i})`
          yield* sql`PRAGMA wal_checkpoint(TRUNCATE)`
        }).pipe(Effect.provide(durable.layerSqliteClient(file)))
        const bytes = fs.readFileSync(file)
        bytes.fill(0xa5, 4096 * 2, 4096 * 4)
        fs.writeFileSync(file, bytes)
        const error = yield* Effect.flip(Layer.build(durable.layerSqlite({ filename: file })))
        assert.strictEqual(error.reason, "corrupt")
        assert.strictEqual(error.store, file)
        assert.deepStrictEqual(fs.readFileSync(file), bytes)
      }))

    it.effect("a file in a directory that does not exist", () =>
      Effect.gen(function*() {
        const file = path.join(path.dirname(yield* tempFile("x")), "missing", "orders.db")
        const error = yield* Effect.flip(Layer.build(durable.layerSqlite({ filename: file })))
        assert.strictEqual(error.reason, "unavailable")
        assert.strictEqual(error.message, `durable store ${file} cannot be opened (unable to open database file)`)
      }))

    it.effect("a file another connection holds", () =>
      Effect.gen(function*() {
        const file = yield* tempFile("held.db")
        yield* Layer.build(durable.layerSqliteClient(file))
        const error = yield* Effect.flip(Layer.build(durable.layerSqlite({ filename: file })))
        assert.strictEqual(error.reason, "locked")
        assert.strictEqual(error.store, file)
        assert.include(error.message, `${file} is locked`)
      }))

    it.effect("a file another process holds: the demo fails at once, naming it", () =>
      Effect.gen(function*() {
        const file = yield* tempFile("demo.db")
        yield* Layer.build(durable.layerSqliteClient(file))
        const root = path.resolve(import.meta.dirname, "../..")
        const failure = (() => {
          try {
            execFileSync(path.join(root, "node_modules/.bin/node"), [
              path.join(root, "examples/durable/demo.ts"),
              "--db",
              file
            ], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 })
            return undefined
          } catch (error) {
            return error as { status: number; stdout: string; stderr: string }
          }
        })()
        assert.isDefined(failure)
        assert.strictEqual(failure!.status, 1)
        assert.strictEqual(failure!.stdout, "")
        assert.include(failure!.stderr, `durable-demo: durable store ${file} is locked`)
      }), 60_000)
  })
})
