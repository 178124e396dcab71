/**
 * The published artifact, not just the source: packs the package with a plain
 * `npm pack` (whose `prepack` builds dist/ and writes the published
 * package.json, and whose `postpack` puts the repository's back), inspects the
 * tarball, installs it into a fresh project in a temporary directory, then
 * type-checks and runs a small program there with plain `node` (no tsx, no
 * vitest, no export conditions).
 *
 * The pack runs in a copy of the repository, so that the package.json it
 * rewrites for a few seconds, and the dist/ it rebuilds, are never seen by the
 * tests running beside it.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
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

const phase = (i: number) => Effect.as(Effect.sleep(30 - 10 * i), "phase " + i)
const main = Effect.gen(function*() {
  const gathered: ReadonlyArray<string> = yield* aio.gather([phase(0), phase(1)])
  const order = yield* Stream.runCollect(aio.asCompleted([phase(0), phase(1), phase(2)]))
  const timedOut = yield* Effect.flip(aio.waitFor(Effect.never, 10))
  const group = yield* Effect.flip(aio.taskGroup((tg) => tg.createTask(Effect.fail("boom"))))
  const errors: ReadonlyArray<string> = group.errors
  // The types come from the package's .d.ts, not \`any\`: this must not compile.
  // @ts-expect-error
  const wrong: number = yield* aio.gather([phase(0)])
  // A job on a worker thread: the built job runner (dist/internal/threadJob.js) loads in the thread.
  const sum = yield* aio.toThread(new URL("./jobs.mjs", import.meta.url), "add", 20, 22)
  console.log(JSON.stringify({ gathered, order, timedOut: timedOut._tag, errors, wrong: typeof wrong, sum }))
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

/** Files in a directory, recursively, as paths relative to it with "/" separators. */
const filesIn = (dir: string): Array<string> =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort()

// Not copied: what the repository ignores, and what packing makes anew.
const notCopied = new Set([".git", "node_modules", "dist", "tmp", "coverage", "scratch"])

let work: string
let tarball: string
let unpacked: string
let files: Array<string>
let manifestBefore: string
let manifestAfter: string

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-asyncio-pack-"))
  const repo = path.join(work, "repo")
  fs.cpSync(root, repo, {
    recursive: true,
    filter: (source) => !notCopied.has(path.relative(root, source).split(path.sep)[0]) && !source.endsWith(".tgz")
  })
  fs.symlinkSync(path.join(root, "node_modules"), path.join(repo, "node_modules"))
  manifestBefore = fs.readFileSync(path.join(repo, "package.json"), "utf8")
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], repo)) as Array<{
    readonly filename: string
  }>
  manifestAfter = fs.readFileSync(path.join(repo, "package.json"), "utf8")
  tarball = path.join(work, packed[0].filename)
  fs.mkdirSync(path.join(work, "unpacked"))
  run("tar", ["-xzf", tarball, "-C", path.join(work, "unpacked")], work)
  unpacked = path.join(work, "unpacked", "package")
  files = filesIn(unpacked)
}, 180_000)

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true })
})

const published = () => JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8"))

describe("package", () => {
  it("ships the build, its source, the license and the changelog, and nothing else of the repository", () => {
    for (
      const file of [
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "package.json",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/durable/index.js",
        "dist/durable/index.d.ts"
      ]
    ) {
      assert.include(files, file)
    }
    assert.include(files, "src/index.ts", "src/ is shipped: the source maps point into it")
    assert.match(
      fs.readFileSync(path.join(unpacked, "LICENSE"), "utf8"),
      /^MIT License\n\nCopyright \(c\) 2026 effect-asyncio contributors\n/
    )
    const outside = files.filter((file) => !/^(dist|src)\//.test(file) && !file.includes("/"))
    assert.sameMembers(outside, ["CHANGELOG.md", "LICENSE", "README.md", "package.json"])
    assert.deepStrictEqual(files.filter((file) => !/^(dist|src)\//.test(file) && file.includes("/")), [])
  })

  it("publishes a package.json whose exports point at dist/, without the repository's source-only entries", () => {
    const pkg = published()
    assert.deepStrictEqual(pkg.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" })
    assert.deepStrictEqual(pkg.exports["./durable"], {
      types: "./dist/durable/index.d.ts",
      default: "./dist/durable/index.js"
    })
    assert.strictEqual(pkg.main, "./dist/index.js")
    assert.strictEqual(pkg.types, "./dist/index.d.ts")
    const text = JSON.stringify(pkg.exports)
    assert.notInclude(text, "effect-asyncio-source")
    assert.notInclude(text, "./src/")
    // Every export target is in the tarball.
    const targets = (value: unknown): Array<string> =>
      typeof value === "string"
        ? [value]
        : value !== null && typeof value === "object"
        ? Object.values(value).flatMap(targets)
        : []
    for (const target of targets(pkg.exports)) assert.include(files, target.replace(/^\.\//, ""), target)
  })

  it("leaves the repository's package.json as it was after packing", () => {
    assert.strictEqual(manifestAfter, manifestBefore)
  })

  it("has no source map pointing to a file the tarball lacks", () => {
    const maps = files.filter((file) => file.endsWith(".map"))
    assert.isAbove(maps.length, 0)
    const missing = maps.flatMap((map) => {
      const { sources, sourceRoot } = JSON.parse(fs.readFileSync(path.join(unpacked, map), "utf8")) as {
        readonly sources: ReadonlyArray<string>
        readonly sourceRoot?: string
      }
      return sources
        .map((source) => path.posix.normalize(path.posix.join(path.posix.dirname(map), sourceRoot ?? "", source)))
        .filter((source) => !files.includes(source))
        .map((source) => `${map} -> ${source}`)
    })
    assert.deepStrictEqual(missing, [])
  })

  it("has no public .d.ts that imports from internal/", () => {
    const reaching = files
      .filter((file) => file.endsWith(".d.ts") && !file.includes("/internal/"))
      .flatMap((file) =>
        fs.readFileSync(path.join(unpacked, file), "utf8").split("\n")
          .filter((line) => /\bfrom\s+["'][./]*\/?internal\//.test(line) || /import\(["'][./]*\/?internal\//.test(line))
          .map((line) => `${file}: ${line.trim()}`)
      )
    assert.deepStrictEqual(reaching, [])
  })

  it("installs into a fresh project, type-checks there, and runs with plain node", () => {
    const project = path.join(work, "app")
    fs.mkdirSync(project)
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }))
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: []
        },
        include: ["main.ts"]
      })
    )
    // effect and @effect/platform-node come in as peer dependencies.
    run("npm", ["install", "--no-audit", "--no-fund", tarball], project)
    fs.writeFileSync(path.join(project, "main.ts"), program)
    fs.writeFileSync(path.join(project, "jobs.mjs"), "export const add = (a, b) => a + b\n")
    run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], project)
    const output = run(process.execPath, ["main.ts"], project).trim()
    assert.deepStrictEqual(JSON.parse(output), {
      gathered: ["phase 0", "phase 1"],
      order: ["phase 2", "phase 1", "phase 0"],
      timedOut: "TimeoutError",
      errors: ["boom"],
      wrong: "object",
      sum: 42
    })
    fs.writeFileSync(path.join(project, "durable.mjs"), durableProgram)
    assert.deepStrictEqual(JSON.parse(run(process.execPath, ["durable.mjs"], project).trim()), {
      result: [1, 2],
      postgres:
        "durable store postgres://app@127.0.0.1:1/app needs the @effect/sql-pg package (npm install @effect/sql-pg)"
    })
  }, 180_000)
})
