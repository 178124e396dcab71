/**
 * The durable demo: runs the order workflow of `order.ts` to the end and
 * prints `workflow ID result: JSON`. Killed at any point (even SIGKILL) and
 * run again on the same database, it resumes: no activity that printed
 * `done` starts again, and the result is the same.
 *
 *   npm run durable-demo -- --db /tmp/orders.db               # SQLite (the default engine)
 *   npm run durable-demo -- --engine memory                   # in memory: nothing survives
 *   npm run durable-demo -- --engine postgres --url postgres://user:pass@host:5432/db
 *
 * Other options: `--order ID` (default `order-1`), `--poll MILLIS` (how often
 * the engine polls its store), and for Postgres `--runner-port PORT` (default
 * 34431) on `--runner-host HOST` (default 127.0.0.1).
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, References } from "effect"
import * as durable from "effect-asyncio/durable"
import type { WorkflowEngine } from "effect/workflow"
import { parseArgs } from "node:util"
import { Order, OrderLive } from "./order.ts"

const usage = `usage: npm run durable-demo -- [--engine sqlite] --db FILE
       npm run durable-demo -- --engine memory
       npm run durable-demo -- --engine postgres --url URL [--runner-host HOST] [--runner-port PORT]
options: --order ID, --poll MILLIS`

const fail = (message: string): never => {
  console.error(`${message}\n${usage}`)
  process.exit(2)
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        engine: { type: "string", default: "sqlite" },
        db: { type: "string" },
        url: { type: "string" },
        order: { type: "string", default: "order-1" },
        poll: { type: "string" },
        "runner-host": { type: "string", default: "127.0.0.1" },
        "runner-port": { type: "string", default: "34431" }
      }
    })
  } catch (error) {
    return fail(String((error as Error).message))
  }
})()

const pollInterval = values.poll === undefined ? undefined : Number(values.poll)

const engine = (): Layer.Layer<WorkflowEngine.WorkflowEngine, durable.DurableStoreError> => {
  switch (values.engine) {
    case "sqlite":
      return durable.layerSqlite({
        filename: values.db ?? fail("--db FILE is required for the sqlite engine"),
        pollInterval
      })
    case "memory":
      return durable.layerMemory
    case "postgres":
      return durable.layerPostgres({
        url: values.url ?? fail("--url URL is required for the postgres engine"),
        runnerAddress: { host: values["runner-host"], port: Number(values["runner-port"]) },
        pollInterval
      })
    default:
      return fail(`unknown engine ${JSON.stringify(values.engine)}`)
  }
}

const main = Effect.gen(function*() {
  const payload = { id: values.order }
  const executionId = yield* Order.executionId(payload)
  const result = yield* Order.execute(payload)
  yield* Console.log(`workflow ${executionId} result: ${JSON.stringify(result)}`)
}).pipe(
  Effect.provide(OrderLive.pipe(Layer.provideMerge(engine()))),
  // The engines' notices ("Listening on ...", "No healthy runners" while shutting
  // down) would mix with the demo's lines.
  Effect.provideService(References.MinimumLogLevel, "Error"),
  // A store it cannot use (locked by another process, not a database): say
  // which, and exit 1.
  Effect.catchTag("DurableStoreError", (error) =>
    Effect.sync(() => {
      console.error(`durable-demo: ${error.message}`)
      process.exitCode = 1
    }))
)

NodeRuntime.runMain(main)
