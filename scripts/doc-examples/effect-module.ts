/**
 * `effect/Effect` as the doc examples see it: the same module, except that
 * `runPromise` and `runPromiseExit` run the program on virtual time
 * (`clock.ts`).
 */
import * as Effect from "effect/Effect"
import { autoJump } from "./clock.ts"

export * from "effect/Effect"

export const runPromise: typeof Effect.runPromise = (effect, options) => Effect.runPromise(autoJump(effect), options)

export const runPromiseExit: typeof Effect.runPromiseExit = (effect, options) =>
  Effect.runPromiseExit(autoJump(effect), options)
