import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Effect, Exit } from "effect"
import * as aio from "effect-asyncio"
import * as fc from "fast-check"
import { type Outcome, outcome, type Work } from "./arbitraries.ts"
import {
  assertClean,
  checkProperty,
  drive,
  type Ending,
  endingOf,
  failuresOf,
  propertyTimeout,
  Recorder,
  showExit,
  type Snapshot
} from "./harness.ts"

/**
 * Nested timeout scopes: scope 0 holds scope 1, which holds scope 2, and so
 * on; the innermost holds one piece of work. Each scope's body sleeps `pre`,
 * runs the inner scope, then sleeps `post`; beside it, a child fiber moves
 * the scope's deadline at given times (`reschedule`).
 *
 * Times are chosen so that only the ties the contract speaks about can
 * happen: the program starts at 1 ms and `pre`, `post` and the work's delay
 * are multiples of 4, so scopes start and work ends at times of the form
 * 4n + 1; reschedules happen at 4n + 3; deadlines are even; an interruption
 * from outside comes at n + 0.5. Two deadlines can be equal (the outer scope
 * fires), and scopes entered at the same instant can all have deadlines in
 * the past (the outer scope fires).
 */
interface ScopeSpec {
  readonly form: "timeout" | "timeoutAt" | "waitFor"
  /** Relative to the scope's start: odd, possibly negative (in the past), or null. */
  readonly deadline: number | null
  readonly pre: number
  readonly post: number
  /** Sleep `after` ms (from the previous reschedule), then reschedule to now + `to` (odd) or null. */
  readonly reschedules: ReadonlyArray<{ readonly after: number; readonly to: number | null }>
}

interface Chain {
  readonly scopes: ReadonlyArray<ScopeSpec>
  readonly work: Work
  readonly interruptAt: number | undefined
}

const odd = (min: number, max: number) => fc.integer({ min, max }).map((n) => 2 * n + 1)
const multipleOf4 = (max: number) =>
  fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max }), weight: 2 }).map((n) =>
    4 * n
  )

const reschedules = fc.array(
  fc.record({ after: fc.integer({ min: 1, max: 8 }), to: fc.option(odd(-5, 25), { nil: null, freq: 5 }) }),
  { maxLength: 2 }
).map((list) => list.map((r, i) => ({ after: i === 0 ? 4 * r.after - 2 : 4 * r.after, to: r.to })))

const scopeSpec: fc.Arbitrary<ScopeSpec> = fc.record({
  form: fc.constantFrom("timeout" as const, "timeoutAt" as const, "waitFor" as const),
  deadline: fc.option(odd(-3, 30), { nil: null, freq: 5 }),
  pre: multipleOf4(4),
  post: multipleOf4(3),
  reschedules
}).map((s) => (s.form === "waitFor" ? { ...s, reschedules: [] } : s))

const chain: fc.Arbitrary<Chain> = fc.record({
  scopes: fc.array(scopeSpec, { minLength: 1, maxLength: 4 }),
  work: fc.record({
    yields: fc.integer({ min: 0, max: 1 }),
    delay: multipleOf4(10),
    outcome: outcome as fc.Arbitrary<Outcome>,
    cleanup: fc.constant(0)
  }),
  interruptAt: fc.option(fc.integer({ min: 1, max: 100 }).map((n) => n + 0.5), { nil: undefined, freq: 3 })
})

const HORIZON = 300
const START = 1

// ---------------------------------------------------------------------------
// The model

type Kind = "succeeded" | "failed" | "died" | "interrupted itself" | "timed out" | "interrupted" | "running"

interface Result {
  readonly kind: Kind
  readonly at: number
  /** For "timed out": the scope whose deadline fired. */
  readonly by?: number | undefined
  /** Ended without ever suspending (so no deadline can fire). */
  readonly sync: boolean
}

interface Expected {
  readonly kind: Kind | "not started"
  readonly at: number
  readonly by?: number | undefined
  readonly expired: boolean
}

const kindOfOutcome: { readonly [O in Outcome]: Kind } = {
  succeed: "succeeded",
  fail: "failed",
  die: "died",
  interrupt: "interrupted itself",
  never: "running"
}

