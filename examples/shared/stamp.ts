/**
 * Time stamps for the examples that print when things happen: milliseconds
 * since the program started, on the `Clock` (so exact under `TestClock`,
 * and rounded to 10 ms when run for real by `npm start`).
 */
import { Clock, Effect } from "effect"

/** An effect that gives the time since `start` as `"100 ms"`, padded to line up. */
export const stampSince = (start: number): Effect.Effect<string> =>
  Effect.map(Clock.currentTimeMillis, (now) => `${String(Math.round((now - start) / 10) * 10).padStart(3)} ms`)

/** Reads the clock now and gives a stamp relative to that moment. */
export const makeStamp: Effect.Effect<Effect.Effect<string>> = Effect.map(Clock.currentTimeMillis, stampSince)
