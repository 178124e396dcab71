/**
 * Who supervises a task: the rule that makes the library's own fibers
 * invisible.
 *
 * Several primitives run user code in fibers of their own: the body of a
 * `timeout` or `waitFor`, the work of `shield`, each effect of `gather` and
 * `asCompleted`, the body of a task group. A task created there with
 * `createTask` must not belong to that fiber, which ends when the primitive
 * returns, but to whoever called the primitive (a task, `run`'s main, or the
 * user's own fiber), so that it lives on as it would in asyncio.
 *
 * Each such primitive is a {@link Frame}: it knows the fiber that called it
 * (resolved through enclosing frames, so a task created inside a `timeout`
 * inside a `gather` inside a `waitFor` belongs to the caller of `waitFor`), and
 * it can tell its own fibers from fibers the user forked inside them. The
 * innermost frame travels in the fiber's context as {@link CurrentFrame}.
 *
 * @internal
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import type { TimeoutScope } from "./deadline.ts"
import { nestedNow } from "./trampoline.ts"

type AnyFiber = Fiber.Fiber<unknown, unknown>

/**
 * A primitive that runs user code in fibers of its own.
 *
 * @internal
 */
export interface Frame {
  /** The fiber that called the primitive. */
  readonly caller: AnyFiber
  /** The fiber that supervises tasks created by this frame's own fibers. */
  readonly owner: AnyFiber
  /** The innermost timeout scope around this frame's fibers, if any. */
  readonly timeoutScope: TimeoutScope | undefined
  /**
   * Set on `shield`'s frame: the deadlines of the scopes around it do not
   * reach the work inside, which they cannot cancel (`currentDeadline`).
   */
  readonly hidesDeadlines?: true
  /**
   * Whether `fiber` is one of this frame's own fibers (not one the user
   * forked in it), once its start has returned; see {@link startInFrame}.
   */
  runs(fiber: AnyFiber): boolean
}

/**
 * The innermost frame around the running fiber.
 *
 * @internal
 */
export const CurrentFrame = Context.Reference<Frame | undefined>("effect-asyncio/CurrentFrame", {
  defaultValue: () => undefined
})

/** The frames whose fibers are starting right now, synchronously, innermost last. */
const starting: Array<Frame> = []

/**
 * The fiber that supervises tasks created by `fiber`: `fiber` itself, unless
 * it is one of the library's own fibers, whose tasks belong to whoever called
 * the primitive.
 *
 * @internal
 */
export const supervisorOf = (fiber: AnyFiber): AnyFiber => frameOf(fiber)?.owner ?? fiber

/**
 * The frame whose own fiber `fiber` is, if any (see {@link startInFrame} for
 * fibers still starting).
 *
 * @internal
 */
export const frameOf = (fiber: AnyFiber): Frame | undefined => {
  const frame = fiber.getRef(CurrentFrame)
  return frame !== undefined && (frame.runs(fiber) || starting.includes(frame)) ? frame : undefined
}

/**
 * The context for a frame's own fibers: the caller's, with the frame as the
 * innermost one.
 *
 * @internal
 */
export const contextFor = (caller: AnyFiber, frame: Frame): Context.Context<never> =>
  Context.add(caller.context, CurrentFrame, frame)

/**
 * Starts `effect` at once as one of `frame`'s own fibers, with `fork` (an
 * `Effect.runForkWith` of the frame's context, see {@link contextFor}).
 *
 * A fiber starts inside `Effect.runForkWith`, before its frame holds it, and a
 * task it creates at once (`waitFor(Effect.gen(function*() { yield*
 * createTask(reader) ... }))`) must already find its supervisor: while the
 * start runs (and while fibers it starts start in turn), the frame counts as
 * running every fiber whose innermost frame it is. That also covers a fiber the user forks inside it with
 * `startImmediately` and that creates a task at once, the one case the rule
 * then gets wrong: that task belongs to the primitive's caller, and lives
 * longer than the rule says. Cheaper than registering each fiber from inside
 * it (an extra operation in every fiber of every `gather`).
 *
 * @internal
 */
export const startInFrame = <A, E>(
  fork: (effect: Effect.Effect<A, E>) => Fiber.Fiber<A, E>,
  frame: Frame,
  effect: Effect.Effect<A, E>
): Fiber.Fiber<A, E> => {
  starting.push(frame)
  try {
    return nestedNow(fork, effect)
  } finally {
    starting.pop()
  }
}

// Effect keeps a fiber's children in `_children` and the link back in
// `_parent`; a parent interrupts and awaits its children before it ends. The
// public API forks children of the running fiber only, so a task created in
// one of the library's fibers is forked there and then moved to its
// supervisor. test/task.test.ts ("supervision") fails if an Effect release
// changes these internals.
interface FiberInternals {
  _children?: Set<AnyFiber> | undefined
  _parent?: AnyFiber | undefined
  children(): Set<AnyFiber>
}

const moveChild = (task: AnyFiber, from: AnyFiber, to: AnyFiber): void => {
  const child = task as unknown as FiberInternals
  const target = to as unknown as FiberInternals
  if (task.pollUnsafe() !== undefined || to.pollUnsafe() !== undefined || typeof target.children !== "function") return
  ;(from as unknown as FiberInternals)._children?.delete(task)
  target.children().add(task)
  child._parent = to
}

/**
 * Makes `task`, just forked by `current`, a child of `supervisor` instead, so
 * that it lives until the supervisor ends. If the supervisor has already
 * ended (the caller of a `shield` that was interrupted, while the shielded
 * work goes on), the task stays a child of the fiber that created it.
 *
 * @internal
 */
export const adoptTask = (task: AnyFiber, current: AnyFiber, supervisor: AnyFiber): void => {
  if (supervisor !== current) moveChild(task, current, supervisor)
}
