/**
 * `makeQueue`, `makePriorityQueue` and `makeLifoQueue`: asyncio's `Queue`,
 * `PriorityQueue` and `LifoQueue`, with 3.13's `shutdown`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import * as Latch from "effect/Latch"
import type * as Order from "effect/Order"
import { QueueEmpty, QueueFull, QueueShutDown } from "./errors.ts"
import { FifoBuffer, HeapBuffer, type ItemBuffer, LifoBuffer } from "./internal/itemBuffers.ts"
import { misuse, queueMaxsize, show } from "./internal/validate.ts"
import { WaiterLine } from "./internal/waiters.ts"

const TypeId = "~effect-asyncio/Queue" as const

/**
 * A queue of items for producer and consumer fibers, like `asyncio.Queue`,
 * `asyncio.PriorityQueue` and `asyncio.LifoQueue`. Users get one from
 * {@link makeQueue}, {@link makePriorityQueue} or {@link makeLifoQueue}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Queue<in out A> extends Inspectable.Inspectable {
  readonly [TypeId]: typeof TypeId
  /**
   * Puts an item, waiting in line while the queue is full
   * (`await queue.put(item)`). Fails with `QueueShutDown` once the queue is
   * shut down, also when it is shut down while this waits. Interrupted while
   * waiting, it puts nothing.
   */
  put(item: A): Effect.Effect<void, QueueShutDown>
  /**
   * Takes the next item, waiting in line while there is none
   * (`await queue.get()`). After `shutdown` it still returns what is left,
   * then fails with `QueueShutDown`. Interrupted while waiting, it takes
   * nothing.
   */
  readonly get: Effect.Effect<A, QueueShutDown>
  /** Puts an item or fails at once with `QueueFull` (`queue.put_nowait(item)`), or `QueueShutDown`. */
  putNowait(item: A): Effect.Effect<void, QueueFull | QueueShutDown>
  /**
   * Takes the next item or fails at once with `QueueEmpty`
   * (`queue.get_nowait()`), or with `QueueShutDown` on an empty queue that
   * is shut down.
   */
  readonly getNowait: Effect.Effect<A, QueueEmpty | QueueShutDown>
  /**
   * Marks one item taken as done (`queue.task_done()`), for `join`. Calling
   * it more times than items were put is misuse.
   */
  readonly taskDone: Effect.Effect<void>
  /** Waits until every item put has been marked done (`await queue.join()`). */
  readonly join: Effect.Effect<void>
  /** The number of items waiting to be taken (`queue.qsize()`). */
  readonly qsize: Effect.Effect<number>
  /** Whether no item waits to be taken (`queue.empty()`). */
  readonly empty: Effect.Effect<boolean>
  /** Whether a `put` would wait (`queue.full()`); never for an unbounded queue. */
  readonly full: Effect.Effect<boolean>
  /** The bound given (`queue.maxsize`): 0 or less means unbounded. */
  readonly maxsize: number
  /**
   * Shuts the queue down (asyncio 3.13's `queue.shutdown(immediate=False)`):
   * puts fail with `QueueShutDown` from now on and blocked putters are woken
   * with it; gets return what is left, then fail with it. With
   * `immediate: true`, what is left is dropped (each dropped item counts as
   * done for `join`) and every getter fails at once.
   */
  shutdown(options?: { readonly immediate?: boolean | undefined }): Effect.Effect<void>
}

/** The options of {@link makeQueue} and {@link makeLifoQueue}. */
export interface QueueOptions {
  /** The most items the queue holds; 0 (the default) or less means unbounded. */
  readonly maxsize?: number | undefined
}

/** The options of {@link makePriorityQueue}. */
export interface PriorityQueueOptions<A> extends QueueOptions {
  /** The order of the items: the smallest is taken first. */
  readonly order: Order.Order<A>
}

const shutDown = (method: string) => new QueueShutDown({ message: `Queue.${method}: the queue is shut down` })

