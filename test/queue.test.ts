/**
 * `makeQueue`, `makePriorityQueue`, `makeLifoQueue`: the behaviour CPython's
 * test_queues.py checks, 3.13's shutdown tests included.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Order } from "effect"
import * as aio from "effect-asyncio"
import { TestClock } from "effect/testing"
import { atEveryYieldPoint, settle } from "./utils/fixtures.ts"

const tagOf = (exit: Exit.Exit<unknown, unknown> | undefined): string | undefined => {
  if (exit === undefined) return undefined
  if (Exit.isSuccess(exit)) return "Success"
  const reason = exit.cause.reasons[0]
  return reason?._tag === "Fail" ? (reason.error as { _tag: string })._tag : reason?._tag
}

const drain = <A>(queue: aio.Queue<A>) =>
  Effect.gen(function*() {
    const out: Array<A> = []
    while (!(yield* queue.empty)) out.push(yield* queue.get)
    return out
  })

describe("makeQueue", () => {
  describe("order and size", () => {
    it.effect("FIFO, LIFO and priority order (test_order)", () =>
      Effect.gen(function*() {
        const items = [1, 3, 2]
        const fifo = yield* aio.makeQueue<number>()
        const lifo = yield* aio.makeLifoQueue<number>()
        const prio = yield* aio.makePriorityQueue<number>({ order: Order.Number })
        for (const q of [fifo, lifo, prio]) for (const i of items) yield* q.put(i)
        assert.deepStrictEqual(yield* drain(fifo), [1, 3, 2])
        assert.deepStrictEqual(yield* drain(lifo), [2, 3, 1])
        assert.deepStrictEqual(yield* drain(prio), [1, 2, 3])
      }))

    it.effect("a priority queue keeps equal items in insertion order", () =>
      Effect.gen(function*() {
        const byPriority = Order.mapInput(Order.Number, (job: { readonly p: number; readonly id: string }) => job.p)
        const queue = yield* aio.makePriorityQueue({ order: byPriority })
        const jobs = [{ p: 2, id: "a" }, { p: 1, id: "b" }, { p: 2, id: "c" }, { p: 1, id: "d" }, { p: 2, id: "e" }]
        for (const job of jobs) yield* queue.put(job)
        assert.deepStrictEqual((yield* drain(queue)).map((j) => j.id), ["b", "d", "a", "c", "e"])
      }))

    it.effect("maxsize, qsize, empty and full (test_maxsize, test_empty, test_full, test_qsize)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 2 })
        assert.strictEqual(queue.maxsize, 2)
        assert.deepStrictEqual([yield* queue.qsize, yield* queue.empty, yield* queue.full], [0, true, false])
        yield* queue.put(1)
        yield* queue.put(2)
        assert.deepStrictEqual([yield* queue.qsize, yield* queue.empty, yield* queue.full], [2, false, true])
        const unbounded = yield* aio.makeQueue<number>({ maxsize: -1 })
        for (let i = 0; i < 100; i++) yield* unbounded.putNowait(i)
        assert.deepStrictEqual([unbounded.maxsize, yield* unbounded.qsize, yield* unbounded.full], [-1, 100, false])
      }))

    it.effect("putNowait on a full queue fails with QueueFull; getNowait on an empty one with QueueEmpty (test_nonblocking_put_exception, test_nonblocking_get_exception)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        assert.strictEqual(tagOf(yield* Effect.exit(queue.getNowait)), "QueueEmpty")
        yield* queue.putNowait(1)
        assert.strictEqual(tagOf(yield* Effect.exit(queue.putNowait(2))), "QueueFull")
        assert.strictEqual(yield* queue.getNowait, 1)
      }))
  })

  describe("waiting", () => {
    it.effect("put waits while the queue is full; the first get lets the first putter in (test_blocking_put_wait)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        yield* queue.put(0)
        const putters = [yield* Effect.forkChild(queue.put(1)), yield* Effect.forkChild(queue.put(2))]
        yield* settle
        assert.isUndefined(putters[0].pollUnsafe())
        assert.strictEqual(yield* queue.get, 0)
        yield* settle
        assert.deepStrictEqual(putters[0].pollUnsafe(), Exit.void)
        assert.isUndefined(putters[1].pollUnsafe())
        assert.deepStrictEqual([yield* queue.get, yield* queue.get], [1, 2])
      }))

    it.effect("get waits for an item; getters are served in the order they came (test_blocking_get_wait, test_why_are_getters_waiting)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<string>()
        const getters = [
          yield* Effect.forkChild(queue.get),
          yield* Effect.forkChild(queue.get),
          yield* Effect.forkChild(queue.get)
        ]
        yield* settle
        yield* Effect.forkChild(Effect.andThen(Effect.sleep(10), queue.put("a")))
        yield* queue.put("b")
        yield* settle
        assert.deepStrictEqual(getters.map((g) => g.pollUnsafe()), [Exit.succeed("b"), undefined, undefined])
        yield* TestClock.adjust(10)
        yield* settle
        assert.deepStrictEqual(getters[1].pollUnsafe(), Exit.succeed("a"))
        assert.isUndefined(getters[2].pollUnsafe())
      }))

    it.effect("an item put while a getter waits is not taken by a newcomer's getNowait", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const getter = yield* Effect.forkChild(queue.get)
        yield* settle
        yield* queue.put(1)
        assert.strictEqual(tagOf(yield* Effect.exit(queue.getNowait)), "QueueEmpty")
        yield* settle
        assert.deepStrictEqual(getter.pollUnsafe(), Exit.succeed(1))
      }))
  })

  describe("interruption", () => {
    it.effect("an interrupted getter takes nothing: the next one gets the item (test_cancelled_getters_not_being_held_in_self_getters)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const first = yield* Effect.forkChild(queue.get)
        const second = yield* Effect.forkChild(queue.get)
        yield* settle
        yield* Fiber.interrupt(first)
        yield* queue.put(1)
        yield* settle
        assert.deepStrictEqual(second.pollUnsafe(), Exit.succeed(1))
      }))

    it.effect("a put hands the item to the first waiting getter in the same step: interrupting it then finds it done, and nothing is lost (test_get_cancelled_race)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const first = yield* Effect.forkChild(queue.get)
        const second = yield* Effect.forkChild(queue.get)
        yield* settle
        yield* queue.put(1)
        first.interruptUnsafe()
        yield* settle
        assert.deepStrictEqual(first.pollUnsafe(), Exit.succeed(1))
        assert.isUndefined(second.pollUnsafe())
        yield* queue.put(2)
        yield* settle
        assert.deepStrictEqual(second.pollUnsafe(), Exit.succeed(2))
      }))

    it.effect("items put after the only getter was interrupted stay in the queue", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const getter = yield* Effect.forkChild(queue.get)
        yield* settle
        getter.interruptUnsafe()
        yield* queue.put(1)
        yield* queue.put(2)
        yield* settle
        assert.isTrue(Exit.hasInterrupts(getter.pollUnsafe()!))
        assert.deepStrictEqual(yield* drain(queue), [1, 2])
      }))

    it.effect("an interrupted putter puts nothing; a get lets the next putter in, in the same step (test_cancelled_puts_not_being_held_in_self_putters, test_put_cancelled_race)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        yield* queue.put(0)
        const a = yield* Effect.forkChild(queue.put(1))
        const b = yield* Effect.forkChild(queue.put(2))
        const c = yield* Effect.forkChild(queue.put(3))
        yield* settle
        yield* Fiber.interrupt(a)
        assert.strictEqual(yield* queue.get, 0) // b's item goes in now
        b.interruptUnsafe()
        yield* settle
        assert.deepStrictEqual(b.pollUnsafe(), Exit.void, "b had put its item: the interruption came too late")
        assert.isUndefined(c.pollUnsafe())
        assert.strictEqual(yield* queue.get, 2)
        yield* settle
        assert.deepStrictEqual(c.pollUnsafe(), Exit.void)
        assert.deepStrictEqual(yield* drain(queue), [3])
      }))
  })

  describe("join and taskDone", () => {
    it.effect("join returns once every item put is marked done (test_task_done, test_join_empty_queue)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        yield* queue.join
        for (const i of [1, 2, 3]) yield* queue.put(i)
        const join = yield* Effect.forkChild(queue.join)
        yield* settle
        for (let i = 0; i < 3; i++) {
          yield* queue.get
          yield* settle
          assert.isUndefined(join.pollUnsafe())
          if (i < 2) yield* queue.taskDone
        }
        yield* queue.taskDone
        yield* settle
        assert.deepStrictEqual(join.pollUnsafe(), Exit.void)
      }))

    it.effect("workers with join: the program ends when all work is done (test_task_done with workers)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        let sum = 0
        const worker = Effect.forever(Effect.gen(function*() {
          sum += yield* queue.get
          yield* Effect.sleep(1)
          yield* queue.taskDone
        }))
        for (let i = 0; i < 3; i++) yield* Effect.forkChild(worker)
        for (let i = 1; i <= 100; i++) yield* queue.put(i)
        const join = yield* Effect.forkChild(queue.join)
        for (let t = 0; t < 34; t++) {
          yield* settle
          yield* TestClock.adjust(1)
        }
        yield* settle
        assert.deepStrictEqual(join.pollUnsafe(), Exit.void)
        assert.strictEqual(sum, 5050)
      }))
  })

  describe("shutdown (3.13)", () => {
    it.effect("after shutdown, put fails with QueueShutDown; get returns what is left, then fails with it (test_shutdown_nonempty)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        yield* queue.put(1)
        yield* queue.put(2)
        yield* queue.shutdown()
        assert.strictEqual(tagOf(yield* Effect.exit(queue.put(3))), "QueueShutDown")
        assert.strictEqual(tagOf(yield* Effect.exit(queue.putNowait(3))), "QueueShutDown")
        assert.deepStrictEqual([yield* queue.get, yield* queue.getNowait], [1, 2])
        assert.strictEqual(tagOf(yield* Effect.exit(queue.get)), "QueueShutDown")
        assert.strictEqual(tagOf(yield* Effect.exit(queue.getNowait)), "QueueShutDown")
      }))

    it.effect("blocked getters are woken with QueueShutDown (test_shutdown_empty)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const getters = [yield* Effect.forkChild(queue.get), yield* Effect.forkChild(queue.get)]
        yield* settle
        yield* queue.shutdown()
        yield* settle
        assert.deepStrictEqual(getters.map((g) => tagOf(g.pollUnsafe())), ["QueueShutDown", "QueueShutDown"])
      }))

    it.effect("blocked putters are woken with QueueShutDown; their items are not put", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        yield* queue.put(1)
        const putter = yield* Effect.forkChild(queue.put(2))
        yield* settle
        yield* queue.shutdown()
        yield* settle
        assert.strictEqual(tagOf(putter.pollUnsafe()), "QueueShutDown")
        assert.deepStrictEqual(yield* drain(queue), [1])
      }))

    it.effect("a putter let in by a get before shutdown has put its item: it stays for the getters", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        yield* queue.put(1)
        const putter = yield* Effect.forkChild(queue.put(2))
        yield* settle
        assert.strictEqual(yield* queue.get, 1) // lets the putter in
        yield* queue.shutdown()
        yield* settle
        assert.deepStrictEqual(putter.pollUnsafe(), Exit.void)
        assert.deepStrictEqual(yield* drain(queue), [2])
      }))

    it.effect("immediate shutdown drops what is left, counts it done for join, and fails every getter (test_shutdown_immediate, test_shutdown_immediate_with_unfinished)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        for (const i of [1, 2, 3]) yield* queue.put(i)
        yield* queue.get // taken, not yet done
        const join = yield* Effect.forkChild(queue.join)
        yield* settle
        yield* queue.shutdown({ immediate: true })
        yield* settle
        assert.strictEqual(yield* queue.qsize, 0)
        assert.strictEqual(tagOf(yield* Effect.exit(queue.get)), "QueueShutDown")
        assert.isUndefined(join.pollUnsafe(), "the taken item is still unfinished")
        yield* queue.taskDone
        yield* settle
        assert.deepStrictEqual(join.pollUnsafe(), Exit.void)
      }))

    it.effect("a getter handed an item keeps it through an immediate shutdown; join waits for its taskDone", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const getter = yield* Effect.forkChild(queue.get)
        yield* settle
        yield* queue.put(1)
        yield* queue.put(2)
        yield* queue.shutdown({ immediate: true })
        const join = yield* Effect.forkChild(queue.join)
        yield* settle
        assert.deepStrictEqual(getter.pollUnsafe(), Exit.succeed(1))
        assert.isUndefined(join.pollUnsafe(), "item 1 is not done; item 2 was dropped and counts as done")
        yield* queue.taskDone
        yield* settle
        assert.deepStrictEqual(join.pollUnsafe(), Exit.void)
      }))

    it.effect("taskDone and join keep working after shutdown", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        yield* queue.put(1)
        yield* queue.put(2)
        yield* queue.shutdown()
        const join = yield* Effect.forkChild(queue.join)
        yield* queue.get
        yield* queue.taskDone
        yield* queue.get
        yield* settle
        assert.isUndefined(join.pollUnsafe())
        yield* queue.taskDone
        yield* settle
        assert.deepStrictEqual(join.pollUnsafe(), Exit.void)
      }))

    it.effect("shutdown twice is harmless", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeLifoQueue<number>()
        yield* queue.shutdown()
        yield* queue.shutdown({ immediate: true })
        assert.strictEqual(tagOf(yield* Effect.exit(queue.get)), "QueueShutDown")
      }))
  })

  describe("CPython test_queues.py, case by case", () => {
    /** put, putNowait, get and getNowait all fail with QueueShutDown. */
    const assertShutDown = (q: aio.Queue<string>) =>
      Effect.gen(function*() {
        const attempts: ReadonlyArray<Effect.Effect<unknown, unknown>> = [
          q.put("data"),
          q.putNowait("data"),
          q.get,
          q.getNowait
        ]
        for (const attempt of attempts) assert.strictEqual(tagOf(yield* Effect.exit(attempt)), "QueueShutDown")
      })
    const kinds = [
      ["Queue", () => aio.makeQueue<string>()],
      ["LifoQueue", () => aio.makeLifoQueue<string>()],
      ["PriorityQueue", () => aio.makePriorityQueue<string>({ order: Order.String })]
    ] as const

    it.effect("a putter blocks after maxsize items and resumes when one is taken (test_maxsize)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 2 })
        const put: Array<number> = []
        const putter = yield* Effect.forkChild(
          Effect.forEach([0, 1, 2], (i) => Effect.andThen(queue.put(i), Effect.sync(() => put.push(i))))
        )
        yield* settle
        assert.deepStrictEqual(put, [0, 1])
        assert.strictEqual(yield* queue.get, 0)
        yield* settle
        assert.deepStrictEqual(put, [0, 1, 2])
        assert.deepStrictEqual([yield* queue.get, yield* queue.get], [1, 2])
        assert.isDefined(putter.pollUnsafe())
      }))

    it.effect("gets take the waiting putters' items in order (test_get_with_waiting_putters, test_why_are_putters_waiting)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<string>({ maxsize: 1 })
        yield* Effect.forkChild(queue.put("a"))
        yield* Effect.forkChild(queue.put("b"))
        yield* settle
        assert.deepStrictEqual([yield* queue.get, yield* queue.get], ["a", "b"])
      }))

    it.effect("a producer and a consumer through a queue of one never stall (test_why_are_getters_waiting)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        const both = yield* Effect.forkChild(aio.gather([
          Effect.forEach([0, 1, 2, 3, 4], (i) => queue.put(i), { discard: true }),
          Effect.replicateEffect(queue.get, 5)
        ]))
        yield* settle
        assert.deepStrictEqual(both.pollUnsafe(), Exit.succeed([undefined, [0, 1, 2, 3, 4]]))
      }))

    it.effect("a reader interrupted after two puts has the first item; nothing is dropped (test_get_cancel_drop_one_pending_reader)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const reader = yield* Effect.forkChild(queue.get)
        yield* settle
        yield* queue.putNowait(1)
        yield* queue.putNowait(2)
        yield* Fiber.interrupt(reader)
        // asyncio may cancel the reader and a retry gets 1; here the reader
        // was handed 1 by the put itself, so the interruption came too late.
        assert.deepStrictEqual(reader.pollUnsafe(), Exit.succeed(1))
        assert.strictEqual(yield* queue.get, 2)
      }))

    it.effect("readers interrupted around two puts: the two items go to two readers, none is dropped (test_get_cancel_drop_many_pending_readers)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        const readers = [
          yield* Effect.forkChild(queue.get),
          yield* Effect.forkChild(queue.get),
          yield* Effect.forkChild(queue.get)
        ]
        yield* settle
        yield* queue.putNowait(1)
        yield* queue.putNowait(2)
        yield* Fiber.interrupt(readers[0])
        const got = readers.map((r) => r.pollUnsafe()).filter((e) => e !== undefined && Exit.isSuccess(e)).map((e) =>
          (e as Exit.Success<number>).value
        )
        assert.deepStrictEqual(got.sort(), [1, 2])
        assert.strictEqual(yield* queue.qsize, 0)
        yield* Fiber.interrupt(readers[2])
      }))

    it.effect("a putter interrupted once a get made room either put its item or not, never half (test_put_cancel_drop, test_cancelled_put_silence_value_error_exception)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
        yield* queue.putNowait(1)
        const writer = yield* Effect.forkChild(queue.put(2))
        yield* settle
        assert.strictEqual(yield* queue.getNowait, 1) // lets the writer in, in the same step
        yield* Fiber.interrupt(writer)
        assert.deepStrictEqual(writer.pollUnsafe(), Exit.void)
        assert.strictEqual(yield* queue.getNowait, 2)
        assert.strictEqual(yield* queue.qsize, 0)
      }))

    it.effect("an interrupted putter behind another loses its place; the others go in order (test_put_cancelled_race)", () =>
      Effect.gen(function*() {
        const queue = yield* aio.makeQueue<string>({ maxsize: 1 })
        const putA = yield* Effect.forkChild(queue.put("a"))
        const putB = yield* Effect.forkChild(queue.put("b"))
        const putC = yield* Effect.forkChild(queue.put("X"))
        yield* settle
        assert.isDefined(putA.pollUnsafe())
        assert.isUndefined(putB.pollUnsafe())
        yield* Fiber.interrupt(putC)
        assert.strictEqual(yield* queue.getNowait, "a")
        yield* settle
        assert.strictEqual(yield* queue.getNowait, "b")
        yield* Fiber.join(putB)
        assert.strictEqual(yield* queue.qsize, 0)
      }))

    for (const [name, make] of kinds) {
      it.effect(`${name}: test_shutdown_empty`, () =>
        Effect.gen(function*() {
          const q = yield* make()
          const getTask = yield* Effect.forkChild(q.get)
          yield* settle
          yield* q.shutdown()
          assert.strictEqual(yield* q.qsize, 0)
          yield* q.join
          yield* settle
          assert.strictEqual(tagOf(getTask.pollUnsafe()), "QueueShutDown")
          yield* assertShutDown(q)
        }))

      it.effect(`${name}: test_shutdown_nonempty`, () =>
        Effect.gen(function*() {
          const q = name === "Queue"
            ? yield* aio.makeQueue<string>({ maxsize: 1 })
            : name === "LifoQueue"
            ? yield* aio.makeLifoQueue<string>({ maxsize: 1 })
            : yield* aio.makePriorityQueue<string>({ maxsize: 1, order: Order.String })
          yield* q.putNowait("data")
          const joinTask = yield* Effect.forkChild(q.join)
          const putTask = yield* Effect.forkChild(q.put("data2"))
          yield* settle
          assert.isUndefined(putTask.pollUnsafe())
          yield* q.shutdown()
          assert.strictEqual(yield* q.qsize, 1)
          yield* settle
          assert.strictEqual(tagOf(putTask.pollUnsafe()), "QueueShutDown")
          assert.strictEqual(yield* q.get, "data")
          yield* settle
          assert.isUndefined(joinTask.pollUnsafe())
          yield* assertShutDown(q)
          yield* q.taskDone
          yield* settle
          assert.deepStrictEqual(joinTask.pollUnsafe(), Exit.void)
          assert.isTrue(Exit.isFailure(yield* Effect.exit(q.taskDone)), "every item is done")
        }))

      it.effect(`${name}: test_shutdown_immediate`, () =>
        Effect.gen(function*() {
          const q = yield* make()
          yield* q.putNowait("data")
          const joinTask = yield* Effect.forkChild(q.join)
          yield* settle
          yield* q.shutdown({ immediate: true })
          assert.strictEqual(yield* q.qsize, 0)
          yield* settle
          assert.deepStrictEqual(joinTask.pollUnsafe(), Exit.void)
          yield* assertShutDown(q)
          assert.isTrue(Exit.isFailure(yield* Effect.exit(q.taskDone)), "no unfinished item")
        }))

      it.effect(`${name}: test_shutdown_immediate_with_unfinished`, () =>
        Effect.gen(function*() {
          const q = yield* make()
          yield* q.putNowait("data")
          yield* q.putNowait("data")
          const joinTask = yield* Effect.forkChild(q.join)
          assert.strictEqual(yield* q.get, "data")
          yield* q.shutdown({ immediate: true })
          assert.strictEqual(yield* q.qsize, 0)
          yield* settle
          assert.isUndefined(joinTask.pollUnsafe())
          yield* assertShutDown(q)
          yield* q.taskDone
          assert.isTrue(Exit.isFailure(yield* Effect.exit(q.taskDone)))
          yield* settle
          assert.deepStrictEqual(joinTask.pollUnsafe(), Exit.void)
        }))
    }
  })
})

