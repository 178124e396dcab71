/**
 * The engine of `waitFor` and `timeout`: one step raced against a durable
 * deadline, the winner recorded before it is returned.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { deadline } from "./deadline.ts"
import { readEntry, writeEntry } from "./journal.ts"
import { claimName } from "./naming.ts"
import { race } from "./race.ts"
import { parked, runVerb } from "./workflow.ts"

/** Journal values: which side won. */
const stepWon = 0
const deadlineWon = -1

/**
 * Runs `step` with a durable time limit of `millis` (Infinity: none); see
 * `waitFor`.
 *
 * @internal
 */
export const runBounded = <A, E, R>(
  fn: string,
  site: string,
  explicit: string | undefined,
  step: Effect.Effect<A, E, R>,
  millis: number
): Effect.Effect<A, E | Cause.TimeoutError, R | WorkflowEngine | WorkflowInstance> =>
  runVerb(fn, (parent) =>
    Effect.gen(function*() {
      const key = claimName(fn, parent, site, explicit)
      const recorded = millis === Infinity ? Option.none() : yield* readEntry(key)
      if (Option.isSome(recorded) && recorded.value === deadlineWon) {
        return yield* new Cause.TimeoutError(`${fn}: timed out after ${millis} ms`)
      }
      const timer = Option.isNone(recorded) && millis !== Infinity
        ? yield* deadline(`${key}/deadline`, millis)
        : undefined
      const outcome = yield* race({
        fn,
        parent,
        key,
        steps: [step],
        order: [0],
        concurrency: 1,
        deadline: timer,
        onEnd: (_, exit) =>
          Effect.as(
            timer === undefined ? Effect.void : writeEntry(key, stepWon),
            Option.some<Exit.Exit<A, E> | "timeout">(exit)
          ),
        onDeadline: () => Effect.as(writeEntry(key, deadlineWon), "timeout" as const)
      })
      if (outcome === parked) return parked
      if (outcome === "timeout") return yield* new Cause.TimeoutError(`${fn}: timed out after ${millis} ms`)
      return yield* outcome
    }))
