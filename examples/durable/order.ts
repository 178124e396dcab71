/**
 * The order workflow of the durable demo: a gather of three activities, a
 * waitFor on a slow one with a durable timeout, and an asCompleted over three
 * more. Each activity prints `activity NAME started` when its body begins and
 * `activity NAME done` once its result is recorded.
 */
import { Console, Effect, Schema, Stream } from "effect"
import * as durable from "effect-asyncio/durable"
import { Workflow } from "effect/workflow"

export const Order = Workflow.make("Order", {
  payload: { id: Schema.String },
  success: Schema.Struct({
    order: Schema.String,
    charged: Schema.String,
    reserved: Schema.String,
    courier: Schema.String,
    fraudCheck: Schema.String,
    notified: Schema.Array(Schema.String)
  }),
  idempotencyKey: ({ id }) => id
})

/**
 * An activity that takes `millis` and returns `value`. "done" is printed by
 * the workflow when the activity's result reaches it, which is after the
 * engine has recorded it, and only in the process whose body ran: so a line
 * `activity NAME done` means the activity will not run again, even if the
 * process is killed right after printing it.
 */
const step = (name: string, millis: number, value: string) =>
  Effect.suspend(() => {
    let ran = false
    const body = Effect.gen(function*() {
      ran = true
      yield* Console.log(`activity ${name} started`)
      yield* Effect.sleep(millis)
      return value
    })
    return durable.activity(body, { name }).pipe(
      Effect.tap(() => ran ? Console.log(`activity ${name} done`) : Effect.void)
    )
  })

export const OrderLive = Order.toLayer(({ id }) =>
  Effect.gen(function*() {
    // Three activities at once.
    const [charged, reserved, courier] = yield* durable.gather([
      step("charge-card", 300, `charged ${id}`),
      step("reserve-stock", 400, `reserved ${id}`),
      step("book-courier", 500, `courier for ${id}`)
    ])

    // A slow check, bounded by a durable timeout: it loses, and a person will look.
    const fraudCheck = yield* durable.waitFor(step("fraud-check", 3000, "clear"), "1 second").pipe(
      Effect.catchTag("TimeoutError", () => Effect.succeed("timed out: manual review"))
    )

    // Notifications, acted on in the order they finish.
    const notified = yield* durable.asCompleted([
      step("notify-email", 450, "email"),
      step("notify-sms", 100, "sms"),
      step("update-crm", 250, "crm")
    ]).pipe(Stream.runCollect)

    return { order: id, charged, reserved, courier, fraudCheck, notified }
  })
)
