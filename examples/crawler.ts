/**
 * A crawler over an in-memory link graph: asyncio's canonical `Queue`
 * program, with worker tasks, `task_done`/`join` and 3.13's `shutdown`.
 *
 * ```python
 * async def worker(name, queue, seen):
 *     while True:
 *         try:
 *             url = await queue.get()
 *         except asyncio.QueueShutDown:
 *             return
 *         links = await fetch(url)            # 100 ms a page
 *         print(f"{name} fetched {url} -> {links}")
 *         for link in links:
 *             if link not in seen:
 *                 seen.add(link)
 *                 queue.put_nowait(link)
 *         queue.task_done()
 *
 * async def main():
 *     queue, seen = asyncio.Queue(), {"/"}
 *     queue.put_nowait("/")
 *     workers = [asyncio.create_task(worker(f"worker {i}", queue, seen)) for i in range(3)]
 *     await queue.join()                      # every page fetched
 *     queue.shutdown()                        # the workers' get() raises QueueShutDown
 *     await asyncio.gather(*workers)
 *     print(f"crawled {len(seen)} pages")
 * ```
 *
 * Run it: `node_modules/.bin/node examples/crawler.ts`
 */
import { Console, Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { makeStamp } from "./shared/stamp.ts"

/** The site: each page and the pages it links to. */
const site: Record<string, ReadonlyArray<string>> = {
  "/": ["/docs", "/blog", "/about"],
  "/docs": ["/docs/queue", "/docs/lock", "/"],
  "/blog": ["/blog/1", "/docs"],
  "/about": ["/"],
  "/docs/queue": ["/docs/lock"],
  "/docs/lock": ["/docs/queue"],
  "/blog/1": ["/blog", "/docs/queue"]
}

/** Fetching a page takes 100 ms and gives its links. */
const fetch = (url: string) => Effect.as(Effect.sleep("100 millis"), site[url] ?? [])

const worker = (name: string, queue: aio.Queue<string>, seen: Set<string>, stamp: Effect.Effect<string>) =>
  Effect.gen(function*() {
    for (;;) {
      const url = yield* queue.get
      const links = yield* fetch(url)
      yield* Console.log(`${yield* stamp}  ${name} fetched ${url} -> ${links.join(" ") || "(no links)"}`)
      for (const link of links) {
        if (!seen.has(link)) {
          seen.add(link)
          yield* queue.putNowait(link)
        }
      }
      yield* queue.taskDone
    }
  }).pipe(Effect.catchTag("QueueShutDown", () => Console.log(`${name} stops: the queue is shut down`)))

export const main = Effect.gen(function*() {
  const stamp = yield* makeStamp
  const queue = yield* aio.makeQueue<string>()
  const seen = new Set(["/"])
  yield* queue.putNowait("/")
  const workers = yield* Effect.forEach(
    ["worker 0", "worker 1", "worker 2"],
    (name) => aio.createTask(Effect.orDie(worker(name, queue, seen, stamp)))
  )
  yield* queue.join
  yield* queue.shutdown()
  yield* Fiber.joinAll(workers)
  yield* Console.log(`${yield* stamp}  crawled ${seen.size} pages`)
})

if (import.meta.main) aio.run(main)
