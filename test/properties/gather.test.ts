import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import * as aio from "effect-asyncio"
import * as fc from "fast-check"
import { concurrency, interruptAt, isFailing, schedule, type Work, work } from "./arbitraries.ts"
import {
  assertClean,
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

interface Scenario {
  readonly works: ReadonlyArray<Work>
  readonly concurrency: number | undefined
  readonly returnExceptions: boolean
  readonly shape: "array" | "record" | "iterable"
  readonly interruptAt: number | undefined
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  works: fc.array(work(), { maxLength: 8 }),
  concurrency,
  returnExceptions: fc.boolean(),
  shape: fc.constantFrom("array" as const, "record" as const, "iterable" as const),
  interruptAt: interruptAt(60)
})

const HORIZON = 400

/** Calls `gather` on the scenario's shape of input and returns the slots as an array. */
const runGather = (
  s: Scenario,
  effects: ReadonlyArray<Effect.Effect<number, unknown>>
): Effect.Effect<ReadonlyArray<unknown>, unknown> => {
  const options = { concurrency: s.concurrency, returnExceptions: s.returnExceptions }
  switch (s.shape) {
    case "array":
      return aio.gather(effects, options) as Effect.Effect<ReadonlyArray<unknown>, unknown>
    case "iterable":
      return aio.gather(
        (function*() {
          yield* effects
        })(),
        options
      ) as Effect.Effect<ReadonlyArray<unknown>, unknown>
    case "record": {
      const keys = effects.map((_, i) => `k${i}`)
      const record = Object.fromEntries(effects.map((effect, i) => [keys[i], effect]))
      return Effect.map(
        aio.gather(record, options) as Effect.Effect<Readonly<Record<string, unknown>>, unknown>,
        (result) => {
          assert.deepStrictEqual(Object.keys(result), keys, "a record keeps its keys in order")
          return keys.map((key) => result[key])
        }
      )
    }
  }
}