class QueueImpl<in out A> extends Inspectable.Class implements Queue<A> {
  readonly [TypeId] = TypeId
  readonly kind: string
  readonly maxsize: number
  /** `maxsize` as a bound: `Infinity` when unbounded. */
  readonly bound: number
  readonly buffer: ItemBuffer<A>
  /** Items put and not yet marked done (asyncio's `_unfinished_tasks`). */
  unfinished = 0
  isShutdown = false
  /** asyncio's `_finished` event: open when every item put is done. */
  readonly finished = Latch.makeUnsafe(true)
  readonly getWoken: Exit.Exit<never, QueueShutDown> = Exit.fail(shutDown("get"))
  readonly putWoken: Exit.Exit<never, QueueShutDown> = Exit.fail(shutDown("put"))
  // Waiters are served inline: a getter is handed its item, a putter's item
  // is put, and the waiter resumes in the same step, so no waiter is ever
  // served and then interrupted before it could take what it was given.
  readonly getters = new WaiterLine<A, QueueShutDown>(undefined, { inline: true })
  /** Putters, with their items. */
  readonly putters = new WaiterLine<void, QueueShutDown, A>(undefined, { inline: true })

  constructor(kind: string, maxsize: number, bound: number, buffer: ItemBuffer<A>) {
    super()
    this.kind = kind
    this.maxsize = maxsize
    this.bound = bound
    this.buffer = buffer
  }

  isFull(): boolean {
    return this.buffer.size >= this.bound
  }

  /** Puts an item that has a place: to the first waiting getter (the queue is then empty), or in the buffer. */
  insert(fiber: Fiber.Fiber<unknown, unknown>, item: A): void {
    this.unfinished++
    this.finished.closeUnsafe()
    if (!this.getters.grantFirst(fiber, Exit.succeed(item))) this.buffer.push(item)
  }

  /** Takes the next item (there is one), then lets the first waiting putter put its item. */
  takeItem(fiber: Fiber.Fiber<unknown, unknown>): A {
    const item = this.buffer.take()
    const putter = this.putters.first()
    if (putter !== undefined && !this.isFull()) {
      this.insert(fiber, putter.value)
      this.putters.grant(fiber, putter, Exit.void)
    }
    return item
  }

  readonly put = (item: A): Effect.Effect<void, QueueShutDown> =>
    Effect.withFiber((fiber) => this.putNow(fiber, item) ?? this.putters.wait(item, () => this.putNow(fiber, item)))

  /** Puts `item` if it need not wait: the outcome, or `undefined` to wait in line. */
  putNow(fiber: Fiber.Fiber<unknown, unknown>, item: A): Effect.Effect<void, QueueShutDown> | undefined {
    if (this.isShutdown) return Effect.fail(shutDown("put"))
    if (this.putters.size === 0 && !this.isFull()) {
      this.insert(fiber, item)
      return Effect.void
    }
    return undefined
  }

  readonly putNowait = (item: A): Effect.Effect<void, QueueFull | QueueShutDown> =>
    Effect.withFiber<void, QueueFull | QueueShutDown>((fiber) => {
      if (this.isShutdown) return Effect.fail(shutDown("putNowait"))
      if (this.isFull()) {
        return Effect.fail(new QueueFull({ message: `Queue.putNowait: the queue is full (maxsize ${this.maxsize})` }))
      }
      this.insert(fiber, item)
      return Effect.void
    })

  readonly get: Effect.Effect<A, QueueShutDown> = Effect.withFiber((fiber) =>
    this.getNow(fiber) ?? this.getters.wait(undefined, () => this.getNow(fiber))
  )

  /** Takes an item if it need not wait: the outcome, or `undefined` to wait in line. */
  getNow(fiber: Fiber.Fiber<unknown, unknown>): Effect.Effect<A, QueueShutDown> | undefined {
    if (this.buffer.size > 0) return Effect.succeed(this.takeItem(fiber))
    if (this.isShutdown) return Effect.fail(shutDown("get"))
    return undefined
  }

