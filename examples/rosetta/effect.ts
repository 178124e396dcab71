/**
 * The raw Effect column of `docs/rosetta.md`: the nearest code with `effect`
 * alone. Each `#region` is quoted verbatim in the document (a test checks
 * it), and type-checked here.
 *
 * Run it: `node_modules/.bin/node examples/rosetta/effect.ts`
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Data, Effect, Fiber, FiberSet, Stream } from "effect"

// #region setup
class JobError extends Data.TaggedError("JobError")<{ readonly job: string }> {}

const phase = (i: number): Effect.Effect<string> => Effect.as(Effect.sleep(100 * i), `phase ${i} result`)
const f: Effect.Effect<string> = Effect.as(Effect.sleep(300), "f result")
const g: Effect.Effect<string> = Effect.as(Effect.sleep(200), "g result")
const gFails: Effect.Effect<never, JobError> = Effect.andThen(Effect.sleep(200), new JobError({ job: "g" }))
// #endregion setup

// #region coroutine
const coroutine = Effect.fn("coroutine")(function*() {
  yield* Console.log("in coroutine")
  return "result"
})

const runCoroutine = Effect.gen(function*() {
  const value = yield* coroutine()
  yield* Console.log(`it returned: ${value}`)
})
// NodeRuntime.runMain(runCoroutine)
// #endregion coroutine

// #region sequential
const sequential = Effect.gen(function*() {
  const resultF = yield* f
  const resultG = yield* g // starts after f: 0.5 s in all
  return [resultF, resultG]
})
// #endregion sequential

// #region createTask
const startThenAwait = Effect.gen(function*() {
  const fiberF = yield* Effect.forkChild(f)
  const fiberG = yield* Effect.forkChild(g)
  return [yield* Fiber.join(fiberF), yield* Fiber.join(fiberG)] // 0.3 s
})
// #endregion createTask

// #region cancel
const cancelOne = Effect.gen(function*() {
  const fiberG = yield* Effect.forkChild(g)
  yield* Effect.sleep(100)
  yield* Fiber.interrupt(fiberG) // waits for g's finalizers; no "was it running?"
  const exit = fiberG.pollUnsafe()
  return exit !== undefined && exit._tag === "Failure" && Cause.hasInterruptsOnly(exit.cause)
})
// #endregion cancel

// #region waitAll
const waitAll = Effect.gen(function*() {
  const fibers = yield* Effect.forEach([0, 1, 2], (i) => Effect.forkChild(phase(i)))
  return yield* Fiber.joinAll(fibers) // an empty array gives [] at once
})
// #endregion waitAll

// #region waitTimeout
const waitTimeout = Effect.gen(function*() {
  const fibers = yield* Effect.forEach([0, 1, 2], (i) => Effect.forkChild(phase(i)))
  yield* Effect.timeoutOption(Fiber.awaitAll(fibers), "100 millis")
  const pending = fibers.filter((fiber) => fiber.pollUnsafe() === undefined)
  yield* Fiber.interruptAll(pending)
  return [fibers.length - pending.length, pending.length]
})
// #endregion waitTimeout

// #region firstCompleted
const printAsTheyFinish = Effect.gen(function*() {
  let pending = yield* Effect.forEach([3, 1, 2], (i) => Effect.forkChild(phase(i)))
  while (pending.length > 0) {
    yield* Effect.raceAll(pending.map(Fiber.await)) // the losers' awaits are interrupted, not the fibers
    for (const fiber of pending) if (fiber.pollUnsafe() !== undefined) yield* Console.log(yield* Fiber.join(fiber))
    pending = pending.filter((fiber) => fiber.pollUnsafe() === undefined)
  }
})
// #endregion firstCompleted

// #region gather
const gathered = Effect.all([phase(2), phase(1)], { concurrency: "unbounded" }) // default: one at a time
// #endregion gather

// #region returnExceptions
const settled = Effect.all([Effect.exit(f), Effect.exit(gFails)], { concurrency: "unbounded" })
// #endregion returnExceptions

// #region asCompleted
const answers = Stream.fromIterable([phase(3), phase(1), phase(2)]).pipe(
  Stream.mapEffect((work) => work, { concurrency: "unbounded", unordered: true }),
  Stream.runForEach((answer) => Console.log(`received answer ${answer}`)),
  Effect.timeout("5 seconds")
)
// #endregion asCompleted

// #region waitFor
const bounded = Effect.all([f, g], { concurrency: "unbounded" }).pipe(
  Effect.timeout("100 millis"),
  Effect.catchTag("TimeoutError", () => Console.log("oops took longer than 0.1s!"))
)
// #endregion waitFor

// #region timeoutScope
const totalLimit = Effect.timeout(
  Effect.gen(function*() {
    yield* f
    yield* g // interrupted at 0.4 s: fails with TimeoutError
  }),
  "400 millis"
)
// #endregion timeoutScope

// #region taskGroup
const group = Effect.scoped(Effect.gen(function*() {
  const set = yield* FiberSet.make<unknown, JobError>()
  yield* FiberSet.run(set, f)
  yield* FiberSet.run(set, gFails)
  yield* FiberSet.join(set) // fails with the first JobError; closing the scope interrupts f
}))
// #endregion taskGroup

export const main = Effect.gen(function*() {
  yield* runCoroutine
  yield* Console.log(yield* sequential)
  yield* Console.log(yield* startThenAwait)
  yield* Console.log(yield* cancelOne)
  yield* Console.log(yield* waitAll)
  yield* Console.log(yield* waitTimeout)
  yield* printAsTheyFinish
  yield* Console.log(yield* gathered)
  yield* Console.log((yield* settled).map((exit) => exit._tag))
  yield* answers
  yield* bounded
  yield* Console.log(yield* Effect.flip(totalLimit))
  yield* Console.log(yield* Effect.flip(group))
})

if (import.meta.main) NodeRuntime.runMain(main)
