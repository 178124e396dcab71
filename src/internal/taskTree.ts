/**
 * The snapshot behind `taskTree`: the registry's live tasks and primitive
 * calls, linked to their parents, with what each waits on and the cycles
 * among those waits.
 *
 * @internal
 */
import type * as Fiber from "effect/Fiber"
import type { TaskTree, TaskTreeNode } from "../taskTree.ts"
import {
  frameRunning,
  hasReason,
  isTask,
  liveNodes,
  liveTasks,
  parentFiberOf,
  taskNameOf,
  taskOwnerOf,
  type TreeNode
} from "./registry.ts"

type AnyFiber = Fiber.Fiber<unknown, unknown>

interface Building {
  id: string
  name: string
  kind: TaskTreeNode["kind"]
  parent: string | null
  state: TaskTreeNode["state"]
  waitingOn: Array<string>
  details: string | undefined
  timeLeft: number | null | undefined
  order: number
}

interface FiberInterruption {
  readonly _interruptedCause?: unknown
}

const fiberId = (fiber: AnyFiber): string => `fiber-${fiber.id}`
const nodeId = (node: TreeNode): string => `${node.kind.replace(/[ _]/g, "-")}-${node.treeId}`

/**
 * Builds a snapshot of everything the library started that is still running.
 *
 * @internal
 */
export const snapshot = (at: number): TaskTree => {
  const built = new Map<string, Building>()
  const ownerOfFiber = new Map<AnyFiber, TreeNode>()
  const mains = new Map<AnyFiber, TreeNode>()
  const frames = liveNodes()
  let order = 0

  for (const node of frames) {
    if (node.kind === "main") mains.set(node.caller, node)
    else for (const fiber of node.own()) ownerOfFiber.set(fiber, node)
  }

  const add = (entry: Omit<Building, "order" | "waitingOn"> & { readonly waitingOn?: Array<string> }): Building => {
    const building: Building = { waitingOn: [], ...entry, order: order++ }
    built.set(building.id, building)
    return building
  }

  const fiberState = (fiber: AnyFiber): TaskTreeNode["state"] =>
    hasReason(fiber) || (fiber as FiberInterruption)._interruptedCause !== undefined ? "cancelling" : "running"

  // The node of a fiber: its task, its primitive's own fiber, run's main, or a plain fiber.
  const ofFiber = (fiber: AnyFiber): string => {
    const main = mains.get(fiber)
    if (main !== undefined) return nodeId(main)
    const id = fiberId(fiber)
    if (built.has(id)) return id
    if (isTask(fiber)) {
      const entry = add({
        id,
        name: taskNameOf(fiber)!,
        kind: "task",
        parent: null,
        state: fiberState(fiber),
        details: undefined,
        timeLeft: undefined
      })
      const owner = taskOwnerOf(fiber)
      entry.parent = owner === undefined ? null : "treeId" in owner ? nodeId(owner) : ofFiber(owner)
      return id
    }
    const frame = ownerOfFiber.get(fiber) ?? frameRunning(fiber)
    const entry = add({
      id,
      name: `fiber #${fiber.id}`,
      kind: "fiber",
      parent: null,
      state: fiberState(fiber),
      details: undefined,
      timeLeft: undefined
    })
    if (frame !== undefined && "treeId" in frame && frame.isLive!()) entry.parent = nodeId(frame as TreeNode)
    else {
      const parent = parentFiberOf(fiber)
      entry.parent = parent === undefined || parent.pollUnsafe() !== undefined ? null : ofFiber(parent)
    }
    return id
  }

  for (const node of frames) {
    const info = node.deadlineInfo?.()
    add({
      id: nodeId(node),
      name: node.kind === "main" ? "main" : node.kind,
      kind: node.kind,
      parent: null,
      state: node.isCancelling() ? "cancelling" : "running",
      details: node.details(),
      timeLeft: info === undefined ? undefined : info.deadline === null ? null : Math.max(0, info.deadline - info.now)
    })
  }
  for (const node of frames) {
    const entry = built.get(nodeId(node))!
    if (node.kind !== "main") {
      entry.parent = ofFiber(node.caller)
      // The caller waits on the primitive it called.
      built.get(entry.parent)?.waitingOn.push(entry.id)
    }
    for (const fiber of node.awaited()) entry.waitingOn.push(ofFiber(fiber))
  }
  for (const task of liveTasks()) ofFiber(task)

  const nodes = Array.from(built.values()).sort((a, b) => a.order - b.order)
  const inCycle = cycles(nodes)
  return {
    at,
    nodes: nodes.map((node) => ({
      id: node.id,
      name: node.name,
      kind: node.kind,
      parent: node.parent,
      state: node.state,
      waitingOn: node.waitingOn,
      ...(node.details === undefined ? {} : { details: node.details }),
      ...(node.timeLeft === undefined ? {} : { timeLeft: node.timeLeft }),
      inCycle: inCycle.has(node.id)
    }))
  }
}

