/**
 * What `run` adds around the program: work that outlives its caller on
 * purpose (`shield`) is adopted by the program, so that it is interrupted
 * before the process exits, as `asyncio.run` cancels every remaining task;
 * the program is the `main` node of the task tree; `SIGINT`/`SIGTERM` are
 * recorded as the reason the program stops, and `SIGUSR2` prints the tree to
 * stderr.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { newNodeId, recordReason, registerNode, type TreeNode } from "./registry.ts"
import { format, snapshot } from "./taskTree.ts"
import { nowMillis } from "./timer.ts"

const Background = Context.Reference<Set<Fiber.Fiber<unknown, unknown>> | undefined>(
  "effect-asyncio/Background",
  { defaultValue: () => undefined }
)

/**
 * Registers a detached fiber with the enclosing `run`, if any.
 *
 * @internal
 */
export const adoptBackground = (fiber: Fiber.Fiber<unknown, unknown>): void => {
  const fibers = fiber.getRef(Background)
  if (fibers === undefined || fiber.pollUnsafe() !== undefined) return
  fibers.add(fiber)
  fiber.addObserver(() => fibers.delete(fiber))
}

/** The program of `run`, as the root of the task tree. */
class MainNode implements TreeNode {
  readonly kind = "main"
  readonly treeId: number = newNodeId()
  readonly caller: Fiber.Fiber<unknown, unknown>
  ended = false

  constructor(main: Fiber.Fiber<unknown, unknown>) {
    this.caller = main
  }

  isLive(): boolean {
    return !this.ended
  }

  isCancelling(): boolean {
    return false
  }

  awaited(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return []
  }

  own(): ReadonlyArray<Fiber.Fiber<unknown, unknown>> {
    return []
  }

  details(): string | undefined {
    return undefined
  }
}

/**
 * Runs `main` as `run`'s program, then interrupts and awaits the detached
 * work it left behind.
 *
 * @internal
 */
export const withBackground = <A, E, R>(main: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiber((mainFiber) => {
    const fibers = new Set<Fiber.Fiber<unknown, unknown>>()
    const node = new MainNode(mainFiber)
    registerNode(node)
    // Prepended, so that the reason is recorded before the runtime's own
    // handler interrupts the program.
    const onSigint = () => recordReason(mainFiber, { _tag: "Signal", signal: "SIGINT" })
    const onSigterm = () => recordReason(mainFiber, { _tag: "Signal", signal: "SIGTERM" })
    const onSigusr2 = () => {
      process.stderr.write(`${format(snapshot(nowMillis(mainFiber)))}\n`)
    }
    process.prependListener("SIGINT", onSigint)
    process.prependListener("SIGTERM", onSigterm)
    process.on("SIGUSR2", onSigusr2)
    return main.pipe(
      Effect.provideService(Background, fibers),
      Effect.ensuring(Effect.suspend(() => Fiber.interruptAll(Array.from(fibers)))),
      Effect.ensuring(Effect.sync(() => {
        node.ended = true
        process.removeListener("SIGINT", onSigint)
        process.removeListener("SIGTERM", onSigterm)
        process.removeListener("SIGUSR2", onSigusr2)
      }))
    )
  })
