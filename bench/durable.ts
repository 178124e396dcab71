/**
 * The cost of a durable gather of 100 activities, on SQLite and on Postgres,
 * against the same 100 activities run with Effect's own `Effect.all` inside a
 * workflow (no verb of ours), measured side by side in one process.
 *
 *   npm run bench:durable                    # SQLite, and Postgres on a throwaway server when initdb is found
 *   npm run bench:durable -- --rounds 10 --url postgres://user@host:5432/db
 *
 * Each round runs, in this order: ours, Effect's, ours again, Effect's again
 * (each a fresh workflow execution), so the two copies of each give the A/A
 * noise of the run. Writes bench/results/durable.json.
 */
import { Duration, Effect, Layer, Schema } from "effect"
import * as durable from "effect-asyncio/durable"
import { Activity, Workflow, type WorkflowEngine } from "effect/workflow"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parseArgs } from "node:util"
import { findBinaries, freePort, type Postgres, serverUser, startPostgres } from "../test/durable/fixtures/postgres.ts"

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "8" },
    url: { type: "string" },
    size: { type: "string", default: "100" }
  }
})
const rounds = Number(values.rounds)
const size = Number(values.size)

const Fanout = Workflow.make("Fanout", {
  payload: { run: Schema.String },
  success: Schema.Array(Schema.Number),
  idempotencyKey: ({ run }) => run
})

const ours = () => durable.gather(Array.from({ length: size }, (_, i) => durable.activity(Effect.succeed(i))))
const effects = () =>
  Effect.all(
    Array.from({ length: size }, (_, i) =>
      Activity.make({ name: `a${i}`, success: Schema.Number, execute: Effect.succeed(i) })),
    { concurrency: "unbounded" }
  )

const FanoutLive = Fanout.toLayer(({ run }) => run.startsWith("ours") ? ours() : effects())

const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const measure = (engineName: string, engine: Layer.Layer<WorkflowEngine.WorkflowEngine, unknown>) =>
  Effect.gen(function*() {
    const times: Record<"ours" | "ours (A/A copy)" | "Effect.all" | "Effect.all (A/A copy)", Array<number>> = {
      ours: [],
      "ours (A/A copy)": [],
      "Effect.all": [],
      "Effect.all (A/A copy)": []
    }
    const once = (variant: keyof typeof times, run: string) =>
      Effect.gen(function*() {
        const start = performance.now()
        const result = yield* Fanout.execute({ run })
        const millis = performance.now() - start
        if (result.length !== size || result[size - 1] !== size - 1) throw new Error(`${variant}: wrong result`)
        return millis
      })
    // Warm-up, checked but not timed.
    yield* once("ours", "ours-warmup")
    yield* once("Effect.all", "effect-warmup")
    for (let round = 0; round < rounds; round++) {
      times.ours.push(yield* once("ours", `ours-${round}-a`))
      times["Effect.all"].push(yield* once("Effect.all", `effect-${round}-a`))
      times["ours (A/A copy)"].push(yield* once("ours", `ours-${round}-b`))
      times["Effect.all (A/A copy)"].push(yield* once("Effect.all", `effect-${round}-b`))
    }
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<
      keyof typeof times,
      number
    >
    return {
      engine: engineName,
      medianMillis: medians,
      perActivityMillis: medians.ours / size,
      ratioOursToEffect: medians.ours / medians["Effect.all"],
      aaNoise: {
        ours: Math.abs(medians.ours / medians["ours (A/A copy)"] - 1),
        effect: Math.abs(medians["Effect.all"] / medians["Effect.all (A/A copy)"] - 1)
      },
      samples: times
    }
  }).pipe(Effect.provide(FanoutLive.pipe(Layer.provideMerge(engine))))

/**
 * Timer precision and its cost, on SQLite, for a few poll intervals: how
 * late a 1-second timer fires when it has suspended its run (the engine finds
 * it on its next poll), and the CPU an idle engine spends polling.
 */
