/**
 * How a durable verb sits in a workflow run: it needs the run's instance, it
 * counts as one activity of its caller while it works (so a sibling waiting
 * on a durable timer does not suspend the run under it), and when nothing it
 * waits for can happen in this run it suspends its caller, which replays
 * once a timer or a branch's wait is over.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Latch from "effect/Latch"
import * as Option from "effect/Option"
import * as Workflow from "effect/workflow/Workflow"
import { WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { misuse } from "../../internal/validate.ts"

/** @internal */
export type Instance = WorkflowInstance["Service"]

/**
 * What a verb's body returns when it cannot finish in this run.
 *
 * @internal
 */
export const parked: unique symbol = Symbol.for("effect-asyncio/durable/parked")

/** @internal */
export type Parked = typeof parked

/**
 * The current workflow instance; using a durable verb outside a workflow is
 * misuse.
 *
 * @internal
 */
export const currentInstance = (fn: string): Effect.Effect<Instance> =>
  Effect.flatMap(Effect.serviceOption(WorkflowInstance), (instance) =>
    Option.isSome(instance)
      ? Effect.succeed(instance.value)
      : Effect.die(misuse(`${fn}: must run inside a workflow (in the handler given to Workflow.toLayer)`)))

/**
 * A copy of `parent` for one branch of a verb: the branch shares the run (its
 * scope, its waits), but has its own activity count and its own `suspended`
 * flag, so a branch waiting on a durable timer stops only itself, and the
 * verb decides whether the run must suspend.
 *
 * @internal
 */
export const branchInstance = (parent: Instance): Instance => ({
  ...parent,
  suspended: false,
  activityState: { count: 0, latch: Latch.makeUnsafe() }
})

/**
 * Whether a branch ended because it is waiting on something durable (it
 * interrupted itself after marking its instance suspended), rather than with
 * a result.
 *
 * @internal
 */
export const isParkedExit = (exit: Exit.Exit<unknown, unknown>, instance: Instance): boolean =>
  instance.suspended && Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)

/**
 * Runs a verb's body as one activity of its caller, and suspends the caller
 * when the body is parked (after the caller's other activities have
 * finished, as a durable wait in Effect's own engine does).
 *
 * @internal
 */
export const runVerb = <A, E, R>(
  fn: string,
  body: (parent: Instance) => Effect.Effect<A | Parked, E, R>
): Effect.Effect<A, E, R | WorkflowInstance> =>
  Effect.flatMap(currentInstance(fn), (parent) =>
    Effect.flatMap(
      Workflow.wrapActivityResult(body(parent), (result) => result === parked),
      (result) => result === parked ? Workflow.suspend(parent) : Effect.succeed(result as A)
    ))
