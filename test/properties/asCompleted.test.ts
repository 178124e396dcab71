import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Stream } from "effect"
import * as aio from "effect-asyncio"
import * as fc from "fast-check"
import {
  between,
  concurrency,
  interruptAt,
  isFailing,
  isSynchronous,
  schedule,
  type Work,
  work
} from "./arbitraries.ts"
import {
  assertClean,
  checkProperty,
  drive,
  endingOf,
  expectedEnding,
  failuresOf,
  propertyTimeout,
  Recorder,
  showExit,
  type Snapshot
} from "./harness.ts"

interface Scenario {
  readonly works: ReadonlyArray<Work>
  readonly concurrency: number | undefined
  /** `undefined`: no timeout; else milliseconds: 0 or less, or a `x.5` number. */
  readonly timeout: number | undefined
  /** The consumer stops after this many results (`Stream.take`). */
  readonly take: number | undefined
  readonly interruptAt: number | undefined
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  works: fc.array(work(), { maxLength: 8 }),
  concurrency,
  timeout: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.integer({ min: -2, max: 0 }), weight: 1 },
    { arbitrary: between(0.5, 40), weight: 3 }
  ),
  take: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  interruptAt: interruptAt(60)
})

const HORIZON = 400
const START = 1

type Kind = "succeeded" | "failed" | "timed out" | "interrupted" | "hung"

/**
 * What happens with a timeout of zero or less: the effects are launched in
 * order until the slots are full of work that must wait; only work that
 * needs no waiting finishes, then the stream times out.
 */
const immediateModel = (s: Scenario, limit: number) => {
  let emitted: Array<number> = []
  let running = 0
  let launched = 0
  // Launched work that fails at once but takes time to clean up: stopped
  // while cleaning up, its error is kept and fails the stream.
  const lateErrors: Array<number> = []
  let kind: Kind | undefined
  let failedWith: number | undefined
  for (let i = 0; i < s.works.length && kind === undefined; i++) {
    if (running >= limit) {
      kind = "timed out"
      break
    }
    launched++
    const w = s.works[i]
    if (w.yields === 0 && w.delay === 0 && (w.outcome === "fail" || w.outcome === "die") && w.cleanup > 0) {
      lateErrors.push(i)
    }
    if (!isSynchronous(w)) running++
    else if (isFailing(w)) {
      kind = "failed"
      failedWith = i
    } else {
      emitted.push(i)
    }
  }
  kind ??= running > 0 ? "timed out" : "succeeded"
  // The launcher does not wait for the consumer: a consumer that takes
  // fewer items ends the stream with success after them.
  if (s.take !== undefined && emitted.length >= s.take) {
    // (A typed failure queued after the taken items is never read, as with
    // any stream; a defect is never dropped, and neither are errors raised
    // while stopping the rest.)
    emitted = emitted.slice(0, s.take)
    if (failedWith === undefined || s.works[failedWith].outcome !== "die") {
      kind = "succeeded"
      failedWith = undefined
    }
  }
  if (kind === "succeeded" && lateErrors.length > 0) kind = "failed"
  return { emitted, launched, kind, failedWith, lateErrors }
}