  readonly getNowait: Effect.Effect<A, QueueEmpty | QueueShutDown> = Effect.withFiber<A, QueueEmpty | QueueShutDown>(
    (fiber) => {
      if (this.buffer.size > 0) return Effect.succeed(this.takeItem(fiber))
      if (this.isShutdown) return Effect.fail(shutDown("getNowait"))
      return Effect.fail(new QueueEmpty({ message: "Queue.getNowait: the queue is empty" }))
    }
  )

  readonly taskDone: Effect.Effect<void> = Effect.suspend(() => {
    if (this.unfinished <= 0) {
      return Effect.die(misuse("Queue.taskDone: called more times than items were put"))
    }
    this.unfinished--
    return this.unfinished === 0 ? Effect.asVoid(this.finished.open) : Effect.void
  })

  readonly join: Effect.Effect<void> = this.finished.await
  readonly qsize: Effect.Effect<number> = Effect.sync(() => this.buffer.size)
  readonly empty: Effect.Effect<boolean> = Effect.sync(() => this.buffer.size === 0)
  readonly full: Effect.Effect<boolean> = Effect.sync(() => this.isFull())

  readonly shutdown = (options?: { readonly immediate?: boolean | undefined }): Effect.Effect<void> =>
    Effect.withFiber((fiber) => {
      this.isShutdown = true
      if (options?.immediate === true) {
        const dropped = this.buffer.clear()
        this.unfinished = Math.max(0, this.unfinished - dropped)
      }
      this.getters.grantAll(fiber, this.getWoken)
      this.putters.grantAll(fiber, this.putWoken)
      return options?.immediate === true && this.unfinished === 0 ? Effect.asVoid(this.finished.open) : Effect.void
    })

  toJSON(): unknown {
    return {
      _id: this.kind,
      maxsize: this.maxsize,
      qsize: this.buffer.size,
      unfinished: this.unfinished,
      shutdown: this.isShutdown,
      getters: this.getters.size,
      putters: this.putters.size
    }
  }
}

const make = <A>(
  fn: string,
  kind: string,
  options: QueueOptions | undefined,
  buffer: () => ItemBuffer<A>
): Effect.Effect<Queue<A>> =>
  Effect.sync(() => {
    const bound = queueMaxsize(fn, options?.maxsize)
    return new QueueImpl<A>(kind, options?.maxsize ?? 0, bound, buffer())
  })

/**
 * Makes a first-in first-out queue, like `asyncio.Queue(maxsize)`.
 *
 * **When to use**
 *
 * Use to pass work between fibers: producers `put`, a pool of worker fibers
 * `get`, each worker calls `taskDone` when an item is handled, and `join`
 * waits until all of it is. `shutdown` ends the workers' loops.
 *
 * **Details**
 *
 * - Items come out in the order they went in. Getters and putters that wait
 *   are served in the order they came (FIFO), and a newcomer never overtakes
 *   a waiter.
 * - `maxsize` bounds the queue: `put` waits while it is full, `putNowait`
 *   fails with `QueueFull`. 0 (the default) or less means unbounded.
 * - `join` waits until every item put has been marked done with `taskDone`
 *   (or dropped by an immediate shutdown); it returns at once on a queue
 *   with nothing unfinished.
 * - `shutdown()` (asyncio 3.13): `put`/`putNowait` fail with `QueueShutDown`
 *   from then on and blocked putters are woken with it; `get`/`getNowait`
 *   return what is left and then fail with `QueueShutDown` (not
 *   `QueueEmpty`), and blocked getters are woken with it.
 *   `shutdown({ immediate: true })` also drops what is left, counting each
 *   dropped item as done.
 * - Interruption: a waiting `get` or `put` that is interrupted takes or puts
 *   nothing, and no item is lost. A waiter is served in one step: a waiting
 *   getter is handed its item and resumes at once, a waiting putter's item
 *   is put and it resumes at once, so an interruption finds it either still
 *   waiting (it leaves the line) or done.
 *
 * **Gotchas**
 *
 * A fractional or NaN `maxsize` is misuse (asyncio accepts 1.3): the effect
 * dies with `Cause.IllegalArgumentError`, as does `taskDone` called more
 * times than items were put (asyncio raises `ValueError`). Unlike asyncio,
 * where a woken getter takes an item only when it next runs (so a
 * `get_nowait` can take it first and send the getter back to the end of the
 * line), the waiter that came first is handed the item at once.
 *
 * **Example** (Workers, join and shutdown)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const queue = yield* aio.makeQueue<number>()
 *   const done: Array<number> = []
 *   const worker = Effect.forever(Effect.gen(function*() {
 *     const n = yield* queue.get
 *     yield* Effect.sleep(n)
 *     done.push(n)
 *     yield* queue.taskDone
 *   }))
 *   const workers = [yield* aio.createTask(worker), yield* aio.createTask(worker)]
 *   for (const n of [30, 10, 20]) yield* queue.put(n)
 *
 *   yield* queue.join
 *   yield* queue.shutdown()
 *   yield* aio.wait(workers)
 *   return done
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ 10, 30, 20 ]
 * ```
 *
 * @see {@link makePriorityQueue}, {@link makeLifoQueue}
 * @category constructors
 * @since 0.1.0
 */