const model = (c: Chain) => {
  const k = c.scopes.length
  const starts: Array<number> = [START]
  for (let i = 0; i < k; i++) starts.push(starts[i] + c.scopes[i].pre)
  const rescheduleTimes = c.scopes.map((s, i) => {
    const times: Array<number> = []
    let r = starts[i]
    for (const { after } of s.reschedules) times.push(r += after)
    return times
  })
  // Two scopes moving their deadlines at the same instant: the order is up
  // to the scheduler, so only the weak invariants are checked.
  const allTimes = rescheduleTimes.flat()
  const ambiguous = new Set(allTimes).size !== allTimes.length

  /** The deadline of scope `i` at time `t`, after the reschedules before `t`. */
  const deadlineAt = (i: number, t: number): number | null => {
    const s = c.scopes[i]
    let deadline = s.deadline === null ? null : starts[i] + s.deadline
    s.reschedules.forEach(({ to }, j) => {
      const r = rescheduleTimes[i][j]
      if (r < t) deadline = to === null ? null : r + to
    })
    return deadline
  }

  /** When scope `i` fires if its body runs forever: at its deadline, or at once when it is moved into the past. */
  const fireTime = (i: number): number => {
    const s = c.scopes[i]
    let deadline = s.deadline === null ? null : starts[i] + s.deadline
    let since = starts[i]
    for (let j = 0; j < s.reschedules.length; j++) {
      const r = rescheduleTimes[i][j]
      if (deadline !== null && Math.max(deadline, since) < r) return Math.max(deadline, since)
      const to = s.reschedules[j].to
      deadline = to === null ? null : r + to
      since = r
    }
    return deadline === null ? Infinity : Math.max(deadline, since)
  }

  // Inside out: how each scope ends if nothing outside it stops it.
  const w = c.work
  const workResult: Result = w.outcome === "never"
    ? { kind: "running", at: Infinity, sync: false }
    : { kind: kindOfOutcome[w.outcome], at: starts[k] + w.delay, sync: w.delay === 0 && w.yields === 0 }
  const results: Array<Result> = []
  let inner = workResult
  for (let i = k - 1; i >= 0; i--) {
    const s = c.scopes[i]
    const natural: Result = inner.kind === "succeeded"
      ? { kind: "succeeded", at: inner.at + s.post, sync: inner.sync && s.post === 0 }
      : inner.kind === "interrupted itself"
      ? { ...inner, kind: "interrupted" } // the work's own interruption goes up through the scopes
      : inner
    const sync = s.pre === 0 && natural.sync
    const fires = sync ? Infinity : fireTime(i)
    // A deadline due at the same instant as an inner one (or both already
    // past when they are entered together): the outer scope fires.
    results[i] = fires <= natural.at
      ? { kind: "timed out", at: fires, by: i, sync: false }
      : { ...natural, sync }
    inner = results[i]
  }

  // Outside in: a scope that fires cuts everything inside it short.
  let cut = { at: c.interruptAt ?? HORIZON, byDeadline: false }
  const expected: Array<Expected> = []
  for (let i = 0; i <= k; i++) {
    const result = i < k ? results[i] : workResult
    if (starts[i] > cut.at) {
      expected.push({ kind: "not started", at: Infinity, expired: false })
      continue
    }
    if (result.at < cut.at || (result.at === cut.at && result.sync)) {
      expected.push({ kind: result.kind, at: result.at, by: result.by, expired: result.by === i })
      if (result.by === i) cut = { at: result.at, byDeadline: true }
    } else {
      // Cut short. A scope whose own deadline had come too counts as expired.
      const deadline = i < k ? deadlineAt(i, cut.at) : null
      const expired = cut.byDeadline && deadline !== null && deadline <= cut.at
      // (Work still running at the horizon is interrupted there.)
      expected.push({ kind: "interrupted", at: cut.at, expired })
    }
  }
  return { expected, ambiguous, starts }
}

// ---------------------------------------------------------------------------
// Running a chain

