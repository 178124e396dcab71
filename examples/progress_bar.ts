/**
 * A progress bar on a long bounded job: 40 downloads, 4 at a time, through
 * `gather`'s `progress` option. In a terminal the bar redraws itself on one
 * line as the work finishes; when stdout is not a terminal (a pipe, a file,
 * CI), it stays quiet and only the summary is printed.
 *
 * asyncio has no progress report of its own; the usual way counts in the
 * loop of `as_completed` (or wraps each coroutine):
 *
 * ```python
 * limit = asyncio.Semaphore(4)
 *
 * async def download(i):
 *     async with limit:
 *         await asyncio.sleep(0.05 + (i * 37 % 10) / 100)
 *         return 1_000 + i
 *
 * done = 0
 * for next_done in asyncio.as_completed([download(i) for i in range(40)]):
 *     await next_done
 *     done += 1
 *     print(f"\r{bar(done, 40)}", end="", flush=True)
 * ```
 *
 * Here the counts (`total`, `done`, `failed`, `cancelled`, `running`,
 * `queued`) live in a `SubscriptionRef` that `gather` updates as it goes;
 * the bar follows `SubscriptionRef.changes`. Without the option nothing is
 * counted.
 *
 * Run it: `node_modules/.bin/node examples/progress_bar.ts` (in a terminal
 * to see the bar).
 */
import { Console, Effect, Fiber, Stream, SubscriptionRef } from "effect"
import * as aio from "effect-asyncio"

const files = Array.from({ length: 40 }, (_, i) => i)

/** A download of 50 to 140 ms, which gives the file's size. */
const download = (i: number) => Effect.as(Effect.sleep(50 + (i * 37 % 10) * 10), 1_000 + i)

const bar = (p: aio.Progress, width = 30): string => {
  const filled = Math.round((p.done / Math.max(p.total, 1)) * width)
  return `[${"#".repeat(filled)}${
    ".".repeat(width - filled)
  }] ${p.done}/${p.total} done, ${p.running} running, ${p.queued} queued`
}

/** Redraws the bar on one line of a terminal; does nothing on a pipe or a file. */
const draw = (p: aio.Progress): Effect.Effect<void> =>
  Effect.sync(() => {
    if (process.stdout.isTTY !== true) return
    process.stdout.cursorTo(0)
    process.stdout.clearLine(1)
    process.stdout.write(bar(p))
  })

export const main = Effect.gen(function*() {
  const progress = yield* aio.makeProgress()
  const drawing = yield* SubscriptionRef.changes(progress).pipe(
    Stream.runForEach(draw),
    Effect.forkChild({ startImmediately: true })
  )
  const sizes = yield* aio.gather(files.map(download), { concurrency: 4, progress })
  yield* Fiber.interrupt(drawing)
  if (process.stdout.isTTY === true) process.stdout.write("\n")
  const final = yield* SubscriptionRef.get(progress)
  yield* Console.log(bar(final))
  yield* Console.log(`downloaded ${sizes.length} files, ${sizes.reduce((a, b) => a + b, 0)} bytes`)
})

if (import.meta.main) aio.run(main)
