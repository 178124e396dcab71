/** `effect` as the doc examples see it: the same, with `Effect` from `effect-module.ts`. */
export * from "effect"
export * as Effect from "./effect-module.ts"
