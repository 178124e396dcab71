/**
 * SPEC "Errors on bad input": every misuse dies at once with
 * `Cause.IllegalArgumentError` whose message names the function, the
 * argument and the rule; it never hangs, never starts a fiber, never runs any
 * of the work it was given. Beside the table, the boundary values that are
 * not misuse and must behave as SPEC says.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Duration, Effect, Exit, type Fiber, Metric, Order, Stream, SubscriptionRef } from "effect"
import * as aio from "effect-asyncio"
import { advance, FiberCounter, makeStartProbe, settle, squashesToTimeout } from "./utils/fixtures.ts"

/**
 * Runs a misuse and checks it: it ends at once (no time passes), dies with
 * an `IllegalArgumentError` carrying exactly `message` and nothing else, and
 * leaves no fiber behind. `streams` run inside a fiber of their own, so only
 * "no fiber left" is required of them, not "no fiber started".
 */
const assertMisuse = (
  effect: Effect.Effect<unknown, unknown>,
  message: string,
  options?: { readonly stream?: boolean }
) =>
  Effect.gen(function*() {
    const counter = new FiberCounter()
    const before = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.forkChild(Effect.provideService(effect, Metric.FiberRuntimeMetrics, counter), {
      startImmediately: true
    })
    yield* settle
    const exit = fiber.pollUnsafe()
    assert.isDefined(exit, "misuse ends at once: it never hangs")
    assert.strictEqual(yield* Clock.currentTimeMillis, before)
    assert.isTrue(Exit.isFailure(exit!), "misuse is a failure")
    const reasons = (exit as Exit.Failure<unknown, unknown>).cause.reasons
    assert.strictEqual(reasons.length, 1, `one reason: ${Cause.pretty((exit as Exit.Failure<unknown, unknown>).cause)}`)
    assert.isTrue(Cause.isDieReason(reasons[0]), "a defect, not a typed failure")
    const defect = (reasons[0] as Cause.Die).defect
    assert.isTrue(Cause.isIllegalArgumentError(defect), "an IllegalArgumentError")
    assert.strictEqual((defect as Cause.IllegalArgumentError).message, message)
    assert.strictEqual(counter.live, 0, "no fiber left running")
    if (options?.stream !== true) assert.strictEqual(counter.started, 0, "validation happens before any fiber starts")
  })

const task = (effect: Effect.Effect<number> = Effect.never) => aio.createTask(effect)

// A group's handle used outside its body: its `createTask` still carries the
// group's task-error marker in its requirements, which only `taskGroup` removes.
const outsideItsGroup = <A, E>(effect: Effect.Effect<A, E, aio.TaskGroup.TaskErrors<unknown>>) =>
  effect as Effect.Effect<A, E>

/** A row of the table: the misuse, in the situation it needs, and the message it must die with. */
interface Row {
  readonly name: string
  readonly message: string
  readonly stream?: boolean
  /** Builds the situation and the misuse; the probes given must never start. */
  readonly misuse: (probe: Effect.Effect<number>) => Effect.Effect<Effect.Effect<unknown, unknown>>
}

const now = (misuse: Effect.Effect<unknown, unknown>) => Effect.succeed(misuse)
const bad = <T>(value: unknown): T => value as T

const nanDuration: ReadonlyArray<readonly [string, Duration.Input, string]> = [
  ["NaN", NaN, "NaN"],
  ["\"NaN millis\"", bad<Duration.Input>("NaN millis"), "\"NaN millis\""],
  ["{ seconds: NaN }", bad<Duration.Input>({ seconds: NaN }), "an object"]
]

