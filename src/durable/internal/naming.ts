/**
 * Deterministic names for durable steps. An engine memoizes an activity's
 * result and a timer by name, so two steps with one name would silently share
 * a result, and a name that changes between a run and its replay would run a
 * finished activity again.
 *
 * A step without an explicit name is named after its call site (the file's
 * base name, line and column, where the step was created) under the path of
 * the verb branch it runs in, with a counter for the times that call site ran
 * before in this run of the workflow: `order.ts:12:7#0`, and inside the third
 * branch of that gather `order.ts:12:7#0/2/order.ts:30:5#0`. A run is
 * deterministic, so its replay counts the same. A step with an explicit name
 * is named exactly that, and a second use of the name in one run is misuse.
 *
 * @internal
 */
import type * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import { misuse, show } from "../../internal/validate.ts"

// The path of the verb branch an instance belongs to: `""` for the instance
// of a run (and for any instance not listed), `"<verb key>/<position>/"` for
// the copy a verb makes for one of its branches, `"<activity name>/"` for the
// instance an activity's body runs with. It is kept with the instance rather
// than in the fiber's context, because an engine starts a replay from
// whichever fiber woke the run, whose context it passes on.
const paths = new WeakMap<object, string>()

/**
 * Records that `instance` runs the branch at `path`.
 *
 * @internal
 */
export const setPath = (instance: WorkflowEngine.WorkflowInstance["Service"], path: string): void => {
  paths.set(instance, path)
}

interface RunNames {
  /** Times each `path + call site` ran in this run. */
  readonly counters: Map<string, number>
  /** Every name claimed in this run, with who claimed it, for the error message. */
  readonly claimed: Map<string, string>
}

// One entry per run of a workflow: every run (a first run or a replay) gets a
// fresh scope from the engine, shared by the copies of its instance that
// verbs make for their branches.
const runs = new WeakMap<object, RunNames>()

const namesOf = (instance: WorkflowEngine.WorkflowInstance["Service"]): RunNames => {
  let names = runs.get(instance.scope)
  if (names === undefined) {
    names = { counters: new Map(), claimed: new Map() }
    runs.set(instance.scope, names)
  }
  return names
}

/**
 * Where the caller of `fn` is, as `file:line:column` with the file's base name
 * (so the name does not depend on where the code is installed).
 *
 * @internal
 */
export const callSite = (fn: Function): string => {
  const holder: { stack?: string } = {}
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 1
  Error.captureStackTrace(holder, fn)
  Error.stackTraceLimit = limit
  const frame = holder.stack?.split("\n")[1] ?? ""
  return /([^/\\(\s]+:\d+:\d+)\)?\s*$/.exec(frame)?.[1] ?? "anonymous"
}

/**
 * Checks an explicit step name: a non-empty string, or `undefined` for a name
 * taken from the call site.
 *
 * @internal
 */
export const checkName = (fn: string, name: unknown): string | undefined => {
  if (name === undefined) return undefined
  if (typeof name !== "string" || name.length === 0) {
    throw misuse(`${fn}: name must be a non-empty string, got ${show(name)}`)
  }
  return name
}

/**
 * Claims the name of a step about to run with `instance`: `name` when given
 * (misuse if this run already used it), otherwise the call site under the
 * instance's path, with its counter.
 *
 * @internal
 */
export const claimName = (
  fn: string,
  instance: WorkflowEngine.WorkflowInstance["Service"],
  site: string,
  name: string | undefined
): string => {
  const names = namesOf(instance)
  let claimed: string
  if (name === undefined) {
    const base = (paths.get(instance) ?? "") + site
    const count = names.counters.get(base) ?? 0
    names.counters.set(base, count + 1)
    claimed = `${base}#${count}`
  } else {
    claimed = name
  }
  const previous = names.claimed.get(claimed)
  if (previous !== undefined) {
    throw misuse(
      `${fn}: name ${JSON.stringify(claimed)} is already used in this run of workflow ` +
        `${JSON.stringify(instance.workflow._tag)} (by ${previous}); two steps with one name would share one ` +
        `recorded result, so give each step its own name`
    )
  }
  names.claimed.set(claimed, `${fn} at ${site}`)
  return claimed
}
