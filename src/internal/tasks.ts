/**
 * Starting a task: `createTask` and `tg.createTask` both name it, run it in a
 * span when a `Tracer` is installed, and record it for the task tree.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { adoptTask, supervisorOf } from "./frame.ts"
import { registerTask, taskNameOf, type TreeNode } from "./registry.ts"
import { misuse, show } from "./validate.ts"

/**
 * Options of `createTask` and `tg.createTask`.
 *
 * @internal
 */
export interface TaskOptions {
  readonly name?: string | undefined
}

/**
 * Checks a task's options: the name, if any, is a string.
 *
 * @internal
 */
export const taskName = (fn: string, options: TaskOptions | undefined): string | undefined => {
  const name = options?.name
  if (name !== undefined && typeof name !== "string") throw misuse(`${fn}: name must be a string, got ${show(name)}`)
  return name
}

/**
 * With a tracer installed, the task runs in a span named after it (so the
 * tracing shows the task tree): the span is the parent span in the task's
 * context, set before the task starts, and ends with the task. Nothing
 * happens without a tracer.
 */
const traceTask = (creator: Fiber.Fiber<unknown, unknown>, task: Fiber.Fiber<unknown, unknown>): void => {
  const tracer = creator.cache.tracer
  if (tracer === undefined) return
  const parent = creator.cache.span
  const clock = creator.getRef(Clock.Clock)
  const span = tracer.span({
    name: taskNameOf(task) ?? "task",
    parent: Option.fromNullishOr(parent),
    annotations: Context.empty(),
    links: [],
    startTime: clock.currentTimeNanosUnsafe(),
    kind: "internal",
    root: false,
    sampled: parent?.sampled ?? true
  })
  task.setContext(Context.add(task.context, Tracer.ParentSpan, span))
  task.addObserver((exit) => span.end(clock.currentTimeNanosUnsafe(), exit))
}

/**
 * After the fork, in the creator's own fiber (the code after a fork runs
 * there): moves the task to its supervisor and records it. One shared
 * function, no closure per task.
 *
 * The creator is the running fiber, not Effect's link from the task back to
 * it: a busy creator may yield to the scheduler between the fork and the code
 * after it, and a task that runs and ends meanwhile has lost that link.
 */
const adoptAndRecord = <A, E>(task: Fiber.Fiber<A, E>, name?: string): Fiber.Fiber<A, E> => {
  const creator = Fiber.getCurrent()!
  const supervisor = supervisorOf(creator)
  adoptTask(task, creator, supervisor)
  registerTask(task, supervisor, name)
  traceTask(creator, task)
  return task
}

const adoptAndRecordUnnamed = <A, E>(task: Fiber.Fiber<A, E>): Fiber.Fiber<A, E> => adoptAndRecord(task)

/**
 * `Effect.forkChild` for `createTask`: the task becomes a child of the fiber
 * that supervises the caller (see `supervisorOf`), and is recorded as a task.
 *
 * @internal
 */
export const forkTask = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  name: string | undefined
): Effect.Effect<Fiber.Fiber<A, E>, never, R> =>
  name === undefined
    ? Effect.map(Effect.forkChild(effect), adoptAndRecordUnnamed)
    : Effect.map(Effect.forkChild(effect), (task) => adoptAndRecord(task, name))

/**
 * `Effect.forkDetach` for `tg.createTask`: the group supervises the task.
 *
 * @internal
 */
export const forkGroupTask = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  group: TreeNode,
  name: string | undefined
): Effect.Effect<Fiber.Fiber<A, E>, never, R> =>
  Effect.withFiber((creator) =>
    Effect.map(Effect.forkDetach(effect), (task) => {
      registerTask(task, group, name)
      traceTask(creator, task)
      return task
    })
  )
