/**
 * Fixtures of the durable tests on the memory engine: a workflow whose body
 * the test gives, run under `TestClock`, with a probe that counts runs
 * (first run and replays) and logs what the activities do.
 */
import { Cause, Effect, Exit, type Fiber, Layer, Schema, type Scope } from "effect"
import * as durable from "effect-asyncio/durable"
import { TestClock } from "effect/testing"
import { Workflow, type WorkflowEngine } from "effect/workflow"
import { yieldTurns } from "../utils/fixtures.ts"

/** What happened in a workflow, across its runs. */
export interface Probe {
  /** Runs of the workflow body: 1 for a run that never suspended. */
  runs: number
  /** `"NAME started"`, `"NAME done"`, `"NAME interrupted"`, in order. */
  readonly log: Array<string>
}

export const makeProbe = (): Probe => ({ runs: 0, log: [] })

/** How many times the body of activity `name` started. */
export const starts = (probe: Probe, name: string): number =>
  probe.log.filter((line) => line === `${name} started`).length

/**
 * An activity named `name` that takes `millis` on the clock and then
 * succeeds with `value`, or fails with `failure` when one is given.
 */
export const act = <A extends Schema.Json>(
  probe: Probe,
  name: string,
  millis: number,
  value: A,
  failure?: string
): Effect.Effect<A, string, WorkflowEngine.WorkflowEngine | WorkflowEngine.WorkflowInstance> =>
  durable.activity(
    Effect.gen(function*() {
      probe.log.push(`${name} started`)
      yield* Effect.sleep(millis)
      probe.log.push(`${name} done`)
      if (failure !== undefined) return yield* Effect.fail(failure)
      return value
    }).pipe(Effect.onInterrupt(() => Effect.sync(() => probe.log.push(`${name} interrupted`)))),
    { name, error: Schema.String, success: Schema.Any as unknown as Schema.Codec<A> }
  )

const Test = Workflow.make("Test", {
  payload: { id: Schema.String },
  success: Schema.Any,
  error: Schema.Any,
  idempotencyKey: ({ id }) => id
})

/**
 * Starts a workflow with `body` on a fresh memory engine, and returns the
 * fiber awaiting its result. The engine lives in the test's scope.
 */
export const startWorkflow = <A, E>(
  probe: Probe,
  body: Effect.Effect<A, E, WorkflowEngine.WorkflowEngine | WorkflowEngine.WorkflowInstance>
): Effect.Effect<Fiber.Fiber<A, E>, never, Scope.Scope> =>
  Effect.gen(function*() {
    const live = Test.toLayer(() =>
      Effect.suspend(() => {
        probe.runs++
        return body
      })
    ).pipe(Layer.provideMerge(durable.layerMemory))
    const context = yield* Layer.build(live)
    const fiber = yield* Test.execute({ id: "test" }).pipe(Effect.provideContext(context), Effect.forkChild)
    // `execute` hashes the payload into the execution id with WebCrypto, on
    // the event loop's own time: wait for the run to begin.
    for (let waited = 0; probe.runs === 0 && fiber.pollUnsafe() === undefined; waited++) {
      if (waited === 10_000) return yield* Effect.die(new Error("the workflow did not start within 10 s"))
      yield* TestClock.withLive(Effect.sleep(1))
    }
    yield* settle
    return fiber as Fiber.Fiber<A, E>
  })

/**
 * Lets every fiber that can run do so: a workflow's runs on the memory engine
 * go through more forks than a primitive's, so 100 turns, not the 20 of the
 * primitives' `settle` (10 are already too few for one of these tests).
 */
export const settle: Effect.Effect<void> = yieldTurns(100)

/** Moves the `TestClock` by `millis`, letting everything due run. */
export const advance = (millis: number): Effect.Effect<void> => Effect.andThen(TestClock.adjust(millis), settle)

/** The value of a finished fiber, or a failure naming how it ended. */
export const resultOf = <A, E>(fiber: Fiber.Fiber<A, E>): Exit.Exit<A, E> | undefined => fiber.pollUnsafe()

/** The typed failure of an exit, for assertions. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E> | undefined): E | undefined =>
  exit !== undefined && Exit.isFailure(exit)
    ? Cause.findErrorOption(exit.cause).pipe((o) => o._tag === "Some" ? o.value : undefined)
    : undefined

/** The defect of an exit, for assertions. */
export const defectOf = (exit: Exit.Exit<unknown, unknown> | undefined): unknown =>
  exit !== undefined && Exit.isFailure(exit) ? exit.cause.reasons.find(Cause.isDieReason)?.defect : undefined