export const makeQueue = <A>(options?: QueueOptions): Effect.Effect<Queue<A>> =>
  make("makeQueue", "Queue", options, () => new FifoBuffer<A>())

/**
 * Makes a priority queue, like `asyncio.PriorityQueue(maxsize)`: the
 * smallest item by `order` comes out first.
 *
 * **When to use**
 *
 * Use when some work must go first: urgent jobs, the earliest deadline.
 *
 * **Details**
 *
 * Everything is as for {@link makeQueue}, except the order of the items:
 * smallest first by the Effect `Order` given, and equal items in the order
 * they were put (asyncio's heap does not promise that; it compares
 * `(priority, item)` tuples instead).
 *
 * **Gotchas**
 *
 * `order` is required: there is no natural order of arbitrary values, as
 * Python has for tuples.
 *
 * **Example** (Smallest first)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Order } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const queue = yield* aio.makePriorityQueue<number>({ order: Order.Number })
 *   for (const n of [3, 1, 2]) yield* queue.put(n)
 *   return [yield* queue.get, yield* queue.get, yield* queue.get]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ 1, 2, 3 ]
 * ```
 *
 * @see {@link makeQueue}
 * @category constructors
 * @since 0.1.0
 */
export const makePriorityQueue = <A>(options: PriorityQueueOptions<A>): Effect.Effect<Queue<A>> =>
  Effect.suspend(() => {
    const order = options?.order
    if (typeof order !== "function") {
      return Effect.die(misuse(`makePriorityQueue: order must be an Order, got ${show(order)}`))
    }
    return make("makePriorityQueue", "PriorityQueue", options, () => new HeapBuffer<A>(order))
  })

/**
 * Makes a last-in first-out queue, like `asyncio.LifoQueue(maxsize)`: the
 * item put last comes out first.
 *
 * **When to use**
 *
 * Use for depth-first work, or when the freshest item matters most.
 *
 * **Details**
 *
 * Everything is as for {@link makeQueue}, except that items come out newest
 * first. Waiting fibers are still served first come, first served.
 *
 * **Example** (Newest first)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const stack = yield* aio.makeLifoQueue<string>()
 *   for (const s of ["a", "b", "c"]) yield* stack.put(s)
 *   return [yield* stack.get, yield* stack.get, yield* stack.get]
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => [ "c", "b", "a" ]
 * ```
 *
 * @see {@link makeQueue}
 * @category constructors
 * @since 0.1.0
 */
export const makeLifoQueue = <A>(options?: QueueOptions): Effect.Effect<Queue<A>> =>
  make("makeLifoQueue", "LifoQueue", options, () => new LifoBuffer<A>())
