import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Logger } from "effect"
import * as aio from "effect-asyncio"
import * as fc from "fast-check"
import { between, type Work, work } from "./arbitraries.ts"
import {
  checkProperty,
  drive,
  endingOf,
  expectedEnding,
  failuresOf,
  propertyTimeout,
  Recorder,
  sameExit,
  showExit,
  type Snapshot
} from "./harness.ts"

/**
 * `shield(work)` under a caller that gives up at `limit` (by `waitFor`, or by
 * being interrupted from outside): the caller ends at once, the work goes on
 * undisturbed to its own end, and if it then fails, the failure is logged,
 * not lost. (The work always ends: a shielded `never` would outlive the test.)
 */
interface Scenario {
  readonly work: Work
  readonly limit: number
  readonly how: "waitFor" | "interrupt"
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  work: work({ outcome: fc.constantFrom("succeed" as const, "fail" as const, "die" as const, "interrupt" as const) }),
  limit: between(0.5, 30),
  how: fc.constantFrom("waitFor" as const, "interrupt" as const)
})

const START = 1

const property = (s: Scenario) =>
  Effect.gen(function*() {
    const recorder = yield* Recorder.make
    const logged: Array<{ readonly message: unknown; readonly cause: Cause.Cause<unknown>; readonly at: number }> = []
    const capture = Logger.make(({ cause, message }) => {
      logged.push({ message, cause, at: recorder.now })
    })
    let snapshot: Snapshot | undefined
    const host = Effect.gen(function*() {
      const shielded = aio.shield(recorder.work(0, s.work))
      const call = s.how === "waitFor" ? aio.waitFor(shielded, s.limit) : shielded
      const caller = yield* Effect.forkChild(recorder.measured(call, (snap) => (snapshot = snap)))
      if (s.how === "interrupt") yield* Effect.forkChild(Effect.andThen(Effect.sleep(s.limit), Fiber.interrupt(caller)))
      return yield* Effect.never
    }).pipe(Effect.provideService(Logger.CurrentLoggers, new Set([capture])))
    yield* drive(host, { horizon: 200 })
    assert.isDefined(snapshot, "the caller ended")
    const snap = snapshot!

    const ends = START + s.work.delay + s.work.cleanup
    const givesUp = START + s.limit
    const record = recorder.get(0)
    // The work is never disturbed: it ends as it would alone.
    assert.strictEqual(endingOf(recorder, 0), expectedEnding[s.work.outcome], "the shielded work was left alone")
    assert.strictEqual(record.endedAt, ends, "the shielded work ends on its own time")
    const context = `caller ${showExit(snap.exit)} at ${snap.at}, work ends at ${ends}, caller gives up at ${givesUp}`
    if (ends < givesUp) {
      assert.strictEqual(snap.at, ends, `the caller waits for the work (${context})`)
      assert.isTrue(sameExit(snap.exit, record.finalExit!), `the caller gets what the work did (${context})`)
      assert.deepStrictEqual(logged, [], "nothing to log")
      return
    }
    // The caller gives up at once, without waiting for the work.
    assert.strictEqual(snap.at, givesUp, `the caller ends at once (${context})`)
    if (s.how === "waitFor") {
      assert.isTrue(Exit.isFailure(snap.exit) && failuresOf(snap.exit.cause).some(Cause.isTimeoutError), context)
    } else {
      assert.isTrue(Exit.isFailure(snap.exit) && Cause.hasInterruptsOnly(snap.exit.cause), context)
    }
    // A failure of the abandoned work is logged when it happens, not lost.
    const failed = s.work.outcome === "fail" || s.work.outcome === "die"
    assert.strictEqual(logged.length, failed ? 1 : 0, `one log entry for a failure after the caller left (${context})`)
    if (failed) {
      assert.strictEqual(logged[0].at, ends)
      const error = s.work.outcome === "fail" ? recorder.errorOf(0) : recorder.defectOf(0)
      const inLog = [
        ...failuresOf(logged[0].cause),
        ...(Array.isArray(logged[0].message) ? logged[0].message : [logged[0].message])
      ]
        .flatMap((u) => (Cause.isCause(u) ? failuresOf(u) : [u]))
      assert.include(inLog, error, "the log entry carries the failure")
    }
  })

describe("shield (properties)", () => {
  it.effect(
    "the caller ends at once when it gives up; the work goes on undisturbed, and a later failure is logged",
    () => checkProperty(scenario, property),
    propertyTimeout
  )
})
