/**
 * The engines' own failures, before any workflow runs: a Postgres that
 * cannot be reached fails the layer with a typed `DurableStoreError` (its
 * pool connects on the first query, and the cluster's storage dies when that
 * query fails, so the layer connects first).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as durable from "effect-asyncio/durable"

// Nothing listens on port 1: the connection is refused at once.
const url = "postgres://app:secret@127.0.0.1:1/app"

describe("durable engines", () => {
  for (
    const [label, options] of [
      ["a runner", { url, runnerAddress: { host: "127.0.0.1", port: 34431 } }],
      ["a client only", { url }]
    ] as const
  ) {
    it.effect(`layerPostgres, ${label}: an unreachable database is a DurableStoreError naming the URL without its password`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Layer.build(durable.layerPostgres(options)))
        assert.instanceOf(error, durable.DurableStoreError)
        assert.strictEqual(error.reason, "unavailable")
        assert.strictEqual(error.store, "postgres://app:***@127.0.0.1:1/app")
        assert.strictEqual(error.message, "durable store postgres://app:***@127.0.0.1:1/app cannot be reached")
      }))
  }
})
