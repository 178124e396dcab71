/**
 * What the library knows about the work it started, for the live task tree,
 * task names and cancellation reasons: a registry of unfinished tasks and
 * primitive calls, and the reason recorded on each fiber the library
 * interrupts.
 *
 * Cost when nobody reads it: a task is a slot in three arrays (the fiber, its
 * number, its supervisor); a primitive call is one array slot.
 * Finished entries are dropped in a sweep once the arrays have doubled since
 * the last one, so a long-running program keeps at most about twice its live
 * work. Reasons are recorded only on the paths that interrupt.
 *
 * @internal
 */
import type * as Fiber from "effect/Fiber"
import type { CancelReason } from "../cancelReason.ts"
import { type Frame, frameOf } from "./frame.ts"

type AnyFiber = Fiber.Fiber<unknown, unknown>

/**
 * The kinds of primitive calls that show in the task tree.
 *
 * @internal
 */
export type NodeKind = "task group" | "gather" | "wait" | "as_completed" | "timeout scope" | "shield" | "main"

/**
 * A primitive call that shows in the task tree while it runs.
 *
 * @internal
 */
export interface TreeNode {
  /** Unique among the tree's primitive calls. */
  readonly treeId: number
  readonly kind: NodeKind
  /** The fiber that called the primitive. */
  readonly caller: AnyFiber
  /** Whether the call is still going on. */
  isLive(): boolean
  /** Whether it is stopping its work. */
  isCancelling(): boolean
  /** The fibers it is waiting for now. */
  awaited(): ReadonlyArray<AnyFiber>
  /** Its own fibers (a body, the effects it runs), which show under it. */
  own(): ReadonlyArray<AnyFiber>
  /** A few words on its state, for the tree ("3 of 10 done", "12 ms left"). */
  details(): string | undefined
  /** A timeout scope's deadline, in ms on its `Clock`, and the time now there. */
  deadlineInfo?(): { readonly deadline: number | null; readonly now: number }
}

const MIN_SWEEP = 1024

// Tasks: parallel arrays, one slot each (no keyed collection on the path that
// creates a task: hashing a fresh fiber for a Map or WeakMap costs about as
// much as the rest of `createTask`). `index` maps a fiber to its slot; it is
// built the first time something asks about a task (its name, the current
// task, a reason, the tree) and kept from then on.
let taskFibers: Array<AnyFiber> = []
let taskNumbers: Array<number> = []
let taskOwners: Array<AnyFiber | TreeNode> = []
let tasksSweepAt = MIN_SWEEP
let index: Map<AnyFiber, number> | undefined = undefined
let nextTaskNumber = 1
/** Names given to tasks (`{ name }`): a WeakMap, paid for only by tasks that have one. */
const givenNames = new WeakMap<AnyFiber, string>()
/** The numbers of tasks swept while someone was asking about tasks, so that their default name survives. */
const sweptNumbers = new WeakMap<AnyFiber, number>()

let nodes: Array<TreeNode> = []
let nodesSweepAt = MIN_SWEEP
let nextNodeId = 1

const isLiveNode = (node: TreeNode): boolean => node.isLive()

/** Drops finished tasks from the arrays (keeping their numbers once names are asked for). */
const sweepTasks = (): void => {
  let kept = 0
  for (let i = 0; i < taskFibers.length; i++) {
    const fiber = taskFibers[i]
    if (fiber.pollUnsafe() === undefined) {
      taskFibers[kept] = fiber
      taskNumbers[kept] = taskNumbers[i]
      taskOwners[kept] = taskOwners[i]
      kept++
    } else if (index !== undefined) {
      sweptNumbers.set(fiber, taskNumbers[i])
    }
  }
  taskFibers.length = kept
  taskNumbers.length = kept
  taskOwners.length = kept
  tasksSweepAt = Math.max(MIN_SWEEP, 2 * kept)
  if (index !== undefined) index = buildIndex()
}

const buildIndex = (): Map<AnyFiber, number> => {
  const map = new Map<AnyFiber, number>()
  for (let i = 0; i < taskFibers.length; i++) map.set(taskFibers[i], i)
  return map
}

const slotOf = (fiber: AnyFiber): number | undefined => (index ??= buildIndex()).get(fiber)

/**
 * Records a task created by the library. `owner` is the fiber that supervises
 * it, or the task group it belongs to.
 *
 * @internal
 */
