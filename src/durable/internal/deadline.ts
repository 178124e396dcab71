/**
 * Durable timers. A timer's deadline is read once from the `Clock`, when the
 * timer is first armed, and recorded in the journal; every replay reads the
 * recorded deadline, so a replay never disagrees about when the timer is due.
 *
 * While the run has other work in flight, the timer waits in memory, to the
 * millisecond. When it is the only thing left, a timer due within
 * {@link InMemoryThreshold} still waits in memory; a later one schedules the
 * engine's durable clock (`DurableClock`) for the same deadline and the run
 * suspends, to be replayed when the clock fires (late by up to the engine's
 * poll interval).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as DurableClock from "effect/workflow/DurableClock"
import { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { InMemoryThreshold } from "../inMemoryThreshold.ts"
import { readEntry, writeEntry } from "./journal.ts"

/**
 * A timer of a run: its name (for the journal and the durable clock) and its
 * deadline in milliseconds on the `Clock`.
 *
 * @internal
 */
export interface Deadline {
  readonly name: string
  readonly at: number
}

/**
 * The deadline of the timer `name`, due `millis` from now the first time the
 * run reaches it, recorded then and read back by every replay.
 *
 * @internal
 */
export const deadline: (
  name: string,
  millis: number
) => Effect.Effect<Deadline, never, WorkflowEngine | WorkflowInstance> = Effect.fnUntraced(
  function*(name: string, millis: number) {
    const recorded = yield* readEntry(name)
    if (Option.isSome(recorded)) return { name, at: recorded.value as number }
    const at = (yield* Clock.currentTimeMillis) + millis
    yield* writeEntry(name, at)
    return { name, at }
  }
)

/**
 * Milliseconds until the deadline (zero or less once it has passed).
 *
 * @internal
 */
export const remainingMillis = (timer: Deadline): Effect.Effect<number> =>
  Effect.map(Clock.currentTimeMillis, (now) => timer.at - now)

/**
 * Completes when the deadline passes, waiting in memory.
 *
 * @internal
 */
export const sleepUntil = (timer: Deadline): Effect.Effect<void> =>
  Effect.flatMap(remainingMillis(timer), (remaining) => remaining > 0 ? Effect.sleep(remaining) : Effect.void)

/**
 * Whether the timer should suspend the run rather than wait in memory, when
 * it is the only thing the run waits for.
 *
 * @internal
 */
export const shouldSuspend = (timer: Deadline): Effect.Effect<boolean> =>
  Effect.flatMap(
    remainingMillis(timer),
    (remaining) =>
      Effect.map(Effect.service(InMemoryThreshold), (threshold) => remaining > Duration.toMillis(threshold))
  )

/**
 * Schedules the engine's durable clock for the deadline, so the run is
 * replayed when it fires, and registers the run as waiting on it (so a clock
 * that fires while the run is still suspending wakes it once it has
 * suspended). Returns `true` when the clock has fired already (a replay on a
 * machine whose clock is behind the one that recorded the deadline), in which
 * case the run must not suspend.
 *
 * @internal
 */
export const scheduleWakeUp: (timer: Deadline) => Effect.Effect<boolean, never, WorkflowEngine | WorkflowInstance> =
  Effect.fnUntraced(function*(timer: Deadline) {
    const engine = yield* WorkflowEngine
    const instance = yield* WorkflowInstance
    const remaining = yield* remainingMillis(timer)
    const clock = DurableClock.make({ name: timer.name, duration: Math.max(1, remaining) })
    const waiting = instance.awaitedDeferreds
    waiting.set(clock.deferred.name, (waiting.get(clock.deferred.name) ?? 0) + 1)
    yield* engine.scheduleClock(instance.workflow, { executionId: instance.executionId, clock })
    return Option.isSome(yield* engine.deferredResult(clock.deferred))
  })