const property = (s: Scenario) =>
  Effect.gen(function*() {
    const recorder = yield* Recorder.make
    const effects = s.works.map((w, i) => recorder.work(i, w))
    const emissions: Array<{ readonly id: number; readonly at: number }> = []
    let snapshot: Snapshot | undefined
    const stream = aio.asCompleted(effects, { concurrency: s.concurrency, timeout: s.timeout })
    const consumed = Stream.runForEach(
      s.take === undefined ? stream : Stream.take(stream, s.take),
      (id) => Effect.sync(() => emissions.push({ id, at: recorder.now }))
    )
    const { hung } = yield* drive(recorder.measured(consumed, (snap) => (snapshot = snap)), {
      horizon: HORIZON,
      interruptAt: s.interruptAt
    })
    assert.isDefined(snapshot, "the stream ended")
    const snap = snapshot!
    assertClean(recorder, snap, "asCompleted")

    // Each result exactly once, as its work ends: so in non-decreasing
    // completion time.
    const ids = emissions.map((e) => e.id)
    assert.strictEqual(new Set(ids).size, ids.length, "each result at most once")
    for (const { at, id } of emissions) {
      assert.strictEqual(endingOf(recorder, id), "succeeded", `emitted work ${id} succeeded`)
      assert.strictEqual(recorder.get(id).endedAt, at, `work ${id} is emitted as soon as it completes`)
    }
    for (let i = 1; i < emissions.length; i++) {
      assert.isAtLeast(recorder.get(ids[i]).endSeq!, recorder.get(ids[i - 1]).endSeq!, "in completion order")
    }
    if (s.take !== undefined) assert.isAtMost(ids.length, s.take, "no more than taken")

    const limit = s.concurrency ?? Infinity
    const lastEnd = Math.max(START, ...Array.from(recorder.records.values(), (r) => r.endedAt ?? -Infinity))
    const exit = snap.exit
    const context = `exit ${showExit(exit)} at ${snap.at}, emitted ${ids}`

    if (s.timeout !== undefined && s.timeout <= 0 && s.works.length > 0 && (s.interruptAt ?? Infinity) > START) {
      const model = immediateModel(s, limit)
      assert.deepStrictEqual(ids, model.emitted, `only work that needs no waiting finishes (${context})`)
      assert.strictEqual(recorder.records.size, model.launched, `launched until the slots were full (${context})`)
      assert.strictEqual(snap.at, lastEnd, "ends after the cleanup")
      if ((s.interruptAt ?? Infinity) < snap.at && kindOf(exit, false) === "interrupted") return
      assertKind(exit, model.kind, context)
      if (model.kind === "failed") {
        assertRaisedBy(recorder, exit, model.failedWith === undefined ? model.lateErrors : [model.failedWith], context)
      }
      if (Exit.isFailure(exit)) {
        for (const i of model.lateErrors) {
          const error = s.works[i].outcome === "fail" ? recorder.errorOf(i) : recorder.defectOf(i)
          assert.include(failuresOf(exit.cause), error, `the error of work ${i} is kept (${context})`)
        }
      }
      return
    }

    // The model: when each piece of work would end if nothing stopped the
    // stream, and what stops it first.
    const sim = schedule(s.works, s.concurrency, START)
    const failing = s.works.flatMap((w, i) => (isFailing(w) ? [i] : []))
    const firstFailure = Math.min(Infinity, ...failing.map((i) => sim.ends[i]))
    const successEnds = s.works.flatMap((w, i) => (w.outcome === "succeed" ? [sim.ends[i]] : [])).sort((a, b) => a - b)
    const taken = s.take === undefined ? Infinity : successEnds[s.take - 1] ?? Infinity
    const allEnd = s.works.length === 0 ? START : Math.max(...sim.ends)
    // (An empty input ends at once, whatever the timeout.)
    const timesOut = s.timeout === undefined || s.works.length === 0 ? Infinity : START + s.timeout
    const outside = s.interruptAt ?? Infinity
    const stopAt = Math.min(firstFailure, taken, allEnd, timesOut, outside, HORIZON)
    // Work that had failed but was still cleaning up when the stream stopped
    // fails the stream even when the consumer stopped early: its error is
    // not dropped (a tie at the stopping instant may go either way).
    const lateErrors = (strict: boolean) =>
      s.works.flatMap((w, i) =>
        (w.outcome === "fail" || w.outcome === "die") && sim.ends[i] > stopAt &&
          (strict ? sim.outcomeAt[i] < stopAt : sim.outcomeAt[i] <= stopAt)
          ? [i]
          : []
      )
    const mustRaise = lateErrors(true)
    const mayRaise = lateErrors(false)
    const kinds = new Set<Kind>()
    if (stopAt === outside) kinds.add("interrupted")
    if (stopAt === timesOut) kinds.add("timed out")
    if (stopAt === firstFailure) {
      kinds.add("failed")
      // A failure by self-interruption ends the stream interrupted.
      if (failing.some((i) => sim.ends[i] === stopAt && s.works[i].outcome === "interrupt")) kinds.add("interrupted")
    }
    // A defect at the very instant the consumer has taken enough may be
    // queued first: it is never dropped.
    const diesAtStop = s.works.flatMap((w, i) => (w.outcome === "die" && sim.ends[i] === stopAt ? [i] : []))
    if (stopAt === taken || stopAt === allEnd) {
      if (mustRaise.length === 0) kinds.add("succeeded")
      if (mayRaise.length > 0 || diesAtStop.length > 0) kinds.add("failed")
    }
    if (stopAt === HORIZON) kinds.add("hung")
    // An interruption from outside may also come while the stream waits for
    // the cleanup of the work it stopped.
    if (outside < snap.at) kinds.add("interrupted")
    // An exit can show more than one way of ending (interrupted from outside
    // while keeping an error raised before): one of them must be expected.
    const shown = kindsOf(exit, hung)
    const kind = shown.find((k) => kinds.has(k)) ?? shown[0]
    assert.isTrue(kinds.has(kind), `ends ${shown}, expected one of ${Array.from(kinds)} (${context})`)
    // A failure that stopped the stream stays in its cause, even when the
    // stream is then interrupted while it waits for the others' cleanup.
    const stoppedByFailure = firstFailure < Math.min(taken, timesOut, outside, HORIZON)
    if (kind === "failed" || stoppedByFailure) {
      assertRaisedBy(recorder, exit, [
        ...failing.filter((i) => sim.ends[i] === stopAt),
        ...mayRaise,
        ...diesAtStop
      ], context)
    }
    if (Exit.isFailure(exit) && kind !== "hung") {
      const raised = failuresOf(exit.cause)
      for (const i of mustRaise) {
        const error = s.works[i].outcome === "fail" ? recorder.errorOf(i) : recorder.defectOf(i)
        assert.include(
          raised,
          error,
          `the error of work ${i}, still cleaning up when the stream stopped, is kept (${context})`
        )
      }
    }
    assert.strictEqual(snap.at, Math.max(stopAt, lastEnd), `ends once the interrupted work is cleaned up (${context})`)

    // Everything that completed before the stream stopped was emitted
    // (unless the consumer had taken enough); nothing after.
    for (let i = 0; i < s.works.length; i++) {
      if (s.works[i].outcome !== "succeed") continue
      if (sim.ends[i] < stopAt) assert.include(ids, i, `work ${i} completed in time (${context})`)
      if (sim.ends[i] > stopAt) assert.notInclude(ids, i, `work ${i} completed too late (${context})`)
    }
    // The rest was stopped: work that had not reached its outcome was interrupted.
    for (let i = 0; i < s.works.length; i++) {
      const record = recorder.records.get(i)
      if (sim.starts[i] > stopAt) assert.isUndefined(record, `work ${i} never started (${context})`)
      if (sim.outcomeAt[i] < stopAt) {
        assert.strictEqual(endingOf(recorder, i), expectedEnding[s.works[i].outcome], `work ${i} (${context})`)
      } else if (sim.outcomeAt[i] > stopAt && record !== undefined && kind !== "hung") {
        assert.strictEqual(endingOf(recorder, i), "interrupted", `work ${i} is stopped with the stream (${context})`)
      }
    }
  })

