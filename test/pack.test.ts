/**
 * The published artifact, not just the source: builds the package, packs it
 * with `npm pack`, installs the tarball into a fresh project in a temporary
 * directory, and runs a small program there with plain `node` (no tsx, no
 * vitest, no export conditions).
 */
import { assert, describe, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const bin = path.join(root, "node_modules", ".bin")
// npm and node from the project's pinned runtime, whatever runs the tests.
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` }
const run = (command: string, args: ReadonlyArray<string>, cwd: string) =>
  execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

const program = `
import * as aio from "effect-asyncio"
import { Effect, Stream } from "effect"

const phase = (i) => Effect.as(Effect.sleep(30 - 10 * i), "phase " + i)
const main = Effect.gen(function*() {
  const gathered = yield* aio.gather([phase(0), phase(1)])
  const order = yield* Stream.runCollect(aio.asCompleted([phase(0), phase(1), phase(2)]))
  const timedOut = yield* Effect.flip(aio.waitFor(Effect.never, 10))
  const group = yield* Effect.flip(aio.taskGroup((tg) => tg.createTask(Effect.fail("boom"))))
  // A job on a worker thread: the built job runner (dist/internal/threadJob.js) loads in the thread.
  const sum = yield* aio.toThread(new URL("./jobs.mjs", import.meta.url), "add", 20, 22)
  console.log(JSON.stringify({ gathered, order, timedOut: timedOut._tag, errors: group.errors, sum }))
})
aio.run(main)
`

// The durable subpath: a workflow on the SQLite engine, and the Postgres
// engine without its optional peer dependency installed.
const durableProgram = `
import * as durable from "effect-asyncio/durable"
import { Effect, Layer, Schema } from "effect"
import { Workflow } from "effect/workflow"

const Order = Workflow.make("Order", { payload: { id: Schema.String }, success: Schema.Array(Schema.Number), idempotencyKey: (p) => p.id })
const OrderLive = Order.toLayer(() =>
  durable.gather([durable.activity(Effect.succeed(1)), durable.waitFor(durable.activity(Effect.succeed(2)), "1 second")])
)
const result = await Effect.runPromise(
  Order.execute({ id: "o-1" }).pipe(Effect.provide(OrderLive.pipe(Layer.provideMerge(durable.layerSqlite({ filename: "orders.db" })))))
)
const postgres = await Effect.runPromise(
  Effect.flip(Effect.scoped(Layer.build(durable.layerPostgres({ url: "postgres://app@127.0.0.1:1/app" }))))
)
console.log(JSON.stringify({ result, postgres: postgres.message }))
`

describe("package", () => {
  it("packs, installs into a fresh project and runs with plain node", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-asyncio-pack-"))
    try {
      // `prepack` builds dist/ first.
      const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root)) as Array<{
        readonly filename: string
        readonly files: ReadonlyArray<{ readonly path: string }>
      }>
      const files = packed[0].files.map((file) => file.path)
      assert.include(files, "dist/index.js")
      assert.include(files, "dist/index.d.ts")
      assert.include(files, "dist/durable/index.js")
      assert.include(files, "dist/durable/index.d.ts")
      assert.isFalse(files.some((file) => file.startsWith("src/") || file.startsWith("test/")), "only dist is published")

      const project = path.join(work, "app")
      fs.mkdirSync(project)
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }))
      // effect and @effect/platform-node come in as peer dependencies.
      run("npm", ["install", "--no-audit", "--no-fund", path.join(work, packed[0].filename)], project)
      fs.writeFileSync(path.join(project, "main.mjs"), program)
      fs.writeFileSync(path.join(project, "jobs.mjs"), "export const add = (a, b) => a + b\n")
      const output = run(process.execPath, ["main.mjs"], project).trim()
      assert.deepStrictEqual(JSON.parse(output), {
        gathered: ["phase 0", "phase 1"],
        order: ["phase 2", "phase 1", "phase 0"],
        timedOut: "TimeoutError",
        errors: ["boom"],
        sum: 42
      })
      fs.writeFileSync(path.join(project, "durable.mjs"), durableProgram)
      assert.deepStrictEqual(JSON.parse(run(process.execPath, ["durable.mjs"], project).trim()), {
        result: [1, 2],
        postgres: "durable store postgres://app@127.0.0.1:1/app needs the @effect/sql-pg package (npm install @effect/sql-pg)"
      })
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  }, 180_000)
})
