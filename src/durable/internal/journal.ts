/**
 * The journal of a workflow run: small decisions recorded once, before the
 * workflow observes them, and read back by every replay. Which branch won a
 * race, which steps were done when a timeout fired, the order `asCompleted`
 * delivered, the deadline a timer was set to.
 *
 * An entry is a `DurableDeferred` completed by the run itself, the engine's
 * own primitive for a value that survives restarts: the first value recorded
 * under a name wins, and reading it back needs no new API from the engine.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as DurableDeferred from "effect/workflow/DurableDeferred"
import { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"

/** An entry holds JSON data: indices, lists of indices, a time in milliseconds. */
const entry = (name: string) => DurableDeferred.make(`effect-asyncio/${name}`, { success: Schema.Json })

/**
 * The value recorded under `name` in this workflow execution, if any.
 *
 * @internal
 */
export const readEntry: (
  name: string
) => Effect.Effect<Option.Option<Schema.Json>, never, WorkflowEngine | WorkflowInstance> = Effect.fnUntraced(
  function*(name: string) {
    const engine = yield* WorkflowEngine
    const exit = yield* engine.deferredResult(entry(name))
    return Option.isSome(exit) && Exit.isSuccess(exit.value) ? Option.some(exit.value.value) : Option.none()
  }
)

/**
 * Records `value` under `name` in this workflow execution. Recording twice
 * keeps the first value.
 *
 * @internal
 */
export const writeEntry: (
  name: string,
  value: Schema.Json
) => Effect.Effect<void, never, WorkflowEngine | WorkflowInstance> = Effect.fnUntraced(
  function*(name: string, value: Schema.Json) {
    const engine = yield* WorkflowEngine
    const instance = yield* WorkflowInstance
    const deferred = entry(name)
    yield* engine.deferredDone(deferred, {
      workflowName: instance.workflow._tag,
      executionId: instance.executionId,
      deferredName: deferred.name,
      exit: Exit.succeed(value)
    })
  }
)