const kindOf = (exit: Exit.Exit<unknown, unknown>, hung: boolean): Kind => {
  if (Exit.isSuccess(exit)) return "succeeded"
  if (hung) return "hung"
  const failures = failuresOf(exit.cause)
  if (failures.some(Cause.isTimeoutError)) return "timed out"
  if (failures.length > 0) return "failed"
  return "interrupted"
}

const kindsOf = (exit: Exit.Exit<unknown, unknown>, hung: boolean): Array<Kind> => {
  if (Exit.isSuccess(exit)) return ["succeeded"]
  if (hung) return ["hung"]
  const failures = failuresOf(exit.cause)
  const kinds: Array<Kind> = []
  if (failures.some(Cause.isTimeoutError)) kinds.push("timed out")
  if (failures.some((u) => !Cause.isTimeoutError(u))) kinds.push("failed")
  if (Cause.hasInterrupts(exit.cause)) kinds.push("interrupted")
  return kinds
}

const assertKind = (exit: Exit.Exit<unknown, unknown>, kind: Kind, context: string) => {
  if (kind === "failed") {
    assert.isTrue(Exit.isFailure(exit) && !failuresOf(exit.cause).some(Cause.isTimeoutError), context)
  } else {
    assert.strictEqual(kindOf(exit, false), kind, context)
  }
}

/** The stream failed with the failure of one of `candidates` (typed, defect or self-interruption). */
const assertRaisedBy = (
  recorder: Recorder,
  exit: Exit.Exit<unknown, unknown>,
  candidates: ReadonlyArray<number>,
  context: string
) => {
  assert.isTrue(Exit.isFailure(exit), context)
  const cause = (exit as Exit.Failure<unknown, unknown>).cause
  const failures = failuresOf(cause)
  assert.isTrue(
    candidates.some((i) => {
      const ending = endingOf(recorder, i)
      return ending === "interrupted itself"
        ? Cause.hasInterrupts(cause)
        : failures.includes(ending === "failed" ? recorder.errorOf(i) : recorder.defectOf(i))
    }),
    `fails with the first failure (${context}, candidates ${candidates})`
  )
}

describe("asCompleted (properties)", () => {
  it.effect(
    "emits each result once in completion order, and stops the rest when it ends early",
    () => checkProperty(scenario, property),
    propertyTimeout
  )
})
