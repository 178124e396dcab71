/**
 * The machinery shared by the property tests: how a generated scenario is run
 * under a fresh `TestClock`, how its work is built and observed, and how the
 * fibers a primitive starts are counted.
 *
 * Replaying a failure: fast-check prints `{ seed: S, path: "P" }` with the
 * counterexample. Run the one failing file again with
 * `PROPERTY_SEED=S PROPERTY_PATH=P npx vitest run test/properties/<file>`
 * (npx puts the pinned Node 24 first on PATH). `PROPERTY_RUNS` sets the
 * number of runs per property (default 1,000); seeds are random otherwise.
 */
import { assert } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Metric, type Scope } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { FiberCounter, settle } from "../utils/fixtures.ts"
import type { Outcome, Work } from "./arbitraries.ts"

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, got ${raw}`)
  return value
}

/** Runs per property: `PROPERTY_RUNS`, 1,000 by default. */
export const numRuns = envInt("PROPERTY_RUNS", 1000)

/** Vitest's time limit for one property (all its runs). */
export const propertyTimeout = 300_000

const replay = (): fc.Parameters<unknown> => {
  const seed = process.env.PROPERTY_SEED
  const path = process.env.PROPERTY_PATH
  return {
    ...(seed === undefined || seed === "" ? {} : { seed: Number(seed) }),
    ...(path === undefined || path === "" ? {} : { path })
  }
}

/**
 * Checks `check` on `numRuns` generated scenarios, each run in its own
 * runtime with a fresh `TestClock` and `Scope`. On failure the effect dies
 * with fast-check's report (seed, path, shrunk counterexample and the
 * assertion that failed), which `it.effect` prints.
 */
export const checkProperty = <T>(
  arbitrary: fc.Arbitrary<T>,
  check: (scenario: T) => Effect.Effect<void, unknown, Scope.Scope>,
  runs: number = numRuns
): Effect.Effect<void> =>
  Effect.promise(() =>
    fc.assert(
      fc.asyncProperty(arbitrary, (scenario) =>
        Effect.runPromise(
          Effect.gen(function*() {
            // The first sleep under a TestClock forks a fiber that warns about
            // a clock nobody moves; moving it once now disables the warning,
            // so that fiber never shows up in the fiber counts.
            yield* TestClock.adjust(0)
            yield* check(scenario)
          }).pipe(Effect.scoped, Effect.provide(TestClock.layer()))
        )),
      { numRuns: runs, ...replay() }
    )
  )

// ---------------------------------------------------------------------------
// Recording work

/** The typed failure of a piece of work; compared by identity. */
export class WorkError {
  readonly _tag = "WorkError"
  readonly id: number
  constructor(id: number) {
    this.id = id
  }
}

/** The defect of a piece of work; compared by identity. */
export class WorkDefect {
  readonly _tag = "WorkDefect"
  readonly id: number
  constructor(id: number) {
    this.id = id
  }
}

/** The defect of a finalizer that fails; compared by identity. */
export class CleanupDefect {
  readonly _tag = "CleanupDefect"
  readonly id: number
  constructor(id: number) {
    this.id = id
  }
}

export interface Record {
  readonly id: number
  readonly startedAt: number
  readonly startSeq: number
  /** When the work itself ended, before its cleanup. */
  settledAt: number | undefined
  endedAt: number | undefined
  endSeq: number | undefined
  exit: Exit.Exit<unknown, unknown> | undefined
  /** The exit as its callers see it: with what its finalizer raised. */
  finalExit: Exit.Exit<unknown, unknown> | undefined
  /** Times the finalizer ran (must end at exactly 1). */
  finalized: number
  /** The work interrupted itself (rather than being interrupted). */
  selfInterrupted: boolean
}

/** What was running, and how many fibers were alive, when a primitive ended. */
export interface Snapshot {
  readonly at: number
  readonly seq: number
  readonly running: ReadonlyArray<number>
  /**
   * Fibers started under the primitive and still alive at the end of the
   * scheduler step in which it ended (read in a microtask). At the exact
   * instant it ends, the fiber whose callback ended it (a timer that fired,
   * say) is still on the stack, about to finish: that is no leak, but a
   * fiber still alive once the step is over is.
   */
  liveFibers: number
  /** The same count at the exact instant the primitive ended. */
  readonly liveFibersAtOnce: number
  readonly exit: Exit.Exit<unknown, unknown>
}

/**
 * The log of one run: when each piece of work started and ended (virtual
 * time, plus a sequence number that orders events at the same instant), how
 * it ended, and how many times its finalizer ran.
 */
export class Recorder {
  seq = 0
  readonly records = new Map<number, Record>()
  readonly running = new Set<number>()
  readonly errors = new Map<number, WorkError>()
  readonly defects = new Map<number, WorkDefect>()
  /** The finalizer defects raised, by work id. */
  readonly cleanupDefects = new Map<number, CleanupDefect>()
  /** Anomalies seen while running (a second start, a finalizer without a start). */
  readonly anomalies: Array<string> = []
  readonly counter = new FiberCounter()
  readonly clock: TestClock.TestClock

  constructor(clock: TestClock.TestClock) {
    this.clock = clock
  }

  static make: Effect.Effect<Recorder> = Effect.map(
    TestClock.testClockWith((clock) => Effect.succeed(clock)),
    (clock) => new Recorder(clock)
  )

  get now(): number {
    return this.clock.currentTimeMillisUnsafe()
  }

  errorOf(id: number): WorkError {
    let error = this.errors.get(id)
    if (error === undefined) this.errors.set(id, error = new WorkError(id))
    return error
  }

  defectOf(id: number): WorkDefect {
    let defect = this.defects.get(id)
    if (defect === undefined) this.defects.set(id, defect = new WorkDefect(id))
    return defect
  }

  start(id: number): void {
    if (this.records.has(id)) this.anomalies.push(`work ${id} started twice`)
    this.records.set(id, {
      id,
      startedAt: this.now,
      startSeq: ++this.seq,
      settledAt: undefined,
      endedAt: undefined,
      endSeq: undefined,
      exit: undefined,
      finalExit: undefined,
      finalized: 0,
      selfInterrupted: false
    })
    this.running.add(id)
  }

  end(id: number, exit: Exit.Exit<unknown, unknown>): void {
    const record = this.records.get(id)
    if (record === undefined) {
      this.anomalies.push(`work ${id} finalized without starting`)
      return
    }
    record.finalized++
    if (record.finalized > 1) this.anomalies.push(`work ${id} finalized ${record.finalized} times`)
    record.exit = exit
    record.endedAt = this.now
    record.endSeq = ++this.seq
    this.running.delete(id)
  }

  snapshot(exit: Exit.Exit<unknown, unknown>): Snapshot {
    const snapshot: Snapshot = {
      at: this.now,
      seq: ++this.seq,
      running: Array.from(this.running),
      liveFibers: this.counter.live,
      liveFibersAtOnce: this.counter.live,
      exit
    }
    queueMicrotask(() => {
      snapshot.liveFibers = this.counter.live
    })
    return snapshot
  }

  /**
   * Runs `effect` as work `id`: the start is recorded uninterruptibly, and the
   * end (after a cleanup of `cleanup` ms) in a finalizer, so a start always
   * has exactly one end.
   */
  track<A, E, R>(
    id: number,
    effect: Effect.Effect<A, E, R>,
    cleanup = 0,
    cleanupFails = false
  ): Effect.Effect<A, E, R> {
    return Effect.acquireUseRelease(
      Effect.sync(() => this.start(id)),
      () => effect,
      (_, exit) => {
        const record = this.records.get(id)
        if (record !== undefined) record.settledAt = this.now
        const end = Effect.sync(() => this.end(id, exit))
        const ended = cleanup > 0 ? Effect.andThen(Effect.sleep(cleanup), end) : end
        if (!cleanupFails) return ended
        return Effect.andThen(
          ended,
          Effect.suspend(() => {
            const defect = new CleanupDefect(id)
            this.cleanupDefects.set(id, defect)
            return Effect.die(defect)
          })
        )
      }
    ).pipe(Effect.onExit((exit) =>
      Effect.sync(() => {
        const record = this.records.get(id)
        if (record !== undefined) record.finalExit = exit
      })
    ))
  }

  /** The effect of one piece of generated work. */
  work(id: number, work: Work): Effect.Effect<number, WorkError> {
    const recorder = this
    return this.track(
      id,
      Effect.gen(function*() {
        for (let i = 0; i < work.yields; i++) yield* Effect.yieldNow
        if (work.delay > 0) yield* Effect.sleep(work.delay)
        return yield* recorder.outcome(id, work.outcome)
      }),
      work.cleanup,
      work.cleanupFails === true
    )
  }

  outcome(id: number, outcome: Outcome): Effect.Effect<number, WorkError> {
    switch (outcome) {
      case "succeed":
        return Effect.succeed(id)
      case "fail":
        return Effect.fail(this.errorOf(id))
      case "die":
        return Effect.die(this.defectOf(id))
      case "never":
        return Effect.never
      case "interrupt":
        return Effect.andThen(
          Effect.sync(() => {
            this.records.get(id)!.selfInterrupted = true
          }),
          Effect.interrupt
        )
    }
  }

  /**
   * Runs `effect` with its fibers counted and records a snapshot the moment
   * it ends (returns, fails or is interrupted).
   */
  measured<A, E, R>(effect: Effect.Effect<A, E, R>, onEnd: (snapshot: Snapshot) => void): Effect.Effect<A, E, R> {
    return effect.pipe(
      Effect.onExit((exit) => Effect.sync(() => onEnd(this.snapshot(exit)))),
      Effect.provideService(Metric.FiberRuntimeMetrics, this.counter)
    )
  }

  /** The record of work `id`, which must have started. */
  get(id: number): Record {
    const record = this.records.get(id)
    assert.isDefined(record, `work ${id} never started`)
    return record!
  }

  /** Whether work `id` ended interrupted by someone else. */
  interruptedFromOutside(id: number): boolean {
    const record = this.records.get(id)
    return record?.exit !== undefined && !record.selfInterrupted && Exit.isFailure(record.exit) &&
      Cause.hasInterruptsOnly(record.exit.cause)
  }
}

// ---------------------------------------------------------------------------
// Driving time

/**
 * Runs a scenario to its horizon: `program` runs in its own fiber from time
 * 1 ms (so that everything it does happens inside `TestClock` wakes, which
 * wait for all the work they trigger), `interruptAt` (if any) interrupts that
 * fiber from outside, and the clock then moves to `horizon`. A program still
 * running at the horizon is interrupted. Returns the fiber's exit.
 */
export const drive = <A, E>(
  program: Effect.Effect<A, E>,
  options: { readonly horizon: number; readonly interruptAt?: number | undefined }
): Effect.Effect<{ readonly exit: Exit.Exit<A, E>; readonly hung: boolean }> =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(Effect.andThen(Effect.sleep(1), program))
    if (options.interruptAt !== undefined) {
      yield* Effect.forkChild(Effect.andThen(Effect.sleep(options.interruptAt), Fiber.interrupt(fiber)))
    }
    yield* settle
    yield* TestClock.adjust(options.horizon)
    yield* settle
    const hung = fiber.pollUnsafe() === undefined
    if (hung) {
      // Its cleanup may take virtual time too.
      yield* Effect.forkChild(Fiber.interrupt(fiber))
      yield* settle
      yield* TestClock.adjust(options.horizon)
      yield* settle
    }
    assert.isDefined(fiber.pollUnsafe(), "the program ended after the final interruption")
    return { exit: fiber.pollUnsafe()!, hung }
  })

// ---------------------------------------------------------------------------
// Checks shared by every property

/** No work running and no fiber alive at the snapshot, every start finalized once. */
export const assertClean = (recorder: Recorder, snapshot: Snapshot, what: string): void => {
  assert.deepStrictEqual(snapshot.running, [], `${what}: work still running when it ended`)
  assert.strictEqual(snapshot.liveFibers, 0, `${what}: fibers it started still alive when it ended`)
  assertFinalizedOnce(recorder, what)
}

/** Every piece of work that started has run its finalizer exactly once. */
export const assertFinalizedOnce = (recorder: Recorder, what: string): void => {
  assert.deepStrictEqual(recorder.anomalies, [], `${what}: anomalies`)
  for (const record of recorder.records.values()) {
    if (record.endSeq === undefined) continue
    assert.strictEqual(record.finalized, 1, `${what}: work ${record.id} finalized ${record.finalized} times`)
  }
}

/** The typed errors and defects of a cause, in order. */
export const failuresOf = (cause: Cause.Cause<unknown>): Array<unknown> =>
  cause.reasons.flatMap((reason) =>
    Cause.isFailReason(reason) ? [reason.error] : Cause.isDieReason(reason) ? [reason.defect] : []
  )

/** A readable summary of an exit for assertion messages. */
export const showExit = (exit: Exit.Exit<unknown, unknown> | undefined): string => {
  if (exit === undefined) return "running"
  if (Exit.isSuccess(exit)) return `Success(${safeString(exit.value)})`
  return `Failure(${
    exit.cause.reasons.map((reason) =>
      Cause.isFailReason(reason)
        ? `Fail ${safeString(reason.error)}`
        : Cause.isDieReason(reason)
        ? `Die ${safeString(reason.defect)}`
        : "Interrupt"
    ).join(", ")
  })`
}

const safeString = (u: unknown): string => {
  if (u instanceof WorkError) return `WorkError#${u.id}`
  if (u instanceof WorkDefect) return `WorkDefect#${u.id}`
  if (typeof u === "object" && u !== null && "_tag" in u) return String(u._tag)
  try {
    return JSON.stringify(u) ?? String(u)
  } catch {
    return String(u)
  }
}

