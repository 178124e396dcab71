/**
 * Model-based properties of the synchronization primitives: random
 * sequences of acquire/release (Lock, Semaphore, BoundedSemaphore) and of
 * put/get/putNowait/getNowait/taskDone/join/shutdown (Queue, LifoQueue,
 * PriorityQueue), with random interruptions, some landing between the moment
 * a waiter is served and the moment it runs. After every step that lets the
 * fibers run, the real primitive is compared with a simple model of what
 * asyncio's semantics allow: no permit leaked or lost, no item lost or
 * delivered twice, waiters served in the order they came, `join` done
 * exactly when every item is done.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, type Fiber, Order } from "effect"
import * as aio from "effect-asyncio"
import * as fc from "fast-check"
import { settle } from "../utils/fixtures.ts"
import { checkProperty, propertyTimeout } from "./harness.ts"

const tagOf = (exit: Exit.Exit<unknown, unknown> | undefined): string | undefined => {
  if (exit === undefined) return undefined
  if (Exit.isSuccess(exit)) return "Success"
  const reason = exit.cause.reasons[0]
  return reason?._tag === "Fail" ? (reason.error as { _tag: string })._tag : reason?._tag
}

// ---------------------------------------------------------------------------
// Permits: Lock, Semaphore, BoundedSemaphore

type PermitOp =
  | { readonly _tag: "acquire" }
  | { readonly _tag: "release" }
  | { readonly _tag: "interrupt"; readonly pick: number }
  | { readonly _tag: "settle" }

interface PermitScenario {
  readonly kind: "lock" | "semaphore" | "bounded"
  readonly value: number
  readonly ops: ReadonlyArray<PermitOp>
}

const permitOp: fc.Arbitrary<PermitOp> = fc.oneof(
  { arbitrary: fc.constant({ _tag: "acquire" as const }), weight: 4 },
  { arbitrary: fc.constant({ _tag: "release" as const }), weight: 3 },
  { arbitrary: fc.nat(20).map((pick) => ({ _tag: "interrupt" as const, pick })), weight: 2 },
  { arbitrary: fc.constant({ _tag: "settle" as const }), weight: 2 }
)

const permitScenario: fc.Arbitrary<PermitScenario> = fc.record({
  kind: fc.constantFrom("lock" as const, "semaphore" as const, "bounded" as const),
  value: fc.integer({ min: 0, max: 3 }),
  ops: fc.array(permitOp, { maxLength: 40 })
}).map((s) => (s.kind === "lock" ? { ...s, value: 1 } : s))

interface PermitHandle {
  readonly acquire: Effect.Effect<true>
  readonly release: Effect.Effect<void>
  readonly locked: Effect.Effect<boolean>
  readonly value: Effect.Effect<number>
}

const makePermits = (s: PermitScenario): Effect.Effect<PermitHandle> =>
  s.kind === "lock"
    ? Effect.map(
      aio.makeLock(),
      (lock) => ({
        ...lock,
        acquire: lock.acquire,
        release: lock.release,
        locked: lock.locked,
        value: Effect.map(lock.locked, (l) => (l ? 0 : 1))
      })
    )
    : Effect.map(s.kind === "semaphore" ? aio.makeSemaphore(s.value) : aio.makeBoundedSemaphore(s.value), (sem) => sem)

const permitProperty = (s: PermitScenario) =>
  Effect.gen(function*() {
    const permits = yield* makePermits(s)
    const fibers: Array<Fiber.Fiber<true>> = []
    /** Arrival numbers of the acquirers, in the order they acquired. */
    const acquired: Array<number> = []
    let released = 0
    const check = Effect.gen(function*() {
      yield* settle
      const held = acquired.length - released
      const waiting = fibers.filter((f) => f.pollUnsafe() === undefined).length
      const value = yield* permits.value
      assert.strictEqual(value + held, s.value, `permits conserved: ${value} free + ${held} held`)
      if (waiting > 0) assert.strictEqual(value, 0, "no permit free while a fiber waits (none lost)")
      assert.strictEqual(yield* permits.locked, value === 0 || waiting > 0)
      assert.deepStrictEqual(acquired, [...acquired].sort((a, b) => a - b), "acquired in the order they came")
      for (const [i, fiber] of fibers.entries()) {
        const exit = fiber.pollUnsafe()
        if (exit !== undefined && Exit.isSuccess(exit)) {
          assert.include(acquired, i, "a fiber that returned holds a permit")
        }
      }
    })
    for (const op of s.ops) {
      switch (op._tag) {
        case "acquire": {
          const id = fibers.length
          fibers.push(
            yield* Effect.forkChild(Effect.tap(permits.acquire, () => Effect.sync(() => acquired.push(id))), {
              startImmediately: true
            })
          )
          break
        }
        case "release":
          if (acquired.length - released > 0) {
            released++
            yield* permits.release
          }
          break
        case "interrupt":
          // No settle: the interruption may land after a release served the
          // fiber and before it ran.
          if (fibers.length > 0) fibers[op.pick % fibers.length].interruptUnsafe()
          break
        case "settle":
          yield* check
      }
    }
    yield* check
    // Every permit comes back: release what is held, then all can be taken.
    for (const fiber of fibers) fiber.interruptUnsafe()
    yield* settle
    for (; released < acquired.length; released++) yield* permits.release
    assert.strictEqual(yield* permits.value, s.value)
  })

