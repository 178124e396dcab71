/**
 * `taskTree` and `formatTaskTree`: a live, typed view of everything the
 * library started that is still running, like asyncio 3.14's
 * `capture_call_graph` and `python -m asyncio pstree`, or Trio's nursery
 * tree. Effect v4 has no fiber dump; this library owns every task it runs, so
 * it can show them.
 *
 * @stability stable
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { dual } from "effect/Function"
import { HungError } from "./errors.ts"
import { suspendUntil } from "./internal/suspend.ts"
import { format, snapshot } from "./internal/taskTree.ts"
import { nowMillis } from "./internal/timer.ts"
import { durationMillis, misuse } from "./internal/validate.ts"

/**
 * One node of a {@link TaskTree}.
 *
 * - `id`: unique in the snapshot (`fiber-12` for a task or a fiber, after
 *   Effect's fiber id; `gather-3` for a primitive call).
 * - `name`: a task's name (`Task-1`, or the one given), `main`, `fiber #12`,
 *   or the primitive's kind.
 * - `kind`: `task`, a primitive (`task group`, `gather`, `wait`,
 *   `as_completed`, `timeout scope`, `shield`), `main` (the program of
 *   {@link run}), or `fiber` (a primitive's own fiber, or a fiber the user
 *   forked, shown where it sits).
 * - `parent`: the id of the node above it, `null` for a root.
 * - `state`: `running`, or `cancelling` once it is being stopped.
 * - `waitingOn`: the ids of the nodes it waits for: a task or fiber waits on
 *   the primitive it called, a primitive on the fibers it awaits.
 * - `details`: a few words (`2 of 5 done`, `120 ms left`).
 * - `timeLeft`: for a timeout scope, the milliseconds left (`null` for no
 *   deadline).
 * - `inCycle`: it is on a cycle of waits (two tasks awaiting each other).
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface TaskTreeNode {
  readonly id: string
  readonly name: string
  readonly kind:
    | "task"
    | "task group"
    | "gather"
    | "wait"
    | "as_completed"
    | "timeout scope"
    | "shield"
    | "main"
    | "fiber"
  readonly parent: string | null
  readonly state: "running" | "cancelling"
  readonly waitingOn: ReadonlyArray<string>
  readonly details?: string
  readonly timeLeft?: number | null
  readonly inCycle: boolean
}

/**
 * A snapshot of the work the library started that is still running: its
 * nodes, parents before children, and when it was taken (ms on the `Clock`).
 *
 * @stability stable
 * @category models
 * @since 0.1.0
 */
export interface TaskTree {
  readonly at: number
  readonly nodes: ReadonlyArray<TaskTreeNode>
}

/**
 * A snapshot of all unfinished work started through this library, like
 * asyncio 3.14's `capture_call_graph`: tasks, task groups, `gather`s,
 * `wait`s, `asCompleted` streams, timeout scopes, shields and {@link run}'s
 * main, with their parents, states, what each waits on and the time left on
 * each deadline.
 *
 * **When to use**
 *
 * Use to see where a hung or slow program is: print it with
 * {@link formatTaskTree}, log it, or check it in a test. {@link run} prints it
 * on `SIGUSR2`.
 *
 * **Details**
 *
 * - The tree shows what the library started and knows: fibers the user forked
 *   appear only where they call the library or it waits on them.
 * - Keeping it costs an array slot per task and per primitive call; reading
 *   it walks everything that runs.
 *
 * **Example** (A group of two tasks)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = aio.taskGroup((tg) =>
 *   Effect.gen(function*() {
 *     yield* tg.createTask(Effect.sleep("1 second"), { name: "reader" })
 *     yield* tg.createTask(Effect.sleep("1 second"), { name: "writer" })
 *     const tree = yield* aio.taskTree
 *     return tree.nodes.filter((node) => node.kind === "task").map((node) => node.name)
 *   })
 * )
 *
 * Effect.runPromise(program).then(console.log)
 * // => ["reader", "writer"]
 * ```
 *
 * @see {@link formatTaskTree}
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const taskTree: Effect.Effect<TaskTree> = Effect.withFiber((fiber) => Effect.succeed(snapshot(nowMillis(fiber))))

/**
 * Renders a {@link TaskTree} as an indented tree, like `python -m asyncio
 * pstree` or `pstree`: one line per node, with its state, details, what it
 * waits on, and a `CYCLE` mark on waits that form a cycle.
 *
 * **Example** (The shape of a dump)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * const program = aio.gather([
 *   Effect.flatMap(aio.taskTree, (tree) => Effect.sync(() => aio.formatTaskTree(tree).split("\n")[0]))
 * ])
 *
 * Effect.runPromise(program).then(([firstLine]) => console.log(firstLine.startsWith("fiber #")))
 * // => true
 * ```
 *
 * @see {@link taskTree}
 * @stability stable
 * @category getters
 * @since 0.1.0
 */
