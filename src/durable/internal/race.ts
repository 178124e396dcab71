/**
 * The one engine behind every durable verb: steps run as branches, each in
 * its own fiber, under its own path (so the names of the activities and
 * timers inside it are its own) and with its own copy of the workflow
 * instance (so a branch waiting on something durable stops only itself). The
 * verb's policy sees each branch end, in the order they end, and the
 * deadline pass, and decides when to return; it records in the journal what
 * a replay must repeat before it returns. When every branch has ended and
 * the ones without a result are waiting on something durable, the race is
 * parked: the verb suspends its caller, and the run is replayed when one of
 * those waits (or the deadline's durable clock) is over.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Queue from "effect/Queue"
import { type WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import { type Deadline, scheduleWakeUp, shouldSuspend, sleepUntil } from "./deadline.ts"
import { claimName, setPath } from "./naming.ts"
import { branchInstance, type Instance, isParkedExit, type Parked, parked } from "./workflow.ts"

/**
 * The branches of a race, for its policy: the fiber of each branch started
 * so far, by step index.
 *
 * @internal
 */
export interface Branches<A, E> {
  readonly fibers: ReadonlyArray<Fiber.Fiber<A, E> | undefined>
}

/** @internal */
export interface RaceOptions<A, E, R, B, E2, R2> {
  /** The verb, for messages. */
  readonly fn: string
  readonly parent: Instance
  /** The verb's name: branch `i` runs under the path `key/i/`. */
  readonly key: string
  readonly steps: ReadonlyArray<Effect.Effect<A, E, R>>
  /** The indices of the steps that take part, in the order they start. */
  readonly order: ReadonlyArray<number>
  readonly concurrency: number
  readonly deadline?: Deadline | undefined
  /** Leave the branches that have not ended running when the policy returns (`wait`). */
  readonly leaveRunning?: boolean | undefined
  /** Called once the first branches have started; `Some` ends the race at once. */
  readonly onStart?: ((branches: Branches<A, E>) => Option.Option<B>) | undefined
  /** Called when a branch ends with a result (not parked); `Some` ends the race. */
  readonly onEnd: (
    index: number,
    exit: Exit.Exit<A, E>,
    branches: Branches<A, E>
  ) => Effect.Effect<Option.Option<B>, E2, R2>
  /** Called when the deadline passes; ends the race. */
  readonly onDeadline?: ((branches: Branches<A, E>) => Effect.Effect<B, E2, R2>) | undefined
}

type Event<A, E> =
  | { readonly _tag: "Ended"; readonly index: number; readonly exit: Exit.Exit<A, E>; readonly parked: boolean }
  | { readonly _tag: "Deadline" }

const deadlinePassed: Event<never, never> = { _tag: "Deadline" }

const isActivity = (u: unknown): u is { readonly name: string } => Predicate.hasProperty(u, "~effect/workflow/Activity")

/**
 * Runs the race; see the module documentation.
 *
 * @internal
 */
export const race = <A, E, R, B, E2, R2>(
  options: RaceOptions<A, E, R, B, E2, R2>
): Effect.Effect<B | Parked, E2, R | R2 | WorkflowEngine | WorkflowInstance> =>
  Effect.suspend(() => {
    const { concurrency, deadline, key, order, parent, steps } = options
    // An Activity made by the user is memoized under its own name, which a
    // verb cannot change: claim it, so that a second use in this run is caught.
    for (const index of order) {
      const step = steps[index]
      if (isActivity(step)) claimName(options.fn, parent, `${key}/${index}`, step.name)
    }
    const fibers: Array<Fiber.Fiber<A, E> | undefined> = Array.from({ length: steps.length })
    const branches: Branches<A, E> = { fibers }
    const live = new Set<Fiber.Fiber<A, E>>()
    let next = 0
    let running = 0
    let parkedCount = 0
    let settled = false

    return Effect.gen(function*() {
      const events = yield* Queue.unbounded<Event<A, E>>()

      const startBranches = Effect.gen(function*() {
        while (running < concurrency && next < order.length) {
          const index = order[next++]
          const instance = branchInstance(parent)
          setPath(instance, `${key}/${index}/`)
          const fiber = yield* steps[index].pipe(Effect.provideService(WorkflowInstance, instance), Effect.forkChild)
          fibers[index] = fiber
          live.add(fiber)
          running++
          fiber.addObserver((exit) => {
            live.delete(fiber)
            const branchParked = isParkedExit(exit, instance)
            if (!settled) {
              Queue.offerUnsafe(events, { _tag: "Ended", index, exit, parked: branchParked })
            } else if (branchParked) {
              // A branch left running by `wait` now waits on something
              // durable: whoever joins it ends interrupted, and the run must
              // then suspend rather than end.
              parent.suspended = true
            }
          })
        }
      })

      let timer: Fiber.Fiber<unknown> | undefined

      const loop = Effect.gen(function*() {
        yield* startBranches
        const atStart = options.onStart?.(branches)
        if (atStart !== undefined && Option.isSome(atStart)) return atStart.value
        // Started after the branches, so a branch that needs no waiting
        // finishes first even against a deadline that has passed.
        if (deadline !== undefined) {
          timer = yield* Effect.forkChild(Effect.andThen(sleepUntil(deadline), Queue.offer(events, deadlinePassed)))
        }
        while (true) {
          if (running === 0 && next === order.length) {
            // Every branch has ended; those without a result wait on something durable.
            if (deadline === undefined) {
              if (parkedCount === 0) return yield* Effect.die(new Error(`${options.fn}: race ended without a result`))
              return parked
            }
            if ((yield* shouldSuspend(deadline)) && !(yield* scheduleWakeUp(deadline))) return parked
          }
          const event = yield* Queue.take(events)
          if (event._tag === "Deadline") return yield* options.onDeadline!(branches)
          running--
          if (event.parked) {
            parkedCount++
          } else {
            const result = yield* options.onEnd(event.index, event.exit, branches)
            if (Option.isSome(result)) return result.value
          }
          yield* startBranches
        }
      })

      const stop = (exit: Exit.Exit<B | Parked, E2>) =>
        Effect.gen(function*() {
          settled = true
          if (timer !== undefined) yield* Fiber.interrupt(timer)
          if (options.leaveRunning === true && Exit.isSuccess(exit)) {
            // A branch left to the caller that already waits on something
            // durable: whoever joins it ends interrupted, and the run must
            // then suspend rather than end.
            if (parkedCount > 0) parent.suspended = true
            return
          }
          const stopped = Array.from(live)
          yield* Fiber.interruptAll(stopped)
          for (const fiber of stopped) {
            const branchExit = yield* Fiber.await(fiber)
            // The verb's outcome is what the journal holds, which a replay
            // repeats; an error raised while a branch was being interrupted
            // would not be repeated, so it is logged rather than raised.
            if (Exit.isFailure(branchExit) && !Cause.hasInterruptsOnly(branchExit.cause)) {
              yield* Effect.logWarning(
                `${options.fn}: a branch failed while it was being interrupted`,
                branchExit.cause
              )
            }
          }
        })

      return yield* Effect.onExit(loop, stop)
    })
  })
