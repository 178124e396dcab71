/**
 * Bad input to the durable verbs: each row dies with
 * `Cause.IllegalArgumentError` naming the function, the argument and the
 * rule, before any activity starts.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Stream } from "effect"
import * as durable from "effect-asyncio/durable"
import { act, defectOf, makeProbe, type Probe, startWorkflow } from "./utils.ts"

type Row = readonly [label: string, make: (probe: Probe) => Effect.Effect<unknown, unknown, any>, message: RegExp]

const step = (probe: Probe) => act(probe, "step", 100, 1)

const insideAWorkflow: ReadonlyArray<Row> = [
  ["sleep: NaN", () => durable.sleep(NaN), /^sleep: duration must be a duration that is not NaN, got NaN$/],
  ["sleep: negative", () => durable.sleep(-1), /^sleep: duration must not be negative, got -1$/],
  [
    "sleep: missing",
    () => durable.sleep(undefined as never),
    /^sleep: duration must be a duration that is not NaN, got undefined$/
  ],
  [
    "waitFor: NaN",
    (p) => durable.waitFor(step(p), NaN),
    /^waitFor: timeout must be a finite duration or null, got NaN$/
  ],
  [
    "waitFor: negative",
    (p) => durable.waitFor(step(p), "-5 millis"),
    /^waitFor: timeout must not be negative, got "-5 millis"$/
  ],
  ["waitFor: not an effect", () => durable.waitFor(10)(42 as never), /^waitFor: step must be an Effect, got 42$/],
  ["timeout: negative", (p) => durable.timeout(-1, step(p)), /^timeout: delay must not be negative, got -1$/],
  ["wait: empty", () => durable.wait([]), /^wait: steps must not be empty$/],
  [
    "wait: returnWhen",
    (p) => durable.wait([step(p)], { returnWhen: "SOMETIMES" as never }),
    /^wait: returnWhen must be one of ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION or quorum\(k\), got "SOMETIMES"$/
  ],
  [
    "wait: not a quorum",
    (p) => durable.wait([step(p)], { returnWhen: { _tag: "Majority" } as never }),
    /^wait: returnWhen must be one of ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION or quorum\(k\), got an object$/
  ],
  [
    "wait: quorum(0)",
    (p) => durable.wait([step(p)], { returnWhen: durable.quorum(0) }),
    /^wait: quorum\(k\) needs a whole number k from 1 to the number of steps \(1\), got 0$/
  ],
  [
    "wait: quorum(1.5)",
    (p) => durable.wait([step(p), Effect.void], { returnWhen: durable.quorum(1.5) }),
    /^wait: quorum\(k\) needs a whole number k from 1 to the number of steps \(2\), got 1.5$/
  ],
  [
    "wait: quorum above the steps",
    (p) => durable.wait([step(p), Effect.void], { returnWhen: durable.quorum(3) }),
    /^wait: quorum\(k\) needs a whole number k from 1 to the number of steps \(2\), got 3$/
  ],
  [
    "wait: quorum of a string",
    (p) => durable.wait([step(p)], { returnWhen: durable.quorum("1" as never) }),
    /^wait: quorum\(k\) needs a whole number k from 1 to the number of steps \(1\), got "1"$/
  ],
  ["wait: timeout", (p) => durable.wait([step(p)], { timeout: -1 }), /^wait: timeout must not be negative, got -1$/],
  ["wait: not iterable", () => durable.wait(42 as never), /^wait: steps must be an iterable of effects, got 42$/],
  [
    "gather: concurrency",
    (p) => durable.gather([step(p)], { concurrency: 0 }),
    /^gather: concurrency must be a whole number of at least 1 or "unbounded", got 0$/
  ],
  [
    "gather: not a collection",
    () => durable.gather(42 as never),
    /^gather: steps must be an iterable or a record of effects, got 42$/
  ],
  [
    "gather: not effects",
    () => durable.gather([1] as never),
    /^gather: effects must contain only effects, got 1 at index 0$/
  ],
  [
    "gather: empty name",
    (p) => durable.gather([step(p)], { name: "" }),
    /^gather: name must be a non-empty string, got ""$/
  ],
  [
    "asCompleted: timeout",
    (p) => Stream.runDrain(durable.asCompleted([step(p)], { timeout: NaN })),
    /^asCompleted: timeout must be a finite duration or null, got NaN$/
  ],
  [
    "asCompleted: concurrency",
    (p) => Stream.runDrain(durable.asCompleted([step(p)], { concurrency: 1.5 })),
    /^asCompleted: concurrency must be a whole number of at least 1 or "unbounded", got 1.5$/
  ],
  [
    "activity: not an effect",
    () => durable.activity(42 as never, {} as never),
    /^activity: effect must be an Effect, got 42$/
  ],
  [
    "activity: name",
    () => durable.activity(Effect.succeed(1), { name: 7 as never }),
    /^activity: name must be a non-empty string, got 7$/
  ],
  [
    "activity: schema",
    () => durable.activity(Effect.succeed(1), { success: "json" as never }),
    /^activity: success must be a Schema, got "json"$/
  ],
  [
    "a verb name used twice",
    () =>
      Effect.andThen(
        durable.gather([Effect.void], { name: "twice" }),
        durable.gather([Effect.void], { name: "twice" })
      ),
    /^gather: name "twice" is already used in this run of workflow "Test" \(by gather at misuse\.test\.ts:\d+:\d+\)/
  ]
]

describe("durable misuse", () => {
  for (const [label, make, message] of insideAWorkflow) {
    it.effect(`${label}: dies with a clear message, before any step starts`, () =>
      Effect.gen(function*() {
        const probe = makeProbe()
        const fiber = yield* startWorkflow(probe, make(probe) as Effect.Effect<unknown, unknown, never>)
        const defect = defectOf(fiber.pollUnsafe())
        assert.isTrue(Cause.isIllegalArgumentError(defect), `${label}: ${String(defect)}`)
        assert.match((defect as Error).message, message)
        assert.deepStrictEqual(probe.log, [])
      }))
  }

  it.effect("the other side of each boundary is accepted: zero and infinite durations, a concurrency of 1, quorums of 1 and of every step", () =>
    Effect.gen(function*() {
      const probe = makeProbe()
      const fiber = yield* startWorkflow(
        probe,
        Effect.gen(function*() {
          yield* durable.sleep(0)
          const bounded = yield* Effect.all([
            durable.waitFor(Effect.succeed("instant"), 0),
            durable.waitFor(Effect.succeed("unbounded"), Infinity),
            durable.timeout("Infinity", Effect.succeed("no limit"))
          ])
          const gathered = yield* durable.gather([Effect.succeed(1), Effect.succeed(2)], { concurrency: 1 })
          const waited = yield* durable.wait([Effect.succeed(3)], { timeout: 0 })
          const quorums = yield* Effect.all([
            durable.wait([Effect.succeed(5), Effect.fail("no")], { returnWhen: durable.quorum(1) }),
            durable.wait([Effect.succeed(6), Effect.succeed(7)], { returnWhen: durable.quorum(2) })
          ])
          const streamed = yield* Stream.runCollect(
            durable.asCompleted([Effect.succeed(4)], { timeout: null, concurrency: 1 })
          )
          return [
            ...bounded,
            ...gathered,
            waited.done.length + waited.pending.length,
            ...streamed,
            ...quorums.map(({ done }) => done.length)
          ]
        })
      )
      assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed(["instant", "unbounded", "no limit", 1, 2, 1, 4, 1, 2]))
    }))

  const outside: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, any>]> = [
    ["gather", durable.gather([Effect.void])],
    ["wait", durable.wait([Effect.void])],
    ["asCompleted", Stream.runDrain(durable.asCompleted([Effect.void]))],
    ["waitFor", durable.waitFor(Effect.void, 10)],
    ["timeout", durable.timeout(10, Effect.void)],
    ["sleep", durable.sleep(10)],
    ["activity", durable.activity(Effect.void)]
  ]
  for (const [fn, effect] of outside) {
    it.effect(`${fn} outside a workflow dies with a clear message`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(effect as Effect.Effect<unknown, unknown>)
        const defect = defectOf(exit)
        assert.isTrue(Cause.isIllegalArgumentError(defect), `${fn}: ${String(exit)}`)
        assert.strictEqual(
          (defect as Error).message,
          `${fn}: must run inside a workflow (in the handler given to Workflow.toLayer)`
        )
      }))
  }

  it.effect("engine options: an empty filename, a poll interval below 1 ms", () =>
    Effect.gen(function*() {
      const empty = yield* Effect.exit(Layer.build(durable.layerSqlite({ filename: "" })))
      assert.match((defectOf(empty) as Error).message, /^layerSqlite: filename must be a non-empty string, got ""$/)
      const poll = yield* Effect.exit(Layer.build(durable.layerSqlite({ filename: "/tmp/x.db", pollInterval: 0 })))
      assert.match(
        (defectOf(poll) as Error).message,
        /^layerSqlite: pollInterval must be a finite duration of at least 1 millisecond, got 0$/
      )
      const url = yield* Effect.exit(Layer.build(durable.layerPostgres({ url: "" })))
      assert.match((defectOf(url) as Error).message, /^layerPostgres: url must be a non-empty string, got ""$/)
      assert.isTrue(Exit.isFailure(url))
    }))
})