const table: ReadonlyArray<Row> = [
  // NaN durations and deadlines ---------------------------------------------
  ...nanDuration.flatMap(([label, input, shown]): Array<Row> => [
    {
      name: `wait with a timeout of ${label}`,
      message: `wait: timeout must be a finite duration or null, got ${shown}`,
      misuse: () => Effect.map(task(), (t) => aio.wait([t], { timeout: input }))
    },
    {
      name: `waitFor with a timeout of ${label}`,
      message: `waitFor: timeout must be a finite duration or null, got ${shown}`,
      misuse: (probe) => now(aio.waitFor(probe, input))
    },
    {
      name: `timeout with a delay of ${label}`,
      message: `timeout: delay must be a finite duration or null, got ${shown}`,
      misuse: (probe) => now(aio.timeout(input, probe))
    },
    {
      name: `asCompleted with a timeout of ${label}`,
      message: `asCompleted: timeout must be a finite duration or null, got ${shown}`,
      stream: true,
      misuse: (probe) => now(Stream.runDrain(aio.asCompleted([probe], { timeout: input })))
    },
    {
      name: `asCompletedTasks with a timeout of ${label}`,
      message: `asCompletedTasks: timeout must be a finite duration or null, got ${shown}`,
      stream: true,
      misuse: () => Effect.map(task(), (t) => Stream.runDrain(aio.asCompletedTasks([t], { timeout: input })))
    }
  ]),
  {
    name: "timeoutAt with a NaN deadline",
    message: "timeoutAt: deadline must be a number of milliseconds or null, got NaN",
    misuse: (probe) => now(aio.timeoutAt(NaN, probe))
  },
  {
    name: "Timeout.reschedule to NaN, on an open scope",
    message: "Timeout.reschedule: deadline must be a number of milliseconds or null, got NaN",
    misuse: () => openScope((t) => t.reschedule(NaN))
  },
  // Concurrency that is not a whole number of at least 1 --------------------
  ...[0, 1.5, -1, NaN, bad<number>("2")].flatMap((n): Array<Row> => {
    const shown = typeof n === "string" ? `"${n}"` : String(n)
    return [
      {
        name: `gather with a concurrency of ${shown}`,
        message: `gather: concurrency must be a whole number of at least 1 or "unbounded", got ${shown}`,
        misuse: (probe) => now(aio.gather([probe], { concurrency: n }))
      },
      {
        name: `asCompleted with a concurrency of ${shown}`,
        message: `asCompleted: concurrency must be a whole number of at least 1 or "unbounded", got ${shown}`,
        stream: true,
        misuse: (probe) => now(Stream.runDrain(aio.asCompleted([probe], { concurrency: n })))
      }
    ]
  }),
  // A progress option that is not a SubscriptionRef of Progress counts ---------
  ...[{ total: 0 }, "ref"].flatMap((progress): Array<Row> => {
    const shown = typeof progress === "string" ? `"${progress}"` : "an object"
    const message = (fn: string) =>
      `${fn}: progress must be a SubscriptionRef of Progress counts (makeProgress()), got ${shown}`
    const option = { progress: bad<SubscriptionRef.SubscriptionRef<aio.Progress>>(progress) }
    return [
      {
        name: `gather with progress ${shown}`,
        message: message("gather"),
        misuse: (probe) => now(aio.gather([probe], option))
      },
      {
        name: `taskGroup with progress ${shown}`,
        message: message("taskGroup"),
        misuse: (probe) => now(aio.taskGroup(() => probe, option))
      },
      {
        name: `asCompleted with progress ${shown}`,
        message: message("asCompleted"),
        stream: true,
        misuse: (probe) => now(Stream.runDrain(aio.asCompleted([probe], option)))
      }
    ]
  }),
  {
    name: "gather with progress in a SubscriptionRef of a number",
    message:
      "gather: progress must be a SubscriptionRef of Progress counts (makeProgress()), got a SubscriptionRef of 0",
    misuse: (probe) =>
      Effect.map(
        SubscriptionRef.make(0),
        (ref) => aio.gather([probe], { progress: bad<SubscriptionRef.SubscriptionRef<aio.Progress>>(ref) })
      )
  },
  // Unknown returnWhen --------------------------------------------------------
  ...["SOMETIMES", "first_completed", ""].map((returnWhen): Row => ({
    name: `wait with returnWhen ${JSON.stringify(returnWhen)}`,
    message: `wait: returnWhen must be one of ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION or quorum(k), got ${
      JSON.stringify(returnWhen)
    }`,
    misuse: () => Effect.map(task(), (t) => aio.wait([t], { returnWhen: bad<aio.ReturnWhen>(returnWhen) }))
  })),
  // quorum(k) out of its bounds -------------------------------------------------
  ...[0, 3, 1.5, -1, NaN, bad<number>("2")].map((k): Row => {
    const shown = typeof k === "string" ? `"${k}"` : String(k)
    return {
      name: `wait with quorum(${shown}) over two distinct tasks`,
      message: `wait: quorum(k) needs a whole number k from 1 to the number of distinct tasks (2), got ${shown}`,
      misuse: () =>
        Effect.map(Effect.all([task(), task()]), ([a, b]) => aio.wait([a, b, a], { returnWhen: aio.quorum(k) }))
    }
  }),
  // Task functions given something that is not a fiber -------------------------
  ...Object.entries({
    cancel: aio.cancel,
    isDone: aio.isDone,
    isCancelled: aio.isCancelled,
    result: aio.result,
    exception: aio.exception
  }).flatMap(([fn, call]): Array<Row> =>
    [[42, "42"], [undefined, "undefined"], [Effect.void, "an Effect"]].map(([value, shown]) => ({
      name: `${fn} on ${shown}`,
      message: `${fn}: task must be a fiber, got ${shown}`,
      misuse: () => now(call(bad<Fiber.Fiber<number>>(value)))
    }))
  ),
  {
    name: "createTask on something that is not an effect",
    message: "createTask: effect must be an Effect, got 42",
    misuse: () => now(aio.createTask(bad<Effect.Effect<number>>(42)))
  },
  // Empty wait ----------------------------------------------------------------
  { name: "wait on an empty array", message: "wait: tasks must not be empty", misuse: () => now(aio.wait([])) },
  {
    name: "wait on an empty Set",
    message: "wait: tasks must not be empty",
    misuse: () => now(aio.wait(new Set<Fiber.Fiber<number>>()))
  },
  {
    name: "wait on an empty generator",
    message: "wait: tasks must not be empty",
    misuse: () => now(aio.wait((function*(): Generator<Fiber.Fiber<number>> {})()))
  },
  // Task groups that no longer take tasks -------------------------------------
  {
    name: "createTask on a task group that is shutting down (a task failed, another is still cleaning up)",
    message: "TaskGroup.createTask: cannot create a task, the task group is shutting down",
    misuse: (probe) => Effect.map(groupHandle("shutting down"), (tg) => outsideItsGroup(tg.createTask(probe)))
  },
  {
    name: "createTask on a task group that has finished",
    message: "TaskGroup.createTask: cannot create a task, the task group is finished",
    misuse: (probe) => Effect.map(groupHandle("finished"), (tg) => outsideItsGroup(tg.createTask(probe)))
  },
  {
    name: "createTask through a handle kept after its group failed",
    message: "TaskGroup.createTask: cannot create a task, the task group is finished",
    misuse: (probe) => Effect.map(groupHandle("failed"), (tg) => outsideItsGroup(tg.createTask(probe)))
  },
  // Timeout scopes that no longer move ----------------------------------------
  {
    name: "Timeout.reschedule on a scope that has finished",
    message: "Timeout.reschedule: cannot reschedule a timeout scope that has finished",
    misuse: () => Effect.map(scopeHandle("finished"), (t) => t.reschedule(1000))
  },
  {
    name: "Timeout.reschedule on a scope that has expired and finished",
    message: "Timeout.reschedule: cannot reschedule a timeout scope that has finished",
    misuse: () => Effect.map(scopeHandle("expired"), (t) => t.reschedule(1000))
  },
  {
    name: "Timeout.reschedule on a scope that has expired (its body still cleaning up)",
    message: "Timeout.reschedule: cannot reschedule a timeout scope that has expired",
    misuse: () => Effect.map(scopeHandle("expiring"), (t) => t.reschedule(1000))
  },
  {
    name: "Timeout.reschedule to null on a scope that has finished",
    message: "Timeout.reschedule: cannot reschedule a timeout scope that has finished",
    misuse: () => Effect.map(scopeHandle("finished"), (t) => t.reschedule(null))
  },
  // Inputs of the wrong kind ----------------------------------------------------
  {
    name: "wait on a number",
    message: "wait: tasks must be an iterable of fibers, got 42",
    misuse: () => now(aio.wait(bad<Iterable<Fiber.Fiber<number>>>(42)))
  },
  {
    name: "wait on null",
    message: "wait: tasks must be an iterable of fibers, got null",
    misuse: () => now(aio.wait(bad<Iterable<Fiber.Fiber<number>>>(null)))
  },
  {
    name: "wait on undefined",
    message: "wait: tasks must be an iterable of fibers, got undefined",
    misuse: () => now(aio.wait(bad<Iterable<Fiber.Fiber<number>>>(undefined)))
  },
  {
    name: "wait on effects instead of tasks",
    message: "wait: tasks must contain only fibers, got an Effect at index 1 (start it with createTask first)",
    misuse: (probe) => Effect.map(task(), (t) => aio.wait(bad<Iterable<Fiber.Fiber<number>>>([t, probe])))
  },
  {
    name: "asCompletedTasks on a number",
    message: "asCompletedTasks: tasks must be an iterable of fibers, got 42",
    stream: true,
    misuse: () => now(Stream.runDrain(aio.asCompletedTasks(bad<Iterable<Fiber.Fiber<number>>>(42))))
  },
  {
    name: "asCompletedTasks on an effect instead of a task (the effect never starts)",
    message:
      "asCompletedTasks: tasks must contain only fibers, got an Effect at index 0 (start it with createTask first)",
    stream: true,
    misuse: (probe) => now(Stream.runDrain(aio.asCompletedTasks(bad<Iterable<Fiber.Fiber<number>>>([probe]))))
  },
  {
    name: "gather on a number",
    message: "gather: effects must be an iterable or a record of effects, got 42",
    misuse: () => now(aio.gather(bad<Array<Effect.Effect<number>>>(42)))
  },
  {
    name: "gather on undefined",
    message: "gather: effects must be an iterable or a record of effects, got undefined",
    misuse: () => now(aio.gather(bad<Array<Effect.Effect<number>>>(undefined)))
  },
  {
    name: "gather on an array holding a number after an effect (the effect never starts)",
    message: "gather: effects must contain only effects or tasks, got 1 at index 1",
    misuse: (probe) => now(aio.gather(bad<Array<Effect.Effect<number>>>([probe, 1])))
  },
  {
    name: "gather on a record holding a string",
    message: "gather: effects must contain only effects or tasks, got \"x\" at index 1",
    misuse: (probe) => now(aio.gather(bad<Record<string, Effect.Effect<number>>>({ a: probe, b: "x" })))
  },
  {
    name: "asCompleted on a number",
    message: "asCompleted: effects must be an iterable of effects, got 42",
    stream: true,
    misuse: () => now(Stream.runDrain(aio.asCompleted(bad<Iterable<Effect.Effect<number>>>(42))))
  },
  {
    name: "asCompleted on an array holding a number after an effect (the effect never starts)",
    message: "asCompleted: effects must contain only effects, got 1 at index 1",
    stream: true,
    misuse: (probe) => now(Stream.runDrain(aio.asCompleted(bad<Iterable<Effect.Effect<number>>>([probe, 1]))))
  },
  {
    name: "asCompleted on an array holding a string after an effect (the effect never starts)",
    message: "asCompleted: effects must contain only effects, got \"x\" at index 1",
    stream: true,
    misuse: (probe) => now(Stream.runDrain(aio.asCompleted(bad<Iterable<Effect.Effect<number>>>([probe, "x"]))))
  },
  {
    name: "timeout on a body that is neither an effect nor a function",
    message: "timeout: body must be an Effect or a function returning one, got 42",
    misuse: () => now(aio.timeout(10, bad<Effect.Effect<number>>(42)))
  },
  {
    name: "timeoutAt on a body that is neither an effect nor a function",
    message: "timeoutAt: body must be an Effect or a function returning one, got null",
    misuse: () => now(aio.timeoutAt(10, bad<Effect.Effect<number>>(null)))
  }
]