/**
 * The nodes on a cycle of waits (Tarjan's strongly connected components):
 * two tasks each waiting, through the primitives they called, for the other.
 */
const cycles = (nodes: ReadonlyArray<Building>): Set<string> => {
  const edges = new Map(nodes.map((node) => [node.id, node.waitingOn]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const result = new Set<string>()
  let counter = 0
  // Iterative, so that a deep tree does not overflow the stack.
  for (const start of edges.keys()) {
    if (index.has(start)) continue
    const work: Array<{ readonly id: string; next: number }> = [{ id: start, next: 0 }]
    index.set(start, counter)
    low.set(start, counter++)
    stack.push(start)
    onStack.add(start)
    while (work.length > 0) {
      const frame = work[work.length - 1]
      const targets = edges.get(frame.id) ?? []
      if (frame.next < targets.length) {
        const target = targets[frame.next++]
        if (!edges.has(target)) continue
        if (!index.has(target)) {
          index.set(target, counter)
          low.set(target, counter++)
          stack.push(target)
          onStack.add(target)
          work.push({ id: target, next: 0 })
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!))
        }
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1].id
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!))
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: Array<string> = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.id)
        const selfLoop = component.length === 1 && (edges.get(member) ?? []).includes(member)
        if (component.length > 1 || selfLoop) { for (const id of component) result.add(id) }
      }
    }
  }
  return result
}

/**
 * Renders a snapshot as an indented tree, like `pstree`.
 *
 * @internal
 */
export const format = (tree: TaskTree): string => {
  const children = new Map<string | null, Array<TaskTreeNode>>()
  const ids = new Set(tree.nodes.map((node) => node.id))
  for (const node of tree.nodes) {
    const parent = node.parent !== null && ids.has(node.parent) ? node.parent : null
    const list = children.get(parent)
    if (list === undefined) children.set(parent, [node])
    else list.push(node)
  }
  const lines: Array<string> = []
  const line = (node: TaskTreeNode): string => {
    const parts = [node.kind === "task" || node.kind === "fiber" || node.kind === "main" ? node.name : `${node.kind}`]
    if (node.kind === "task") parts.push(`(${node.id})`)
    if (node.kind !== "task" && node.kind !== "fiber" && node.kind !== "main") parts.push(`(${node.id})`)
    if (node.state === "cancelling") parts.push("[cancelling]")
    if (node.details !== undefined) parts.push(node.details)
    if (node.waitingOn.length > 0) {
      const shown = node.waitingOn.slice(0, 5).join(", ")
      parts.push(`waits on ${shown}${node.waitingOn.length > 5 ? `, ... (${node.waitingOn.length} in all)` : ""}`)
    }
    if (node.inCycle) parts.push("<- CYCLE: waits on work that waits on it")
    return parts.join(" ")
  }
  // Iterative depth-first walk: a deep tree does not overflow the stack.
  const walk: Array<
    { readonly node: TaskTreeNode; readonly prefix: string; readonly last: boolean; readonly root: boolean }
  > = (children.get(null) ?? []).map((node) => ({ node, prefix: "", last: true, root: true })).reverse()
  while (walk.length > 0) {
    const { last, node, prefix, root } = walk.pop()!
    lines.push(root ? line(node) : `${prefix}${last ? "└─ " : "├─ "}${line(node)}`)
    const kids = children.get(node.id) ?? []
    const childPrefix = root ? "" : `${prefix}${last ? "   " : "│  "}`
    for (let i = kids.length - 1; i >= 0; i--) {
      walk.push({ node: kids[i], prefix: childPrefix, last: i === kids.length - 1, root: false })
    }
  }
  return lines.join("\n")
}