const Nap = Workflow.make("Nap", { payload: { run: Schema.String }, idempotencyKey: ({ run }) => run })
const NapLive = Nap.toLayer(() =>
  Effect.provideService(durable.sleep("1 second"), durable.InMemoryThreshold, Duration.zero)
)

const precision = (pollMillis: number, file: string) =>
  Effect.gen(function*() {
    const late: Array<number> = []
    for (let i = 0; i < 3; i++) {
      const start = performance.now()
      yield* Nap.execute({ run: `nap-${pollMillis}-${i}` })
      late.push(performance.now() - start - 1000)
    }
    const idleSeconds = 5
    const before = process.cpuUsage()
    yield* Effect.sleep(Duration.seconds(idleSeconds))
    const used = process.cpuUsage(before)
    return {
      pollMillis,
      suspendedTimerLateMillis: median(late),
      idleCpuPercent: (100 * (used.user + used.system)) / 1e6 / idleSeconds
    }
  }).pipe(
    Effect.provide(NapLive.pipe(Layer.provideMerge(durable.layerSqlite({ filename: file, pollInterval: pollMillis }))))
  )

const main = async () => {
  const results: Array<unknown> = []
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "durable-bench-"))
  let postgres: Postgres | undefined
  try {
    results.push(
      await Effect.runPromise(measure("sqlite", durable.layerSqlite({ filename: path.join(dir, "bench.db") })))
    )
    let url = values.url
    if (url === undefined) {
      const binaries = findBinaries()
      const user = serverUser()
      if ("dir" in binaries && "user" in user) {
        postgres = await startPostgres(binaries.dir, user.user)
        url = postgres.url
      } else {
        console.log(
          `postgres skipped: ${"missing" in binaries ? binaries.missing : (user as { missing: string }).missing}`
        )
      }
    }
    if (url !== undefined) {
      results.push(
        await Effect.runPromise(
          measure(
            "postgres",
            durable.layerPostgres({ url, runnerAddress: { host: "127.0.0.1", port: await freePort() } })
          )
        )
      )
    }
  } finally {
    postgres?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const timers: Array<unknown> = []
  if (process.argv.includes("--precision") || values.url === undefined) {
    const timerDir = fs.mkdtempSync(path.join(os.tmpdir(), "durable-bench-"))
    try {
      for (const poll of [20, 100, 500]) {
        timers.push(await Effect.runPromise(precision(poll, path.join(timerDir, `timers-${poll}.db`))))
      }
    } finally {
      fs.rmSync(timerDir, { recursive: true, force: true })
    }
  }
  const report = {
    command: `npm run bench:durable -- --rounds ${rounds} --size ${size}`,
    node: process.version,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average ${
      os.loadavg().map((x) => x.toFixed(1)).join(" ")
    }`,
    date: new Date().toISOString(),
    results,
    timers
  }
  fs.mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true })
  fs.writeFileSync(path.join(import.meta.dirname, "results", "durable.json"), JSON.stringify(report, null, 2) + "\n")
  for (const result of results as Array<any>) {
    console.log(
      `${result.engine}: durable gather of ${size} activities ${result.medianMillis.ours.toFixed(0)} ms ` +
        `(${result.perActivityMillis.toFixed(2)} ms per activity); Effect.all of the same activities ` +
        `${result.medianMillis["Effect.all"].toFixed(0)} ms; ratio ${result.ratioOursToEffect.toFixed(2)}; ` +
        `A/A noise ${(100 * result.aaNoise.ours).toFixed(0)}% / ${(100 * result.aaNoise.effect).toFixed(0)}%`
    )
  }
  for (const timer of timers as Array<any>) {
    console.log(
      `sqlite, poll every ${timer.pollMillis} ms: a suspended 1 s timer fires ${
        timer.suspendedTimerLateMillis.toFixed(0)
      } ms late; ` +
        `an idle engine uses ${timer.idleCpuPercent.toFixed(1)}% of a core`
    )
  }
  process.exit(0)
}

main()
