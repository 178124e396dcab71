/**
 * A small service that hangs, to show the task tree (docs/observability.md).
 *
 * - A poller refreshes a cache under a timeout of 5 s, through a gather of two
 *   fetches, one of which never answers.
 * - Two workers each wait for the other: a deadlock.
 * - A third worker is idle on a queue.
 *
 * Run it: `node_modules/.bin/node examples/observability/hung_service.ts`, then
 * `kill -USR2 <pid>` prints the tree to stderr (Ctrl-C stops it). With
 * `--dump`, it prints the tree itself after 200 ms (through `failIfHung`) and
 * exits.
 */
import { Console, Effect, type Fiber } from "effect"
import * as aio from "effect-asyncio"

const fetch = (name: string, millis: number) => Effect.as(Effect.sleep(millis), name)

const poller = aio.timeout("5 seconds", aio.gather([fetch("prices", 50), fetch("stock", Number.POSITIVE_INFINITY)]))

const service = aio.taskGroup((tg) =>
  Effect.gen(function*() {
    yield* tg.createTask(poller, { name: "poller" })
    const queue = yield* aio.makeQueue<string>()
    yield* tg.createTask(queue.get, { name: "idle-worker" })
    let b: Fiber.Fiber<unknown> | undefined
    const a = yield* tg.createTask(Effect.suspend(() => aio.wait([b!])), { name: "worker-a" })
    b = yield* tg.createTask(aio.wait([a]), { name: "worker-b" })
  })
)

const main = process.argv.includes("--dump")
  ? Effect.catchTag(aio.failIfHung(service, "200 millis"), "HungError", (error) => Console.log(error.message))
  : Effect.andThen(
    Console.log(`running as pid ${process.pid}: kill -USR2 ${process.pid} prints the task tree`),
    service
  )

aio.run(main)