const property = (s: Scenario) =>
  Effect.gen(function*() {
    const recorder = yield* Recorder.make
    const effects = s.works.map((w, i) => recorder.work(i, w))
    let snapshot: Snapshot | undefined
    const { hung } = yield* drive(recorder.measured(runGather(s, effects), (snap) => (snapshot = snap)), {
      horizon: HORIZON,
      interruptAt: s.interruptAt
    })
    assert.isDefined(snapshot, "gather ended")
    const snap = snapshot!
    assertClean(recorder, snap, "gather")

    // The model: when each piece of work would start and end if nothing
    // stopped it, from 1 ms (when the program starts).
    const sim = schedule(s.works, s.concurrency, 1)
    const n = s.works.length
    const allEnd = n === 0 ? 1 : Math.max(...sim.ends)
    const firstFailure = s.returnExceptions
      ? Infinity
      : Math.min(Infinity, ...s.works.flatMap((w, i) => (isFailing(w) ? [sim.ends[i]] : [])))
    const outside = s.interruptAt ?? Infinity
    const kind = outside < Math.min(firstFailure, allEnd)
      ? "interrupted"
      : firstFailure < Infinity
      ? "failed"
      : allEnd < Infinity
      ? "succeeded"
      : "hung"
    const stopAt = kind === "interrupted"
      ? outside
      : kind === "failed"
      ? firstFailure
      : kind === "hung"
      ? HORIZON
      : allEnd
    const lastEnd = Math.max(1, ...Array.from(recorder.records.values(), (r) => r.endedAt ?? -Infinity))
    const context = `kind ${kind}, exit ${showExit(snap.exit)}`

    assert.strictEqual(hung, kind === "hung", `hangs only when some work never ends (${context})`)

    // Work that ends before gather stops ran exactly as modelled; work that
    // would start after it never started.
    for (let i = 0; i < n; i++) {
      const record = recorder.records.get(i)
      if (sim.starts[i] > stopAt) {
        assert.isUndefined(record, `work ${i} starts after gather stopped (${context})`)
        continue
      }
      if (sim.starts[i] < stopAt) {
        assert.isDefined(record, `work ${i} started (${context})`)
        assert.strictEqual(record!.startedAt, sim.starts[i], `work ${i} starts when a slot frees (${context})`)
      }
      if (sim.outcomeAt[i] < stopAt) {
        assert.strictEqual(endingOf(recorder, i), expectedEnding[s.works[i].outcome], `work ${i} (${context})`)
        assert.strictEqual(record!.endedAt, sim.ends[i], `work ${i} ends as modelled (${context})`)
      } else if (sim.outcomeAt[i] > stopAt && record !== undefined && kind !== "hung") {
        assert.strictEqual(endingOf(recorder, i), "interrupted", `work ${i} is stopped with gather (${context})`)
      }
    }
    // Never more than `concurrency` at once (counted in event order).
    if (s.concurrency !== undefined) {
      const events = Array.from(recorder.records.values()).flatMap((r) => [
        { seq: r.startSeq, delta: 1 },
        ...(r.endSeq === undefined ? [] : [{ seq: r.endSeq, delta: -1 }])
      ]).sort((a, b) => a.seq - b.seq)
      let active = 0
      for (const event of events) {
        active += event.delta
        assert.isAtMost(active, s.concurrency, `at most ${s.concurrency} at a time`)
      }
    }

    switch (kind) {
      case "succeeded": {
        assert.isTrue(Exit.isSuccess(snap.exit), context)
        assert.strictEqual(snap.at, allEnd, "returns when the last one ends")
        const slots = (snap.exit as Exit.Success<ReadonlyArray<unknown>>).value
        assert.strictEqual(slots.length, n, "one slot per input")
        for (let i = 0; i < n; i++) {
          if (s.returnExceptions) {
            const slot = slots[i] as Exit.Exit<unknown, unknown>
            assert.isTrue(Exit.isExit(slot), `slot ${i} is an Exit`)
            assert.isTrue(sameExit(slot, recorder.get(i).exit!), `slot ${i} is what work ${i} did: ${showExit(slot)}`)
            assert.strictEqual(endingOf(recorder, i), expectedEnding[s.works[i].outcome], `work ${i}`)
          } else {
            assert.strictEqual(slots[i], i, `slot ${i} holds work ${i}'s value, in input order`)
          }
        }
        break
      }
      case "failed": {
        assert.isTrue(Exit.isFailure(snap.exit), context)
        const cause = (snap.exit as Exit.Failure<unknown, unknown>).cause
        const candidates = s.works.flatMap((w, i) => (isFailing(w) && sim.ends[i] === firstFailure ? [i] : []))
        const raised = failuresOf(cause)
        // Every error in the cause is one that work really raised.
        for (const failure of raised) {
          const owner = Array.from(recorder.records.values()).find((r) =>
            r.exit !== undefined && Exit.isFailure(r.exit) && failuresOf(r.exit.cause).includes(failure)
          )
          assert.isDefined(owner, `gather raised an error no work raised (${context})`)
        }
        // The first failure to end its work (failures end after their
        // cleanup) is raised: typed, defect or self-interruption. Work that
        // had failed earlier and was still cleaning up may add its error.
        assert.isTrue(
          candidates.some((i) =>
            s.works[i].outcome === "interrupt"
              ? Cause.hasInterrupts(cause)
              : raised.includes(s.works[i].outcome === "fail" ? recorder.errorOf(i) : recorder.defectOf(i))
          ),
          `the first failure in time is raised (${context}, candidates ${candidates})`
        )
        for (const failure of raised) {
          const id = (failure as { readonly id: number }).id
          assert.isAtMost(sim.outcomeAt[id], firstFailure, `only errors raised before gather stopped (${context})`)
        }
        // (An interruption from outside may also come while gather waits
        // for the others' cleanup.)
        if (!candidates.some((i) => s.works[i].outcome === "interrupt") && outside > snap.at) {
          assert.isFalse(Cause.hasInterrupts(cause), `no interruption in the cause of a failure (${context})`)
        }
        assert.strictEqual(snap.at, Math.max(firstFailure, lastEnd), "returns once the others' cleanup is done")
        break
      }
      case "interrupted":
      case "hung": {
        assert.isTrue(Exit.isFailure(snap.exit) && Cause.hasInterrupts(snap.exit.cause), context)
        // Work that had already failed, and was finishing its cleanup when
        // the interruption came, keeps its error in the cause: an
        // interruption never swallows an error.
        const raised = failuresOf((snap.exit as Exit.Failure<unknown, unknown>).cause)
        const expected = s.works.flatMap((w, i) =>
          (w.outcome === "fail" || w.outcome === "die") && sim.outcomeAt[i] < stopAt ? [i] : []
        )
        const ids = raised.map((u) => (u as { readonly id: number }).id).sort()
        if (s.returnExceptions) {
          // The errors are in the slots; the interrupted gather may carry them too.
          for (const id of ids) assert.include(expected, id, `only errors that were raised (${context})`)
        } else {
          assert.deepStrictEqual(
            ids,
            expected.sort(),
            `the errors raised before the interruption are kept (${context})`
          )
        }
        assert.strictEqual(snap.at, Math.max(stopAt, lastEnd), "returns once the children's cleanup is done")
        break
      }
    }
  })

describe("gather (properties)", () => {
  it.effect(
    "returns results in input order, one Exit per input with returnExceptions, the first failure otherwise",
    () => checkProperty(scenario, property),
    propertyTimeout
  )
})