// ---------------------------------------------------------------------------
// Queues

type QueueOp =
  | { readonly _tag: "put" }
  | { readonly _tag: "putNowait" }
  | { readonly _tag: "get" }
  | { readonly _tag: "getNowait" }
  | { readonly _tag: "taskDone" }
  | { readonly _tag: "interrupt"; readonly pick: number }
  | { readonly _tag: "shutdown"; readonly immediate: boolean }
  | { readonly _tag: "settle" }

interface QueueScenario {
  readonly kind: "fifo" | "lifo" | "priority"
  readonly maxsize: number
  readonly ops: ReadonlyArray<QueueOp>
}

const queueOp: fc.Arbitrary<QueueOp> = fc.oneof(
  { arbitrary: fc.constant({ _tag: "put" as const }), weight: 5 },
  { arbitrary: fc.constant({ _tag: "putNowait" as const }), weight: 1 },
  { arbitrary: fc.constant({ _tag: "get" as const }), weight: 5 },
  { arbitrary: fc.constant({ _tag: "getNowait" as const }), weight: 1 },
  { arbitrary: fc.constant({ _tag: "taskDone" as const }), weight: 3 },
  { arbitrary: fc.nat(30).map((pick) => ({ _tag: "interrupt" as const, pick })), weight: 3 },
  { arbitrary: fc.boolean().map((immediate) => ({ _tag: "shutdown" as const, immediate })), weight: 1 },
  { arbitrary: fc.constant({ _tag: "settle" as const }), weight: 3 }
)

const queueScenario: fc.Arbitrary<QueueScenario> = fc.record({
  kind: fc.constantFrom("fifo" as const, "lifo" as const, "priority" as const),
  maxsize: fc.integer({ min: 0, max: 3 }),
  ops: fc.array(queueOp, { maxLength: 50 })
})

const makeQueue = (s: QueueScenario): Effect.Effect<aio.Queue<number>> =>
  s.kind === "fifo"
    ? aio.makeQueue<number>({ maxsize: s.maxsize })
    : s.kind === "lifo"
    ? aio.makeLifoQueue<number>({ maxsize: s.maxsize })
    : aio.makePriorityQueue<number>({ maxsize: s.maxsize, order: Order.mapInput(Order.Number, (n: number) => n % 3) })

