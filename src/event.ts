/**
 * `makeEvent`: asyncio's `Event`, a flag that fibers wait on.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Latch from "effect/Latch"

const TypeId = "~effect-asyncio/Event" as const

/**
 * A flag that fibers can wait for, like `asyncio.Event`. Users get one from
 * {@link makeEvent}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Event extends Inspectable.Inspectable {
  readonly [TypeId]: typeof TypeId
  /** Sets the flag and wakes every waiter (`event.set()`). */
  readonly set: Effect.Effect<void>
  /** Clears the flag: later waits wait again (`event.clear()`). */
  readonly clear: Effect.Effect<void>
  /** Whether the flag is set (`event.is_set()`). */
  readonly isSet: Effect.Effect<boolean>
  /** Waits until the flag is set; returns `true` (`await event.wait()`). */
  readonly wait: Effect.Effect<true>
}

// Effect's `Latch` has exactly asyncio's semantics: `open` wakes every
// current waiter (even if the latch is closed again before they run) and
// lets later ones through; `close` makes later ones wait; an interrupted
// waiter leaves the list.
class EventImpl extends Inspectable.Class implements Event {
  readonly [TypeId] = TypeId
  readonly latch = Latch.makeUnsafe(false)
  readonly set: Effect.Effect<void> = Effect.asVoid(this.latch.open)
  readonly clear: Effect.Effect<void> = Effect.asVoid(this.latch.close)
  readonly isSet: Effect.Effect<boolean> = Effect.sync(() => Latch.isOpen(this.latch))
  readonly wait: Effect.Effect<true> = Effect.as(this.latch.await, true)

  toJSON(): unknown {
    return { _id: "Event", isSet: Latch.isOpen(this.latch) }
  }
}

/**
 * Makes an event, like `asyncio.Event()`: a flag, initially clear, that
 * fibers wait on until some fiber sets it.
 *
 * **When to use**
 *
 * Use to hold many fibers back until something has happened once: a service
 * has started, a configuration is loaded, a shutdown was requested.
 *
 * **Details**
 *
 * - `wait` returns `true` at once if the flag is set, and otherwise waits
 *   until `set` is called.
 * - `set` wakes every fiber waiting at that moment, in the order they came;
 *   they return `true` even if the flag is cleared again before they run, as
 *   in asyncio. Later waits pass at once until `clear`.
 * - An interrupted waiter leaves the list of waiters.
 *
 * **Gotchas**
 *
 * Built on Effect's `Latch` (`open`, `close`, `await`), whose semantics are
 * asyncio's; the handle only adds asyncio's names and `wait`'s `true`.
 *
 * **Example** (A start-up gate)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect, Fiber } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const ready = yield* aio.makeEvent()
 *   const worker = yield* aio.createTask(Effect.as(ready.wait, "served"))
 *   yield* Effect.sleep("50 millis") // start-up
 *   yield* ready.set
 *   return yield* Fiber.join(worker)
 * })
 *
 * Effect.runPromise(program).then(console.log)
 * // => "served"
 * ```
 *
 * @see {@link makeCondition} to wait for a change of state made under a lock
 * @category constructors
 * @since 0.1.0
 */
export const makeEvent = (): Effect.Effect<Event> => Effect.sync(() => new EventImpl())