const property = (c: Chain) =>
  Effect.gen(function*() {
    const recorder = yield* Recorder.make
    const k = c.scopes.length
    const handles: Array<aio.Timeout | undefined> = c.scopes.map(() => undefined)

    const rescheduler = (i: number, t: aio.Timeout) =>
      Effect.gen(function*() {
        for (const { after, to } of c.scopes[i].reschedules) {
          yield* Effect.sleep(after)
          const now = yield* Clock.currentTimeMillis
          yield* t.reschedule(to === null ? null : now + to)
        }
      })

    const level = (i: number): Effect.Effect<number, unknown> => {
      if (i === k) return recorder.work(k, c.work)
      const s = c.scopes[i]
      const body = (t: aio.Timeout | undefined) =>
        Effect.gen(function*() {
          if (t !== undefined) {
            handles[i] = t
            if (s.reschedules.length > 0) yield* Effect.forkChild(rescheduler(i, t))
          }
          if (s.pre > 0) yield* Effect.sleep(s.pre)
          const value = yield* level(i + 1)
          if (s.post > 0) yield* Effect.sleep(s.post)
          return value
        })
      const scope: Effect.Effect<number, unknown> = s.form === "waitFor"
        ? aio.waitFor(body(undefined), s.deadline)
        : s.form === "timeout"
        ? aio.timeout(s.deadline, body)
        : Effect.flatMap(
          Clock.currentTimeMillis,
          (now) => aio.timeoutAt(s.deadline === null ? null : now + s.deadline, body)
        )
      return recorder.track(i, scope)
    }

    let snapshot: Snapshot | undefined
    yield* drive(recorder.measured(level(0), (snap) => (snapshot = snap)), {
      horizon: HORIZON,
      interruptAt: c.interruptAt
    })
    assert.isDefined(snapshot, "the outer scope ended")
    assertClean(recorder, snapshot!, "timeout scopes")

    // Who raised each TimeoutError: the innermost scope whose exit holds it.
    const raiser = (i: number): number | undefined => {
      const exit = recorder.records.get(i)?.exit
      if (exit === undefined || Exit.isSuccess(exit)) return undefined
      const error = failuresOf(exit.cause).find(Cause.isTimeoutError)
      if (error === undefined) return undefined
      let owner = i
      for (let j = i + 1; j < k; j++) {
        const inner = recorder.records.get(j)?.exit
        if (inner !== undefined && Exit.isFailure(inner) && failuresOf(inner.cause).includes(error)) owner = j
      }
      return owner
    }
    const expiredFlags: Array<boolean | undefined> = []
    for (const handle of handles) expiredFlags.push(handle === undefined ? undefined : yield* handle.expired)
    const expiredOf = (i: number) => expiredFlags[i]

    // Weak invariants, whatever the timing: a scope that raised its own
    // timeout has expired, and a scope that has not expired never raises its
    // own timeout.
    for (let i = 0; i < k; i++) {
      const expired = expiredOf(i)
      if (expired === undefined) continue
      if (raiser(i) === i) assert.isTrue(expired, `scope ${i} raised its own timeout, so it has expired`)
    }

    const { ambiguous, expected } = model(c)
    if (ambiguous) return
    const actual = (i: number): Kind | "not started" => {
      if (!recorder.records.has(i)) return "not started"
      const ending: Ending = endingOf(recorder, i)
      if (ending === "failed" && raiser(i) !== undefined) return "timed out"
      return ending
    }
    const describeAll = () =>
      expected.map((e, i) =>
        `${i === k ? "work" : `scope ${i}`}: expected ${e.kind}${e.by === undefined ? "" : ` by ${e.by}`} at ${e.at}${
          e.expired ? " expired" : ""
        }, got ${actual(i)}${raiser(i) === undefined ? "" : ` by ${raiser(i)}`} at ${recorder.records.get(i)?.endedAt}${
          expiredOf(i) ? " expired" : ""
        } ${showExit(recorder.records.get(i)?.exit)}`
      ).join("; ")
    for (let i = 0; i <= k; i++) {
      const e = expected[i]
      const what = i === k ? "the work" : `scope ${i}`
      assert.strictEqual(actual(i), e.kind, `${what} ends ${e.kind} (${describeAll()})`)
      if (e.kind === "not started" || e.kind === "running") continue
      assert.strictEqual(recorder.get(i).endedAt, e.at, `${what} ends at ${e.at} (${describeAll()})`)
      if (e.kind === "timed out") {
        assert.strictEqual(raiser(i), e.by, `${what}: scope ${e.by} raised the timeout (${describeAll()})`)
      }
      if (i < k && handles[i] !== undefined) {
        assert.strictEqual(expiredOf(i), e.expired, `${what}: expired is ${e.expired} (${describeAll()})`)
      }
    }
  })

describe("timeout scopes (properties)", () => {
  it.effect(
    "the scope whose deadline fired raises, and expired agrees, across nesting and reschedules",
    () => checkProperty(chain, property),
    propertyTimeout
  )
})
