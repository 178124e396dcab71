/**
 * Deadline propagation over HTTP, on loopback: the caller's budget travels
 * in a header (as gRPC's `grpc-timeout` does), and a promise-based client
 * that knows nothing of Effect stops its request when the deadline passes,
 * through `aio.deadlineSignal`.
 *
 * - A small `node:http` server answers `/fast` at once and never answers
 *   `/slow`; it prints the budget each request brings, and notices when a
 *   client hangs up.
 * - `legacyGet` is a plain `async` function taking an `AbortSignal`, like
 *   many SDKs. The handler calls it inside `aio.timeout` without passing a
 *   deadline down: `aio.currentDeadline` and `aio.deadlineSignal` find it.
 *
 * Run it: `node_modules/.bin/node examples/observability/deadline_http.ts`
 */
import { Clock, Console, Effect } from "effect"
import * as aio from "effect-asyncio"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** The header that carries the caller's remaining budget, in milliseconds. */
const budgetHeader = "x-request-budget-ms"

/** A server on a free loopback port, closed (its connections too) when the scope ends. */
const server = Effect.acquireRelease(
  Effect.callback<http.Server>((resume) => {
    const server = http.createServer((request, response) => {
      const arrived = Date.now()
      console.log(`server: ${request.url} with a budget of ${roughly(Number(request.headers[budgetHeader]))}`)
      if (request.url === "/fast") return void response.end("fresh prices")
      request.once("close", () => console.log(`server: the client hung up after ${roughly(Date.now() - arrived)}`))
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.callback<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

/** Budgets as the server prints them: to the nearest 100 ms, since real time moves between the two ends. */
const roughly = (millis: number) => `about ${Math.round(millis / 100) * 100} ms`

/** A promise-based client, as an SDK would have it: a URL, a header, a signal. */
async function legacyGet(url: string, budget: number, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { headers: { [budgetHeader]: String(budget) }, signal })
  return response.text()
}

/** Calls `path` with whatever budget the scopes around have left, and stops at their deadline. */
const call = (base: string, path: string) =>
  Effect.gen(function*() {
    const deadline = yield* aio.currentDeadline
    const budget = deadline === null ? 0 : deadline - (yield* Clock.currentTimeMillis)
    const signal = yield* aio.deadlineSignal
    // At the deadline the scope interrupts this fiber, and the signal aborts
    // the request itself: the socket closes, and the server stops waiting.
    return yield* Effect.promise(() => legacyGet(`${base}${path}`, budget, signal))
  })

export const main = Effect.scoped(Effect.gen(function*() {
  const { port } = (yield* server).address() as AddressInfo
  const base = `http://127.0.0.1:${port}`

  yield* Console.log(`client: /fast answered "${yield* aio.timeout(2000, call(base, "/fast"))}"`)

  const slow = yield* aio.timeout(300, call(base, "/slow")).pipe(
    Effect.catchTag("TimeoutError", (error) => Effect.succeed(`${error._tag}: ${error.message}`))
  )
  yield* Console.log(`client: /slow ended with ${slow}`)
  // The server would see the connection close here, at its shutdown, if the
  // signal had not closed it at the deadline.
  yield* Effect.sleep(500)
}))

if (import.meta.main) aio.run(main)
