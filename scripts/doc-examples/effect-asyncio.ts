/**
 * `effect-asyncio` as the doc examples see it: the same, except that `run`
 * gives its program virtual time (`clock.ts`); the rest of `run` (signals,
 * exit code, stopping work left behind) is the real one.
 */
import * as aio from "effect-asyncio"
import { autoJump } from "./clock.ts"

export * from "effect-asyncio"

export const run: typeof aio.run = (main, options) => aio.run(autoJump(main), options)
