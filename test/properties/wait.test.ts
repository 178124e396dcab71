import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber } from "effect"
import * as aio from "effect-asyncio"
import * as fc from "fast-check"
import { between, type Work, work } from "./arbitraries.ts"
import {
  assertFinalizedOnce,
  checkProperty,
  drive,
  endingOf,
  expectedEnding,
  propertyTimeout,
  Recorder,
  showExit,
  type Snapshot
} from "./harness.ts"

type TimeoutInput = Duration.Input | null | undefined

interface Scenario {
  readonly works: ReadonlyArray<Work>
  /** Indices of the tasks passed to `wait`, in order; repeats allowed. */
  readonly picks: ReadonlyArray<number>
  readonly returnWhen: aio.ReturnWhen | undefined
  readonly timeout: { readonly millis: number; readonly input: TimeoutInput }
  /** When `wait` is called, after the tasks start (1 ms): a `x.5` instant. */
  readonly waitAt: number
  /** An interruption of `wait` from outside, at a `x.25` instant. */
  readonly interruptAt: number | undefined
}

const timeout: fc.Arbitrary<Scenario["timeout"]> = fc.oneof(
  fc.constant({ millis: Infinity, input: undefined }),
  fc.constant({ millis: Infinity, input: null }),
  fc.constant({ millis: Infinity, input: Infinity }),
  fc.constant({ millis: Infinity, input: Duration.infinity }),
  fc.integer({ min: -3, max: 0 }).map((millis) => ({ millis, input: millis })),
  fc.integer({ min: 1, max: 30 }).map((millis) => ({ millis, input: millis })),
  fc.integer({ min: 1, max: 30 }).map((millis) => ({ millis, input: `${millis} millis` as Duration.Input })),
  fc.integer({ min: 1, max: 30 }).map((millis) => ({ millis, input: Duration.millis(millis) }))
)

const scenario: fc.Arbitrary<Scenario> = fc.array(work(), { minLength: 1, maxLength: 6 }).chain((works) =>
  fc.record({
    works: fc.constant(works),
    picks: fc.array(fc.integer({ min: 0, max: works.length - 1 }), { minLength: 1, maxLength: 8 }),
    returnWhen: fc.constantFrom(undefined, aio.ALL_COMPLETED, aio.FIRST_COMPLETED, aio.FIRST_EXCEPTION),
    timeout,
    waitAt: between(1.5, 15),
    interruptAfter: fc.option(between(0.75, 30), { nil: undefined, freq: 3 })
  }).map(({ interruptAfter, ...rest }) => ({
    ...rest,
    interruptAt: interruptAfter === undefined ? undefined : rest.waitAt + interruptAfter
  }))
)

const HORIZON = 200

interface Observation {
  readonly at: number
  readonly exit: Exit.Exit<aio.WaitResult<number, unknown>>
  readonly snapshot: Snapshot
  /** Which tasks had finished when `wait` returned. */
  readonly finished: ReadonlyArray<boolean>
}

