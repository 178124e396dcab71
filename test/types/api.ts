/**
 * Type tests for the public API: compiled by `tsc -p tsconfig.json` as part
 * of `npm test`. Each `Expect<Equal<...>>` fails to compile if inference
 * changes; each `@ts-expect-error` fails if misuse starts to compile.
 */
import type { Cause, Exit, Fiber, Option, Stream } from "effect"
import { Context, Data, Effect } from "effect"
import * as aio from "effect-asyncio"
import type { Equal, Expect } from "./helpers.ts"

class ApiError extends Data.TaggedError("ApiError")<{ readonly status: number }> {}
class DbError extends Data.TaggedError("DbError")<{}> {}
class Db extends Context.Service<Db, { readonly query: Effect.Effect<string> }>()("Db") {}

declare const num: Effect.Effect<number, ApiError>
declare const str: Effect.Effect<string, DbError, Db>
declare const plain: Effect.Effect<boolean>

// gather keeps the shape: a tuple gives a typed tuple and the union of errors and services
const tuple = aio.gather([num, str, plain])
export type GatherTuple = Expect<Equal<typeof tuple, Effect.Effect<[number, string, boolean], ApiError | DbError, Db>>>

// a record keeps its keys
const record = aio.gather({ n: num, s: str })
export type GatherRecord = Expect<Equal<typeof record, Effect.Effect<{ n: number; s: string }, ApiError | DbError, Db>>>

// an array of unknown length gives an array
declare const many: Array<Effect.Effect<number, ApiError>>
const array = aio.gather(many)
export type GatherArray = Expect<Equal<typeof array, Effect.Effect<Array<number>, ApiError, never>>>

// returnExceptions: true gives Exit slots and never fails
const exits = aio.gather([num, str], { returnExceptions: true })
export type GatherExits = Expect<
  Equal<typeof exits, Effect.Effect<[Exit.Exit<number, ApiError>, Exit.Exit<string, DbError>], never, Db>>
>
const recordExits = aio.gather({ n: num }, { returnExceptions: true })
export type GatherRecordExits = Expect<
  Equal<typeof recordExits, Effect.Effect<{ n: Exit.Exit<number, ApiError> }, never, never>>
>

// options without returnExceptions keep the plain result
const bounded = aio.gather([num, plain], { concurrency: 2 })
export type GatherBounded = Expect<Equal<typeof bounded, Effect.Effect<[number, boolean], ApiError, never>>>

// an empty tuple
const empty = aio.gather([])
export type GatherEmpty = Expect<Equal<typeof empty, Effect.Effect<[], never, never>>>

// tasks may stand among the effects
declare const numTask: Fiber.Fiber<number, ApiError>
const withTask = aio.gather([numTask, str])
export type GatherTask = Expect<Equal<typeof withTask, Effect.Effect<[number, string], ApiError | DbError, Db>>>
const withTaskExits = aio.gather({ t: numTask }, { returnExceptions: true })
export type GatherTaskExits = Expect<
  Equal<typeof withTaskExits, Effect.Effect<{ t: Exit.Exit<number, ApiError> }, never, never>>
>

// tasks
const task = aio.createTask(str)
export type CreateTask = Expect<Equal<typeof task, Effect.Effect<Fiber.Fiber<string, DbError>, never, Db>>>
declare const fiber: Fiber.Fiber<number, ApiError>
export type Cancel = Expect<Equal<ReturnType<typeof aio.cancel<number, ApiError>>, Effect.Effect<boolean>>>
const result = aio.result(fiber)
export type Result = Expect<Equal<typeof result, Effect.Effect<number, ApiError | aio.InvalidStateError>>>
const exception = aio.exception(fiber)
export type Exception = Expect<Equal<typeof exception, Effect.Effect<Option.Option<ApiError>, aio.InvalidStateError>>>

// wait returns the fibers it was given
const waited = aio.wait([fiber], { timeout: "1 second", returnWhen: aio.FIRST_COMPLETED })
export type Wait = Expect<Equal<typeof waited, Effect.Effect<aio.WaitResult<number, ApiError>>>>
declare const other: Fiber.Fiber<string, DbError>
const mixed = aio.wait([fiber, other])
export type WaitMixed = Expect<Equal<typeof mixed, Effect.Effect<aio.WaitResult<number | string, ApiError | DbError>>>>

