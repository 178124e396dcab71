/**
 * Issue 9, item 6: the tasks' error types reach `TaskGroupError<E>` from
 * `tg.createTask`, whatever the body does with its own errors. Compiled by
 * `npm run typecheck`.
 */
import type { Fiber, SubscriptionRef } from "effect"
import { Context, Data, Effect } from "effect"
import * as aio from "effect-asyncio"
import type { Equal, Expect } from "./helpers.ts"

class ApiError extends Data.TaggedError("ApiError")<{ readonly status: number }> {}
class DbError extends Data.TaggedError("DbError")<{}> {}
class Db extends Context.Service<Db, { readonly query: Effect.Effect<string> }>()("Db") {}

declare const call: Effect.Effect<number, ApiError>
declare const query: Effect.Effect<string, DbError, Db>

// The shape of the issue: the body catches the ApiError its own `yield*`
// could raise; at run time a failing task still puts an ApiError in `errors`.
const caught = aio.taskGroup((tg) =>
  Effect.gen(function*() {
    yield* tg.createTask(call)
    return "started"
  }).pipe(Effect.catchTag("ApiError", () => Effect.succeed("recovered")))
)
export type Caught = Expect<Equal<typeof caught, Effect.Effect<string, aio.TaskGroupError<ApiError>, never>>>

// ... also when the body discards every error of its own
const orDie = aio.taskGroup((tg) => Effect.orDie(tg.createTask(call)))
export type OrDie = Expect<
  Equal<typeof orDie, Effect.Effect<Fiber.Fiber<number, ApiError>, aio.TaskGroupError<ApiError>, never>>
>

// services still flow, and the marker never leaks out of the group
const services = aio.taskGroup((tg) => Effect.ignore(tg.createTask(query)))
export type Services = Expect<Equal<typeof services, Effect.Effect<void, aio.TaskGroupError<DbError>, Db>>>

// the body's own errors and the tasks' errors together
const both = aio.taskGroup((tg) =>
  Effect.gen(function*() {
    yield* Effect.ignore(tg.createTask(call))
    return yield* Effect.fail(new DbError())
  })
)
export type Both = Expect<Equal<typeof both, Effect.Effect<never, aio.TaskGroupError<ApiError | DbError>, never>>>

// tasks that start tasks: the inner task's error reaches the group too
const nested = aio.taskGroup((tg) => Effect.ignore(tg.createTask(Effect.ignore(tg.createTask(query)))))
export type Nested = Expect<Equal<typeof nested, Effect.Effect<void, aio.TaskGroupError<DbError>, Db>>>

// a task that cannot fail adds nothing
const quiet = aio.taskGroup((tg) => tg.createTask(Effect.succeed(1)))
export type Quiet = Expect<Equal<typeof quiet, Effect.Effect<Fiber.Fiber<number>, aio.TaskGroupError<never>, never>>>

// the group runs: its requirements hold no marker
export const runs: Promise<string> = Effect.runPromise(Effect.orDie(caught))

// Issue 13, item 4: a group that may be cancelled is honest about its value.
const notCancelled = aio.taskGroup(() => Effect.succeed(1))
export type NotCancelled = Expect<Equal<typeof notCancelled, Effect.Effect<number, aio.TaskGroupError<never>, never>>>

const cancelledByBody = aio.taskGroup((tg) => Effect.as(tg.cancel, 1))
export type CancelledByBody = Expect<
  Equal<typeof cancelledByBody, Effect.Effect<number | undefined, aio.TaskGroupError<never>, never>>
>

const cancelledByTask = aio.taskGroup((tg) => Effect.as(tg.createTask(tg.cancel), "started"))
export type CancelledByTask = Expect<
  Equal<typeof cancelledByTask, Effect.Effect<string | undefined, aio.TaskGroupError<never>, never>>
>

// options with a progress ref change nothing in the type
declare const progress: SubscriptionRef.SubscriptionRef<aio.Progress>
const counted = aio.taskGroup((tg) => Effect.as(tg.createTask(call), "started"), { progress })
export type Counted = Expect<Equal<typeof counted, Effect.Effect<string, aio.TaskGroupError<ApiError>, never>>>
