/**
 * Issue 9, item 2: `gather`'s result type follows `returnExceptions` for
 * every way the option can be passed. Compiled by `npm run typecheck`.
 */
import type { Exit, SubscriptionRef } from "effect"
import { Data, Effect } from "effect"
import * as aio from "effect-asyncio"
import type { Equal, Expect } from "./helpers.ts"

class ApiError extends Data.TaggedError("ApiError")<{}> {}

declare const num: Effect.Effect<number, ApiError>
declare const str: Effect.Effect<string>

type Values = [number, string]
type Exits = [Exit.Exit<number, ApiError>, Exit.Exit<string, never>]

// literal true: one Exit per slot, and gather never fails
const literalTrue = aio.gather([num, str], { returnExceptions: true })
export type LiteralTrue = Expect<Equal<typeof literalTrue, Effect.Effect<Exits, never, never>>>

// literal false: the values, and the inputs' errors
const literalFalse = aio.gather([num, str], { returnExceptions: false })
export type LiteralFalse = Expect<Equal<typeof literalFalse, Effect.Effect<Values, ApiError, never>>>

// omitted (no options, or options without it): the values
const omitted = aio.gather([num, str])
export type Omitted = Expect<Equal<typeof omitted, Effect.Effect<Values, ApiError, never>>>
const otherOptions = aio.gather([num, str], { concurrency: 2 })
export type OtherOptions = Expect<Equal<typeof otherOptions, Effect.Effect<Values, ApiError, never>>>
const undefinedOption = aio.gather([num, str], { returnExceptions: undefined })
export type UndefinedOption = Expect<Equal<typeof undefinedOption, Effect.Effect<Values, ApiError, never>>>

// a boolean known only at run time: either shape, so a slot must be checked before use
declare const flag: boolean
const fromBoolean = aio.gather([num, str], { returnExceptions: flag })
export type FromBoolean = Expect<Equal<typeof fromBoolean, Effect.Effect<Exits | Values, ApiError, never>>>

// a GatherOptions built elsewhere: either shape too
declare const options: aio.GatherOptions
const prebuilt = aio.gather([num, str], options)
export type Prebuilt = Expect<Equal<typeof prebuilt, Effect.Effect<Exits | Values, ApiError, never>>>

// ... and its narrower forms keep their shape
const exitsOptions = { returnExceptions: true } as const
const prebuiltTrue = aio.gather([num, str], exitsOptions)
export type PrebuiltTrue = Expect<Equal<typeof prebuiltTrue, Effect.Effect<Exits, never, never>>>

// the union is honest: reading a value without checking does not compile
export const unchecked = Effect.map(fromBoolean, ([n]) =>
  // @ts-expect-error n may be an Exit, which has no toFixed
  n.toFixed())

// records and iterables follow the same rule
const recordEither = aio.gather({ n: num }, options)
export type RecordEither = Expect<
  Equal<typeof recordEither, Effect.Effect<{ n: Exit.Exit<number, ApiError> } | { n: number }, ApiError, never>>
>
declare const many: Array<Effect.Effect<number, ApiError>>
const iterableEither = aio.gather(many, { returnExceptions: flag })
export type IterableEither = Expect<
  Equal<typeof iterableEither, Effect.Effect<Array<Exit.Exit<number, ApiError>> | Array<number>, ApiError, never>>
>

// a progress ref changes nothing in the type
declare const progress: SubscriptionRef.SubscriptionRef<aio.Progress>
const withProgress = aio.gather([num, str], { progress })
export type WithProgress = Expect<Equal<typeof withProgress, Effect.Effect<Values, ApiError, never>>>
const exitsWithProgress = aio.gather([num, str], { returnExceptions: true, progress })
export type ExitsWithProgress = Expect<Equal<typeof exitsWithProgress, Effect.Effect<Exits, never, never>>>
// @ts-expect-error progress counts only: a ref of numbers does not fit
export const wrongRef = aio.gather([num], { progress: {} as SubscriptionRef.SubscriptionRef<number> })