// @ts-expect-error: wait takes fibers, not effects (asyncio 3.11 refuses coroutines too)
aio.wait([num])
// @ts-expect-error: returnWhen is one of the three constants
aio.wait([fiber], { returnWhen: "FIRST_NOTHING" })

// asCompleted: results in completion order, errors plus TimeoutError
const completed = aio.asCompleted([num, plain])
export type AsCompleted = Expect<
  Equal<typeof completed, Stream.Stream<number | boolean, ApiError | Cause.TimeoutError, never>>
>
const completedTasks = aio.asCompletedTasks([fiber])
export type AsCompletedTasks = Expect<
  Equal<typeof completedTasks, Stream.Stream<Fiber.Fiber<number, ApiError>, Cause.TimeoutError>>
>

// waitFor and timeout add Cause.TimeoutError, in both call styles
const waitedFor = aio.waitFor(str, "1 second")
export type WaitFor = Expect<Equal<typeof waitedFor, Effect.Effect<string, DbError | Cause.TimeoutError, Db>>>
const piped = str.pipe(aio.waitFor(100))
export type WaitForPiped = Expect<Equal<typeof piped, Effect.Effect<string, DbError | Cause.TimeoutError, Db>>>
const onTask = aio.waitFor(fiber, 100)
export type WaitForTask = Expect<Equal<typeof onTask, Effect.Effect<number, ApiError | Cause.TimeoutError, never>>>
const onTaskPiped = fiber.pipe(aio.waitFor(100))
export type WaitForTaskPiped = Expect<
  Equal<typeof onTaskPiped, Effect.Effect<number, ApiError | Cause.TimeoutError, never>>
>
const noLimit = aio.waitFor(num)
export type WaitForNoLimit = Expect<Equal<typeof noLimit, Effect.Effect<number, ApiError | Cause.TimeoutError, never>>>

const scoped = aio.timeout("1 second", str)
export type Timeout = Expect<Equal<typeof scoped, Effect.Effect<string, DbError | Cause.TimeoutError, Db>>>
const withHandle = aio.timeout(100, (t) => Effect.map(t.expired, (expired) => (expired ? 1 : 0)))
export type TimeoutHandle = Expect<Equal<typeof withHandle, Effect.Effect<0 | 1, Cause.TimeoutError, never>>>
const pipedTimeout = num.pipe(aio.timeout(null))
export type TimeoutPiped = Expect<
  Equal<typeof pipedTimeout, Effect.Effect<number, ApiError | Cause.TimeoutError, never>>
>
const at = aio.timeoutAt(1000, (t) => Effect.as(t.reschedule(null), "moved"))
export type TimeoutAt = Expect<Equal<typeof at, Effect.Effect<string, Cause.TimeoutError, never>>>
export type When = Expect<Equal<aio.Timeout["when"], Effect.Effect<number | null>>>

// taskGroup: the error type is inferred from the tasks, with no annotation
const group = aio.taskGroup((tg) =>
  Effect.gen(function*() {
    const a = yield* tg.createTask(num)
    yield* tg.createTask(str)
    return a
  })
)
export type Group = Expect<
  Equal<typeof group, Effect.Effect<Fiber.Fiber<number, ApiError>, aio.TaskGroupError<ApiError | DbError>, Db>>
>
const quiet = aio.taskGroup((tg) => tg.createTask(plain))
export type QuietGroup = Expect<
  Equal<typeof quiet, Effect.Effect<Fiber.Fiber<boolean>, aio.TaskGroupError<never>, never>>
>
declare const groupError: aio.TaskGroupError<ApiError>
export type GroupErrors = Expect<Equal<typeof groupError.errors, ReadonlyArray<ApiError>>>
export type GroupTag = Expect<Equal<typeof groupError._tag, "TaskGroupError">>
export type GroupCause = Expect<Equal<typeof groupError.cause, Cause.Cause<ApiError>>>

// shield keeps the type
const shielded = aio.shield(str)
export type Shield = Expect<Equal<typeof shielded, Effect.Effect<string, DbError, Db>>>

// run wants a program with every service provided
aio.run(Effect.void)
// @ts-expect-error: Db is not provided
aio.run(str)

// the constants are their own names
export type Constants = Expect<
  Equal<
    [typeof aio.ALL_COMPLETED, typeof aio.FIRST_COMPLETED, typeof aio.FIRST_EXCEPTION],
    ["ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"]
  >
>
export type InvalidState = Expect<Equal<aio.InvalidStateError["_tag"], "InvalidStateError">>
