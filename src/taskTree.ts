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
import * as Effect from "effect/Effect"
import { format, snapshot } from "./internal/taskTree.ts"
import { nowMillis } from "./internal/timer.ts"

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