export const formatTaskTree = (tree: TaskTree): string => format(tree)

/**
 * Fails with a {@link HungError} holding the task tree when `effect` has not
 * finished after `limit` of real time: a test helper, so that a deadlock in a
 * test says where it waits instead of running into the test runner's timeout.
 *
 * **When to use**
 *
 * Use around a test body (or any effect that must not hang) that runs on a
 * `TestClock`: a hung program leaves virtual time standing still, so the
 * limit is real time, on purpose.
 *
 * **Details**
 *
 * - The effect runs in a child fiber of the caller. When the limit passes, the
 *   tree is captured first, then the effect is interrupted and awaited, and
 *   the result is a `HungError` whose message holds the rendered tree.
 * - When the effect finishes in time, its outcome is returned unchanged and
 *   the timer is cleared.
 *
 * **Gotchas**
 *
 * The limit is real time (`setTimeout`), not the `Clock`: do not use it to
 * time work. Tasks created inside the effect belong to its child fiber, so
 * they end with it. A NaN or infinite limit makes the effect die with
 * `Cause.IllegalArgumentError`.
 *
 * **Example** (A deadlock that says where it is)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber } from "effect"
 *
 * const deadlock = Effect.gen(function*() {
 *   let b: Fiber.Fiber<unknown> | undefined
 *   const a = yield* aio.createTask(Effect.suspend(() => aio.wait([b!])), { name: "a" })
 *   b = yield* aio.createTask(aio.wait([a]), { name: "b" })
 *   yield* aio.wait([a, b])
 * })
 *
 * const program = Effect.flip(aio.failIfHung(deadlock, "50 millis"))
 *
 * Effect.runPromise(program).then((error) => console.log(error.message.includes("CYCLE")))
 * // => true
 * ```
 *
 * @see {@link taskTree}
 * @stability stable
 * @category testing
 * @since 0.1.0
 */
export const failIfHung: {
  (limit: Duration.Input): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | HungError, R>
  <A, E, R>(effect: Effect.Effect<A, E, R>, limit: Duration.Input): Effect.Effect<A, E | HungError, R>
} = dual(
  2,
  <A, E, R>(effect: Effect.Effect<A, E, R>, limit: Duration.Input): Effect.Effect<A, E | HungError, R> =>
    Effect.suspend(() => {
      const millis = durationMillis("failIfHung", "limit", limit)
      if (millis === Infinity) throw misuse("failIfHung: limit must be finite")
      return Effect.flatMap(
        Effect.forkChild(effect, { startImmediately: true }),
        (fiber) =>
          suspendUntil<A, E | HungError>((resume) => {
            const timer = setTimeout(() => {
              const tree = snapshot(nowMillis(fiber))
              const hung = new HungError({
                message: `failIfHung: still running after ${millis} ms; the task tree then:\n${format(tree)}`,
                tree
              })
              resume(Effect.andThen(Effect.exit(Fiber.interrupt(fiber)), Effect.fail(hung)))
            }, Math.max(0, millis))
            fiber.addObserver((exit) => {
              clearTimeout(timer)
              resume(exit)
            })
            return Effect.sync(() => clearTimeout(timer))
          })
      )
    })
)