const property = (s: Scenario) =>
  Effect.gen(function*() {
    const recorder = yield* Recorder.make
    let observation: Observation | undefined
    const tasks: Array<Fiber.Fiber<number, unknown>> = []
    // The host starts the tasks, calls `wait` in a child fiber at `waitAt`,
    // and then keeps the tasks alive until the horizon.
    const host = Effect.gen(function*() {
      for (let i = 0; i < s.works.length; i++) tasks.push(yield* aio.createTask(recorder.work(i, s.works[i])))
      const waiting = Effect.andThen(
        Effect.sleep(s.waitAt - 1),
        recorder.measured(
          aio.wait(s.picks.map((i) => tasks[i]), { timeout: s.timeout.input, returnWhen: s.returnWhen }),
          (snap) => {
            observation = {
              at: snap.at,
              exit: snap.exit as Observation["exit"],
              snapshot: snap,
              finished: tasks.map((task) => task.pollUnsafe() !== undefined)
            }
          }
        )
      )
      const waiter = yield* Effect.forkChild(waiting)
      if (s.interruptAt !== undefined) {
        yield* Effect.forkChild(Effect.andThen(Effect.sleep(s.interruptAt - 1), Fiber.interrupt(waiter)))
      }
      return yield* Effect.never
    })
    yield* drive(host, { horizon: HORIZON })
    assert.isDefined(observation, "wait ended")
    const o = observation!
    assert.strictEqual(o.snapshot.liveFibers, 0, "no fiber started by wait is left when it ends")
    assertFinalizedOnce(recorder, "wait")

    // The tasks run undisturbed: each ends as its work says, when it says,
    // until the host is interrupted at the horizon.
    const ends = s.works.map((w) => (w.outcome === "never" ? Infinity : 1 + w.delay + w.cleanup))
    for (let i = 0; i < s.works.length; i++) {
      if (ends[i] < HORIZON) {
        assert.strictEqual(endingOf(recorder, i), expectedEnding[s.works[i].outcome], `task ${i} was left alone`)
        assert.strictEqual(recorder.get(i).endedAt, ends[i], `task ${i} ends on time`)
      } else {
        assert.isAtLeast(recorder.records.get(i)?.endedAt ?? HORIZON, HORIZON, `task ${i} runs until the horizon`)
      }
    }

    // The model: when the condition holds and when the timeout passes.
    const unique = Array.from(new Set(s.picks))
    const isException = (i: number) => s.works[i].outcome === "fail" || s.works[i].outcome === "die"
    const all = Math.max(...unique.map((i) => ends[i]))
    const first = Math.min(...unique.map((i) => ends[i]))
    const firstException = Math.min(Infinity, ...unique.filter(isException).map((i) => ends[i]))
    const returnWhen = s.returnWhen ?? aio.ALL_COMPLETED
    const condition = returnWhen === aio.ALL_COMPLETED
      ? all
      : returnWhen === aio.FIRST_COMPLETED
      ? first
      : Math.min(firstException, all)
    const timesOutAt = s.waitAt + Math.max(0, s.timeout.millis)
    const returnsAt = Math.min(Math.max(s.waitAt, condition), timesOutAt)
    const context = `returnsAt ${returnsAt}, exit ${showExit(o.exit)} at ${o.at}`

    if (s.interruptAt !== undefined && s.interruptAt < returnsAt) {
      assert.isTrue(Exit.isFailure(o.exit), `interrupted from outside (${context})`)
      assert.strictEqual(o.at, s.interruptAt, `ends when interrupted (${context})`)
      return
    }
    if (returnsAt >= HORIZON) {
      assert.isTrue(Exit.isFailure(o.exit), `still waiting at the horizon (${context})`)
      assert.strictEqual(o.at, HORIZON, context)
      return
    }
    assert.isTrue(Exit.isSuccess(o.exit), context)
    assert.strictEqual(o.at, returnsAt, `returns as soon as the condition holds or the timeout passes (${context})`)
    const { done, pending } = (o.exit as Exit.Success<aio.WaitResult<number, unknown>>).value
    const indexOf = (fiber: Fiber.Fiber<number, unknown>) => tasks.indexOf(fiber)
    const doneIds = done.map(indexOf)
    const pendingIds = pending.map(indexOf)

    // done and pending partition the input set, each in input order.
    assert.deepStrictEqual(
      [...doneIds, ...pendingIds].sort(),
      [...unique].sort(),
      "done and pending partition the input"
    )
    assert.deepStrictEqual(doneIds, unique.filter((i) => doneIds.includes(i)), "done keeps the input order")
    assert.deepStrictEqual(pendingIds, unique.filter((i) => pendingIds.includes(i)), "pending keeps the input order")
    for (const i of doneIds) assert.isTrue(o.finished[i], `task ${i} in done had finished`)
    for (const i of pendingIds) assert.isFalse(o.finished[i], `task ${i} in pending had not finished`)

    // The state matches returnWhen and the timeout.
    const timedOut = returnsAt < Math.max(s.waitAt, condition)
    if (timedOut) {
      assert.strictEqual(o.at, timesOutAt, "returns at the timeout")
    } else if (returnWhen === aio.ALL_COMPLETED) {
      assert.deepStrictEqual(pendingIds, [], "ALL_COMPLETED: nothing pending")
    } else if (returnWhen === aio.FIRST_COMPLETED) {
      assert.isAbove(doneIds.length, 0, "FIRST_COMPLETED: something done")
    } else {
      assert.isTrue(
        pendingIds.length === 0 || doneIds.some(isException),
        "FIRST_EXCEPTION: an exception is done, or everything is"
      )
    }
  })

describe("wait (properties)", () => {
  it.effect(
    "done and pending partition the input, match returnWhen and the timeout, and no task is interrupted",
    () => checkProperty(scenario, property),
    propertyTimeout
  )
})