/** How a piece of work ended, from its recorded exit. */
export type Ending = "succeeded" | "failed" | "died" | "interrupted itself" | "interrupted" | "running"

export const endingOf = (recorder: Recorder, id: number): Ending => {
  const record = recorder.records.get(id)
  if (record?.exit === undefined) return "running"
  const exit = record.exit
  if (Exit.isSuccess(exit)) return "succeeded"
  if (exit.cause.reasons.some(Cause.isFailReason)) return "failed"
  if (exit.cause.reasons.some(Cause.isDieReason)) return "died"
  return record.selfInterrupted ? "interrupted itself" : "interrupted"
}

/** How work with each outcome ends when nothing stops it. */
export const expectedEnding: { readonly [O in Outcome]: Ending } = {
  succeed: "succeeded",
  fail: "failed",
  die: "died",
  interrupt: "interrupted itself",
  never: "running"
}

/** Same kind of exit with the same value, errors and defects (by identity). */
export const sameExit = (a: Exit.Exit<unknown, unknown>, b: Exit.Exit<unknown, unknown>): boolean => {
  if (Exit.isSuccess(a) || Exit.isSuccess(b)) return Exit.isSuccess(a) && Exit.isSuccess(b) && a.value === b.value
  const shape = (cause: Cause.Cause<unknown>) =>
    cause.reasons.map((reason) =>
      Cause.isFailReason(reason) ? reason.error : Cause.isDieReason(reason) ? reason.defect : "interrupt"
    )
  const [x, y] = [shape(a.cause), shape(b.cause)]
  return x.length === y.length && x.every((u, i) => u === y[i])
}

/**
 * Runs `effect` with the fibers it starts counted, and returns how many of
 * them were still alive once the scheduler step in which it ended was over
 * (see `Snapshot.liveFibers`), with how many it started.
 */
export const countingFibers = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<{ readonly result: A; readonly started: number; readonly live: number }, E, R> =>
  Effect.gen(function*() {
    const counter = new FiberCounter()
    let live = -1
    const result = yield* effect.pipe(
      Effect.onExit(() =>
        Effect.sync(() =>
          queueMicrotask(() => {
            live = counter.live
          })
        )
      ),
      Effect.provideService(Metric.FiberRuntimeMetrics, counter)
    )
    yield* Effect.yieldNow
    return { result, started: counter.started, live }
  })