/** The synchronization primitives and the executor (issue 12). */
const syncTable: ReadonlyArray<Row> = [
  ...[-1, 1.5, NaN, bad<number>("1")].flatMap((value): Array<Row> => {
    const shown = typeof value === "string" ? `"${value}"` : String(value)
    return [
      {
        name: `makeSemaphore with a value of ${shown}`,
        message: `makeSemaphore: value must be a whole number of at least 0, got ${shown}`,
        misuse: () => now(aio.makeSemaphore(value))
      },
      {
        name: `makeBoundedSemaphore with a value of ${shown}`,
        message: `makeBoundedSemaphore: value must be a whole number of at least 0, got ${shown}`,
        misuse: () => now(aio.makeBoundedSemaphore(value))
      }
    ]
  }),
  ...[0, -2, 1.5, NaN].map((parties): Row => ({
    name: `makeBarrier with ${parties} parties`,
    message: `makeBarrier: parties must be a whole number of at least 1, got ${parties}`,
    misuse: () => now(aio.makeBarrier(parties))
  })),
  ...[1.5, NaN, -0.5].flatMap((maxsize): Array<Row> => [
    {
      name: `makeQueue with a maxsize of ${maxsize}`,
      message: `makeQueue: maxsize must be a whole number (0 or less for unbounded), got ${maxsize}`,
      misuse: () => now(aio.makeQueue({ maxsize }))
    },
    {
      name: `makeLifoQueue with a maxsize of ${maxsize}`,
      message: `makeLifoQueue: maxsize must be a whole number (0 or less for unbounded), got ${maxsize}`,
      misuse: () => now(aio.makeLifoQueue({ maxsize }))
    },
    {
      name: `makePriorityQueue with a maxsize of ${maxsize}`,
      message: `makePriorityQueue: maxsize must be a whole number (0 or less for unbounded), got ${maxsize}`,
      misuse: () => now(aio.makePriorityQueue({ maxsize, order: Order.Number }))
    }
  ]),
  {
    name: "makePriorityQueue without an order",
    message: "makePriorityQueue: order must be an Order, got undefined",
    misuse: () => now(aio.makePriorityQueue(bad<{ order: Order.Order<number> }>({})))
  },
  {
    name: "Lock.release on a lock that is not locked",
    message: "Lock.release: cannot release a lock that is not locked",
    misuse: () => Effect.map(aio.makeLock(), (lock) => lock.release)
  },
  {
    name: "Lock.release once more after acquire and release",
    message: "Lock.release: cannot release a lock that is not locked",
    misuse: () =>
      Effect.gen(function*() {
        const lock = yield* aio.makeLock()
        yield* lock.acquire
        yield* lock.release
        return lock.release
      })
  },
  {
    name: "BoundedSemaphore.release above the initial value",
    message: "BoundedSemaphore.release: cannot release above the initial value 2",
    misuse: () =>
      Effect.gen(function*() {
        const sem = yield* aio.makeBoundedSemaphore(2)
        yield* sem.acquire
        yield* sem.release
        return sem.release
      })
  },
  {
    name: "Queue.taskDone called more times than items were put",
    message: "Queue.taskDone: called more times than items were put",
    misuse: () =>
      Effect.orDie(Effect.gen(function*() {
        const queue = yield* aio.makeQueue<number>()
        yield* queue.put(1)
        yield* queue.get
        yield* queue.taskDone
        return queue.taskDone
      }))
  },
  {
    name: "Queue.taskDone on a queue nothing was put in",
    message: "Queue.taskDone: called more times than items were put",
    misuse: () => Effect.map(aio.makeQueue<number>(), (queue) => queue.taskDone)
  },
  ...(["wait", "notify", "notifyAll", "waitFor"] as const).map((method): Row => ({
    name: `Condition.${method} while the lock is not locked`,
    message: `Condition.${method}: cannot ${method === "waitFor" ? "wait" : method}, the lock is not locked`,
    misuse: (probe) =>
      Effect.map(aio.makeCondition(), (cond) =>
        method === "wait"
          ? cond.wait
          : method === "notify"
          ? cond.notify()
          : method === "notifyAll"
          ? cond.notifyAll
          : cond.waitFor(probe))
  })),
  {
    name: "Condition.notify with a negative n",
    message: "Condition.notify: n must be a whole number of at least 0, got -1",
    misuse: () => Effect.map(aio.makeCondition(), (cond) => cond.withLock(cond.notify(-1)))
  },
  {
    name: "makeCondition with a lock that is not a Lock",
    message: "makeCondition: lock must be a Lock made by makeLock, got an object",
    misuse: () => now(aio.makeCondition(bad<aio.Lock>({ acquire: Effect.void })))
  },
  {
    name: "sleep for NaN",
    message: "sleep: duration must be a finite duration or null, got NaN",
    misuse: () => now(aio.sleep(NaN))
  },
  {
    name: "sleep for undefined",
    message: "sleep: duration must be a duration, got undefined",
    misuse: () => now(aio.sleep(bad<Duration.Input>(undefined)))
  },
  ...[0, 1.5, NaN].map((maxWorkers): Row => ({
    name: `makeExecutor with ${maxWorkers} workers`,
    message: `makeExecutor: maxWorkers must be a whole number of at least 1, got ${maxWorkers}`,
    misuse: () => now(Effect.scoped(aio.makeExecutor({ maxWorkers })))
  })),
  {
    name: "toThread with a relative path",
    message:
      "toThread: module must be a URL or an absolute path (build it with new URL(\"./jobs.ts\", import.meta.url)), got \"./jobs.ts\"",
    misuse: () => now(aio.toThread("./jobs.ts", "add", 1, 2))
  },
  {
    name: "toThread with a function name that is not a string",
    message: "toThread: name must be a string, got 42",
    misuse: () => now(aio.toThread(new URL("./fixtures/jobs.ts", import.meta.url), bad<string>(42)))
  }
]