export const registerTask = (fiber: AnyFiber, owner: AnyFiber | TreeNode, name: string | undefined): void => {
  const slot = taskFibers.push(fiber) - 1
  taskNumbers.push(nextTaskNumber++)
  taskOwners.push(owner)
  if (name !== undefined) givenNames.set(fiber, name)
  if (index !== undefined) index.set(fiber, slot)
  if (taskFibers.length >= tasksSweepAt) sweepTasks()
}

/**
 * A new id for a primitive call in the tree.
 *
 * @internal
 */
export const newNodeId = (): number => nextNodeId++

/**
 * Records a primitive call while it runs.
 *
 * @internal
 */
export const registerNode = (node: TreeNode): void => {
  nodes.push(node)
  if (nodes.length >= nodesSweepAt) {
    nodes = nodes.filter(isLiveNode)
    nodesSweepAt = Math.max(MIN_SWEEP, 2 * nodes.length)
  }
}

/** @internal */
export const liveTasks = (): ReadonlyArray<AnyFiber> => {
  sweepTasks()
  return taskFibers
}

/** @internal */
export const liveNodes = (): ReadonlyArray<TreeNode> => {
  nodes = nodes.filter(isLiveNode)
  nodesSweepAt = Math.max(MIN_SWEEP, 2 * nodes.length)
  return nodes
}

/**
 * A task's name: the one it was given, or asyncio's default `Task-N`;
 * `undefined` for a fiber the library did not create as a task.
 *
 * @internal
 */
export const taskNameOf = (fiber: AnyFiber): string | undefined => {
  const given = givenNames.get(fiber)
  if (given !== undefined) return given
  const slot = slotOf(fiber)
  const number = slot === undefined ? sweptNumbers.get(fiber) : taskNumbers[slot]
  return number === undefined ? undefined : `Task-${number}`
}

/** @internal */
export const isTask = (fiber: AnyFiber): boolean => slotOf(fiber) !== undefined || sweptNumbers.has(fiber)

/** @internal */
export const taskOwnerOf = (fiber: AnyFiber): AnyFiber | TreeNode | undefined => {
  const slot = slotOf(fiber)
  return slot === undefined ? undefined : taskOwners[slot]
}

/**
 * The primitive call whose own fiber `fiber` is, if any.
 *
 * @internal
 */
export const frameRunning = (fiber: AnyFiber): (Frame & Partial<TreeNode>) | undefined => frameOf(fiber)

// A fiber's parent in Effect: the fiber that forked it (for children only).
interface FiberParent {
  readonly _parent?: AnyFiber | undefined
}

/**
 * The fiber above `fiber`: the supervisor of a task, the caller of a
 * primitive for the primitive's own fibers, else the fiber that forked it.
 *
 * @internal
 */
export const parentFiberOf = (fiber: AnyFiber): AnyFiber | undefined => {
  const owner = taskOwnerOf(fiber)
  if (owner !== undefined) return "treeId" in owner ? owner.caller : owner
  const frame = frameRunning(fiber)
  if (frame !== undefined) return frame.caller
  return (fiber as FiberParent)._parent
}

/**
 * The task `fiber` runs in: itself if it is a task, else the nearest task
 * above it.
 *
 * @internal
 */
export const enclosingTask = (fiber: AnyFiber): AnyFiber | undefined => {
  for (let current: AnyFiber | undefined = fiber; current !== undefined; current = parentFiberOf(current)) {
    if (slotOf(current) !== undefined) return current
  }
  return undefined
}

const reasons = new WeakMap<AnyFiber, CancelReason>()

/**
 * Records why the library is interrupting `fiber`; the first reason wins.
 *
 * @internal
 */
export const recordReason = (fiber: AnyFiber, reason: CancelReason): void => {
  if (!reasons.has(fiber) && fiber.pollUnsafe() === undefined) reasons.set(fiber, reason)
}

// Effect keeps the cause of a requested interruption on the fiber.
interface FiberInterruption {
  readonly _interruptedCause?: unknown
}

/**
 * Why `fiber` is being stopped: the reason recorded on it or, failing that,
 * on the nearest fiber above it that is being stopped; `undefined` when
 * neither it nor any fiber above it is.
 *
 * @internal
 */
export const reasonOf = (fiber: AnyFiber): CancelReason | undefined => {
  let interrupted = false
  for (let current: AnyFiber | undefined = fiber; current !== undefined; current = parentFiberOf(current)) {
    const reason = reasons.get(current)
    if (reason !== undefined) return reason
    interrupted ||= (current as FiberInterruption)._interruptedCause !== undefined
  }
  // Stopped, but by nothing the library did.
  return interrupted ? { _tag: "Interrupted" } : undefined
}

/** @internal */
export const hasReason = (fiber: AnyFiber): boolean => reasons.has(fiber)