const queueProperty = (s: QueueScenario) =>
  Effect.gen(function*() {
    const queue = yield* makeQueue(s)
    let nextItem = 0
    /** Items in the order they entered the queue, and their putters' arrival numbers. */
    const inserted: Array<number> = []
    const putterOrder: Array<number> = []
    /** Items in the order getters took them, and the getters' arrival numbers. */
    const delivered: Array<number> = []
    const getterOrder: Array<number> = []
    const fibers: Array<Fiber.Fiber<unknown, unknown>> = []
    let putters = 0
    let getters = 0
    let done = 0
    let dropped = 0
    let shutdown = false
    let immediate = false

    const check = Effect.gen(function*() {
      yield* settle
      const left = inserted.length - delivered.length - dropped
      assert.isAtLeast(left, 0)
      assert.strictEqual(yield* queue.qsize, left, "every item put is delivered once, dropped, or still there")
      assert.strictEqual(new Set(delivered).size, delivered.length, "no item delivered twice")
      for (const item of delivered) assert.include(inserted, item, "only items put are delivered")
      assert.deepStrictEqual(
        getterOrder,
        [...getterOrder].sort((a, b) => a - b),
        "getters served in the order they came"
      )
      assert.deepStrictEqual(
        putterOrder,
        [...putterOrder].sort((a, b) => a - b),
        "putters served in the order they came"
      )
      if (s.kind === "fifo") assert.deepStrictEqual(delivered, inserted.slice(0, delivered.length), "FIFO order")
      const waitingGetters = fibers.some((f, i) => f.pollUnsafe() === undefined && kinds[i] === "get")
      const waitingPutters = fibers.some((f, i) => f.pollUnsafe() === undefined && kinds[i] === "put")
      if (waitingGetters) assert.strictEqual(left, 0, "no getter waits while an item is there")
      if (waitingPutters) assert.isTrue(yield* queue.full, "no putter waits while there is room")
      if (shutdown) assert.isFalse(waitingGetters || waitingPutters, "shutdown wakes every waiter")
      // join is done exactly when every item put is done.
      const unfinished = inserted.length - done - (immediate ? dropped : 0)
      const join = yield* Effect.forkChild(queue.join, { startImmediately: true })
      yield* settle
      assert.strictEqual(join.pollUnsafe() !== undefined, unfinished === 0, `join with ${unfinished} unfinished`)
      join.interruptUnsafe()
    })
    const kinds: Array<"put" | "get"> = []

    for (const op of s.ops) {
      switch (op._tag) {
        case "put": {
          const item = nextItem++
          const arrival = putters++
          kinds.push("put")
          fibers.push(
            yield* Effect.forkChild(
              Effect.tap(queue.put(item), () =>
                Effect.sync(() => {
                  inserted.push(item)
                  putterOrder.push(arrival)
                })),
              { startImmediately: true }
            )
          )
          break
        }
        case "putNowait": {
          const item = nextItem++
          const exit = yield* Effect.exit(queue.putNowait(item))
          if (Exit.isSuccess(exit)) inserted.push(item)
          else assert.include(["QueueFull", "QueueShutDown"], tagOf(exit))
          if (shutdown) assert.strictEqual(tagOf(exit), "QueueShutDown")
          break
        }
        case "get": {
          const arrival = getters++
          kinds.push("get")
          fibers.push(
            yield* Effect.forkChild(
              Effect.tap(queue.get, (item) =>
                Effect.sync(() => {
                  delivered.push(item)
                  getterOrder.push(arrival)
                })),
              { startImmediately: true }
            )
          )
          break
        }
        case "getNowait": {
          const exit = yield* Effect.exit(queue.getNowait)
          if (Exit.isSuccess(exit)) delivered.push(exit.value)
          else assert.include(["QueueEmpty", "QueueShutDown"], tagOf(exit))
          break
        }
        case "taskDone":
          if (delivered.length - done > 0) {
            done++
            yield* queue.taskDone
          }
          break
        case "interrupt":
          if (fibers.length > 0) fibers[op.pick % fibers.length].interruptUnsafe()
          break
        case "shutdown":
          if (op.immediate && !immediate) {
            // Dropped: what no getter has taken yet, also an item promised to
            // a getter that has not run (it fails instead).
            dropped = inserted.length - delivered.length
            immediate = true
          }
          shutdown = true
          yield* queue.shutdown({ immediate: op.immediate })
          break
        case "settle":
          yield* check
      }
    }
    yield* check
    for (const fiber of fibers) {
      const exit = fiber.pollUnsafe()
      if (exit !== undefined && Exit.isFailure(exit)) {
        const tag = tagOf(exit)
        assert.isTrue(tag === "Interrupt" || (tag === "QueueShutDown" && shutdown), `a waiter ended with ${tag}`)
      }
    }
  })

describe("synchronization primitives (properties)", () => {
  it.effect(
    "Lock, Semaphore, BoundedSemaphore: no permit leaked or lost, FIFO, whatever is interrupted when",
    () => checkProperty(permitScenario, permitProperty),
    propertyTimeout
  )

  it.effect(
    "Queue, LifoQueue, PriorityQueue: no item lost or delivered twice, FIFO waiters, join exact, shutdown wakes all",
    () => checkProperty(queueScenario, queueProperty),
    propertyTimeout
  )
})