/** Runs `f` on the handle of a scope that is open (the body waits). */
const openScope = (f: (t: aio.Timeout) => Effect.Effect<unknown, unknown>) =>
  Effect.gen(function*() {
    let handle: aio.Timeout | undefined
    yield* Effect.forkChild(aio.timeout(1000, (t) => Effect.andThen(Effect.sync(() => (handle = t)), Effect.never)))
    yield* settle
    return f(handle!)
  })

/** The handle of a task group in a given state, kept by an outside fiber. */
const groupHandle = (state: "shutting down" | "finished" | "failed") =>
  Effect.gen(function*() {
    let handle: aio.TaskGroup | undefined
    const group = yield* Effect.forkChild(aio.taskGroup((tg) =>
      Effect.gen(function*() {
        handle = tg
        if (state === "finished") return
        yield* tg.createTask(Effect.andThen(Effect.sleep(1), Effect.fail("boom")))
        // Interrupted at 1, this task takes 10 ms to clean up: the group is
        // shutting down until then.
        yield* tg.createTask(Effect.ensuring(Effect.never, Effect.sleep(10)))
        yield* Effect.never
      })
    ))
    yield* advance(state === "shutting down" ? 2 : 20)
    assert.strictEqual(group.pollUnsafe() === undefined, state === "shutting down")
    return handle!
  })

