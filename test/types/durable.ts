/**
 * Type tests for effect-asyncio/durable: compiled by `tsc -p tsconfig.json`
 * as part of `npm test`.
 */
import type { Cause, Exit, Fiber, Option } from "effect"
import { Data, Effect, Schema, Stream } from "effect"
import * as durable from "effect-asyncio/durable"
import type { WorkflowEngine } from "effect/workflow"
import type { Equal, Expect } from "./helpers.ts"

type Engine = WorkflowEngine.WorkflowEngine | WorkflowEngine.WorkflowInstance

class Declined extends Schema.TaggedError<Declined>()("Declined", {}) {}
class Plain extends Data.TaggedError("Plain")<{}> {}

// an activity keeps its value and typed failure, and needs the engine
const charge = durable.activity(Effect.fail(new Declined()) as Effect.Effect<string, Declined>, { error: Declined })
export type ActivityType = Expect<Equal<typeof charge, Effect.Effect<string, Declined, Engine>>>

// JSON data needs no schema
const json = durable.activity(Effect.succeed({ total: 3, items: ["a"] }))
export type ActivityJson = Expect<
  Equal<typeof json, Effect.Effect<{ total: number; items: Array<string> }, never, Engine>>
>

// an effect built inline by a generic call keeps its value type (the options
// argument used to be a conditional rest parameter, which made TypeScript
// infer `unknown` here and then ask for a success schema)
const inline = durable.activity(Effect.as(Effect.sleep(1), 10))
export type ActivityInline = Expect<Equal<typeof inline, Effect.Effect<number, never, Engine>>>
const inlineNamed = durable.activity(Effect.as(Effect.sleep(1), "ten"), { name: "ten" })
export type ActivityInlineNamed = Expect<Equal<typeof inlineNamed, Effect.Effect<string, never, Engine>>>

// a failure needs an error schema, a value that is not JSON data a success schema
// @ts-expect-error: no error schema for a typed failure
durable.activity(Effect.fail(new Plain()))
// @ts-expect-error: a Date is not JSON data
durable.activity(Effect.succeed(new Date()))
durable.activity(Effect.succeed(new Date()), { success: Schema.Date })

declare const num: Effect.Effect<number, Declined, Engine>
declare const str: Effect.Effect<string, never, Engine>

// gather keeps the shape and unites the errors
const tuple = durable.gather([num, str])
export type GatherTuple = Expect<Equal<typeof tuple, Effect.Effect<[number, string], Declined, Engine>>>
const record = durable.gather({ n: num, s: str })
export type GatherRecord = Expect<Equal<typeof record, Effect.Effect<{ n: number; s: string }, Declined, Engine>>>
const exits = durable.gather([num, str], { returnExceptions: true })
export type GatherExits = Expect<
  Equal<typeof exits, Effect.Effect<[Exit.Exit<number, Declined>, Exit.Exit<string, never>], never, Engine>>
>

// wait gives fibers, and never fails
const waited = durable.wait([num, num], { returnWhen: durable.FIRST_COMPLETED, timeout: "1 second" })
export type Wait = Expect<
  Equal<
    typeof waited,
    Effect.Effect<durable.WaitResult<number, Declined>, never, Engine>
  >
>
export type WaitDone = Expect<
  Equal<durable.WaitResult<number, Declined>["done"], ReadonlyArray<Fiber.Fiber<number, Declined>>>
>

// waitFor and timeout add TimeoutError, in both call styles
const bounded = durable.waitFor(num, "1 second")
export type WaitFor = Expect<Equal<typeof bounded, Effect.Effect<number, Declined | Cause.TimeoutError, Engine>>>
const piped = num.pipe(durable.waitFor("1 second"))
export type WaitForPiped = Expect<Equal<typeof piped, typeof bounded>>
const scoped = durable.timeout("1 second", num)
export type Timeout = Expect<Equal<typeof scoped, typeof bounded>>

// asCompleted fails with TimeoutError only when given a timeout
const untimed = Stream.runHead(durable.asCompleted([num, num]))
export type AsCompleted = Expect<Equal<typeof untimed, Effect.Effect<Option.Option<number>, Declined, Engine>>>
const timed = Stream.runHead(durable.asCompleted([num, num], { timeout: "1 minute" }))
export type AsCompletedTimed = Expect<
  Equal<typeof timed, Effect.Effect<Option.Option<number>, Declined | Cause.TimeoutError, Engine>>
>

// sleep
export type Sleep = Expect<Equal<ReturnType<typeof durable.sleep>, Effect.Effect<void, never, Engine>>>