describe("Queue's methods detached from the queue", () => {
  it.effect("put, putNowait and shutdown work point-free and destructured, as Effect's own functions do", () =>
    Effect.gen(function*() {
      const queue = yield* aio.makeQueue<number>()
      yield* Effect.forEach([1, 2], queue.put)
      yield* Effect.forEach([3], queue.putNowait)
      const { get, shutdown } = queue
      assert.deepStrictEqual([yield* get, yield* get, yield* get], [1, 2, 3])
      yield* shutdown()
      assert.deepStrictEqual(
        yield* Effect.exit(queue.put(4)),
        Exit.fail(new aio.QueueShutDown({ message: "Queue.put: the queue is shut down" }))
      )
    }))
})

describe("Queue and a fiber yielding between any two steps", () => {
  // A getter that found the queue empty (a putter that found it full), then
  // yielded before it joined the line, missed the put (the get) made
  // meanwhile and waited forever.
  it("a put made while a getter is joining the line reaches it", async () => {
    assert.deepStrictEqual(
      await atEveryYieldPoint((pad) =>
        Effect.gen(function*() {
          const queue = yield* aio.makeQueue<number>()
          const getter = yield* Effect.forkChild(pad(queue.get))
          yield* Effect.yieldNow
          yield* queue.put(1)
          return yield* Fiber.join(getter)
        })
      ),
      []
    )
  })

  it("a get made while a putter is joining the line reaches it", async () => {
    assert.deepStrictEqual(
      await atEveryYieldPoint((pad) =>
        Effect.gen(function*() {
          const queue = yield* aio.makeQueue<number>({ maxsize: 1 })
          yield* queue.put(0)
          const putter = yield* Effect.forkChild(pad(queue.put(1)))
          yield* Effect.yieldNow
          yield* queue.get
          yield* Fiber.join(putter)
          return yield* queue.get
        })
      ),
      []
    )
  })
})