/**
 * The handle of a timeout scope that has finished in time, has expired and
 * finished, or is expiring (its body cleaning up).
 */
const scopeHandle = (state: "finished" | "expired" | "expiring") =>
  Effect.gen(function*() {
    let handle: aio.Timeout | undefined
    const scope = yield* Effect.forkChild(aio.timeout(1, (t) =>
      Effect.andThen(
        Effect.sync(() => (handle = t)),
        state === "finished"
          ? Effect.void
          : state === "expired"
          ? Effect.never
          : Effect.ensuring(Effect.never, Effect.sleep(10))
      )))
    yield* advance(2)
    assert.strictEqual(scope.pollUnsafe() === undefined, state === "expiring")
    assert.strictEqual(yield* handle!.expired, state !== "finished")
    return handle!
  })

describe("misuse", () => {
  describe("dies with IllegalArgumentError, at once, starting nothing", () => {
    for (const row of [...table, ...syncTable]) {
      it.effect(`${row.name}: "${row.message}"`, () =>
        Effect.gen(function*() {
          const probe = makeStartProbe()
          const misuse = yield* row.misuse(probe.effect)
          yield* assertMisuse(misuse, row.message, row.stream === true ? { stream: true } : undefined)
          // Let the situation wind down (a group or scope still cleaning up).
          yield* advance(100)
          assert.strictEqual(probe.started, 0, "none of the work it was given started")
        }))
    }
  })

  describe("boundary values that are not misuse", () => {
    const slow = (millis: number, value = millis) => Effect.as(Effect.sleep(millis), value)

    it.effect("a timeout of 0 or less means now: wait reports the current state at once", () =>
      Effect.gen(function*() {
        const done = yield* task(Effect.succeed(1))
        const running = yield* task(slow(10))
        yield* settle
        for (const timeout of [0, -5, "-5 millis" as Duration.Input, Duration.zero]) {
          const result = yield* aio.wait([running, done], { timeout })
          assert.deepStrictEqual(result, { done: [done], pending: [running] })
        }
        assert.strictEqual(yield* Clock.currentTimeMillis, 0, "no time passed")
      }))

    it.effect("a timeout of 0 or less lets work that needs no waiting finish, and times out the rest at once", () =>
      Effect.gen(function*() {
        for (const limit of [0, -1]) {
          assert.deepStrictEqual(yield* aio.waitFor(Effect.succeed("now"), limit), "now")
          assert.deepStrictEqual(yield* aio.timeout(limit, Effect.succeed("now")), "now")
          const deadline = (yield* Clock.currentTimeMillis) + limit
          assert.deepStrictEqual(yield* aio.timeoutAt(deadline, Effect.succeed("now")), "now")
          for (
            const late of [aio.waitFor(slow(5), limit), aio.timeout(limit, slow(5)), aio.timeoutAt(deadline, slow(5))]
          ) {
            const exit = yield* Effect.exit(late)
            assert.isTrue(squashesToTimeout(exit))
          }
        }
        assert.strictEqual(yield* Clock.currentTimeMillis, 0, "no time passed")
      }))

    it.effect("asCompleted with a timeout of 0 emits what needs no waiting, then times out, stopping the rest", () =>
      Effect.gen(function*() {
        const probe = makeStartProbe()
        const exit = yield* Effect.exit(
          Stream.runCollect(aio.asCompleted([Effect.succeed(1), probe.effect, Effect.succeed(3)], { timeout: 0 }))
        )
        assert.isTrue(squashesToTimeout(exit))
        assert.strictEqual(probe.started, 1)
        const tasks = [yield* task(Effect.succeed(1)), yield* task(slow(5))]
        yield* settle
        const emitted: Array<Fiber.Fiber<number>> = []
        const timedOut = yield* Effect.exit(
          Stream.runForEach(aio.asCompletedTasks(tasks, { timeout: -1 }), (t) => Effect.sync(() => emitted.push(t)))
        )
        assert.deepStrictEqual(emitted, [tasks[0]])
        assert.isTrue(squashesToTimeout(timedOut))
        assert.isUndefined(tasks[1].pollUnsafe(), "asCompletedTasks never interrupts the tasks")
      }))

    it.effect("an infinite duration or deadline, or null, means no limit", () =>
      Effect.gen(function*() {
        const limits: ReadonlyArray<Duration.Input | null | undefined> = [
          Infinity,
          Duration.infinity,
          "Infinity",
          null,
          undefined
        ]
        for (const limit of limits) {
          const t = yield* task(slow(1000))
          const waiting = yield* Effect.forkChild(Effect.all([
            aio.wait([t], { timeout: limit }),
            aio.waitFor(slow(1000), limit),
            aio.timeout(limit ?? null, slow(1000)),
            Stream.runCollect(aio.asCompleted([slow(1000)], { timeout: limit })),
            Stream.runCollect(aio.asCompletedTasks([t], { timeout: limit }))
          ], { concurrency: "unbounded" }))
          yield* advance(999)
          assert.isUndefined(waiting.pollUnsafe(), `still waiting at 999 ms with a limit of ${String(limit)}`)
          yield* advance(1)
          const exit = waiting.pollUnsafe()
          assert.isTrue(exit !== undefined && Exit.isSuccess(exit), `done at 1000 ms with a limit of ${String(limit)}`)
        }
        for (const deadline of [Infinity, null]) {
          const fiber = yield* Effect.forkChild(aio.timeoutAt(deadline, (t) =>
            Effect.andThen(t.reschedule(Infinity), Effect.as(Effect.sleep(10_000), "no limit"))))
          yield* advance(10_000)
          assert.deepStrictEqual(fiber.pollUnsafe(), Exit.succeed("no limit"))
        }
      }))

    it.effect("a concurrency of 1, Infinity or \"unbounded\" is accepted", () =>
      Effect.gen(function*() {
        for (const concurrency of [1, 2, Infinity, "unbounded" as const]) {
          assert.deepStrictEqual(yield* aio.gather([Effect.succeed(1), Effect.succeed(2)], { concurrency }), [1, 2])
          assert.deepStrictEqual(
            yield* Stream.runCollect(aio.asCompleted([Effect.succeed(1), Effect.succeed(2)], { concurrency })),
            [1, 2]
          )
        }
      }))

    it.effect("the same task passed twice counts once", () =>
      Effect.gen(function*() {
        const a = yield* task(slow(10, 1))
        const b = yield* task(slow(20, 2))
        const first = yield* Effect.forkChild(aio.wait([a, a, b, a], { returnWhen: aio.FIRST_COMPLETED }))
        yield* advance(10)
        assert.deepStrictEqual(first.pollUnsafe(), Exit.succeed({ done: [a], pending: [b] }))
        const all = yield* Effect.forkChild(aio.wait([b, a, b]))
        const emitted = yield* Effect.forkChild(Stream.runCollect(aio.asCompletedTasks([b, b, a, a])))
        yield* advance(10)
        assert.deepStrictEqual(all.pollUnsafe(), Exit.succeed({ done: [b, a], pending: [] }))
        assert.deepStrictEqual(emitted.pollUnsafe(), Exit.succeed([a, b]))
      }))

    it.effect("empty inputs that are not misuse succeed at once", () =>
      Effect.gen(function*() {
        assert.deepStrictEqual(yield* aio.gather([]), [])
        assert.deepStrictEqual(yield* aio.gather({}), {})
        assert.deepStrictEqual(yield* Stream.runCollect(aio.asCompleted([])), [])
        assert.deepStrictEqual(yield* Stream.runCollect(aio.asCompletedTasks([])), [])
        assert.strictEqual(yield* Clock.currentTimeMillis, 0)
      }))
  })
})

// Issue 10, item 5: a misuse says where it happened.
describe("misuse location", () => {
  it.effect("the printed cause of a misuse shows the caller's Effect.fn, not the library's files", () =>
    Effect.gen(function*() {
      const dispatch = Effect.fn("dispatch")(function*() {
        return yield* aio.wait([])
      })
      const exit = yield* Effect.exit(dispatch())
      const pretty = Cause.pretty((exit as Exit.Failure<unknown, unknown>).cause)
      assert.match(pretty, /^IllegalArgumentError: wait: tasks must not be empty\n/)
      assert.match(pretty, /at dispatch \(.*misuse\.test\.ts/)
      assert.notMatch(pretty, /src\/internal\//)
    }))
})
