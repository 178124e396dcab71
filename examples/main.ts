/**
 * `npm start`: replays every example of the seed texts, each under a heading
 * with its name, in real time (about 15 s in all).
 *
 * ```sh
 * npm start                           # all of them, in order
 * npm start -- asyncio_wait call_api  # only these
 * npm start -- --list                 # their names
 * ```
 *
 * It runs under `aio.run`, so Ctrl-C interrupts the example that is running,
 * runs its finalizers, and exits with code 130.
 */
import { Clock, Console, Data, Effect, Fiber, Runtime } from "effect"
import * as aio from "effect-asyncio"
import { type Example, examples } from "./catalog.ts"

/** `npm start -- <name>` with a name that is not an example. */
export class UnknownExample extends Data.TaggedError("UnknownExample")<{ readonly names: ReadonlyArray<string> }> {
  // Already reported on stderr, with the list; exit with 2, as for a usage error.
  override readonly [Runtime.errorReported] = false
  override readonly [Runtime.errorExitCode] = 2
}

const width = Math.max(...examples.map((example) => example.name.length))

/** The examples, grouped by seed text. */
const listing = (print: (line: string) => Effect.Effect<void>): Effect.Effect<void> =>
  Effect.forEach(
    examples,
    (example, i) =>
      Effect.gen(function*() {
        if (i === 0 || examples[i - 1].source !== example.source) yield* print(example.source)
        yield* print(`  ${example.name.padEnd(width)}  ${example.title}`)
      }),
    { discard: true }
  )

const play = (example: Example) =>
  Effect.gen(function*() {
    yield* Console.log(`=== ${example.name}: ${example.title} ===`)
    yield* Console.log(`    ${example.source}`)
    // Each example is a program of its own, as each seed is a script run by
    // its own event loop: it runs in its own fiber, so that tasks it leaves
    // behind are interrupted when it ends (as `asyncio.run` cancels them),
    // not left running into the next example.
    yield* Fiber.join(yield* Effect.forkChild(example.main, { startImmediately: true }))
    yield* Console.log("")
  })

/** The whole command, for the given arguments (without `node` and the script). */
export const program = (args: ReadonlyArray<string>): Effect.Effect<void, UnknownExample | unknown> =>
  Effect.gen(function*() {
    if (args.includes("--list") || args.includes("-l")) {
      yield* Console.log(`${examples.length} examples (npm start -- <name>... runs some of them):`)
      return yield* listing(Console.log)
    }
    const unknown = args.filter((name) => !examples.some((example) => example.name === name))
    if (unknown.length > 0) {
      const what = unknown.map((name) => JSON.stringify(name)).join(", ")
      yield* Console.error(`npm start: unknown example${unknown.length === 1 ? "" : "s"} ${what}; the examples are:`)
      yield* listing(Console.error)
      return yield* new UnknownExample({ names: unknown })
    }
    const chosen = args.length === 0 ? examples : examples.filter((example) => args.includes(example.name))
    const start = yield* Clock.currentTimeMillis
    for (const example of chosen) yield* play(example)
    const seconds = ((yield* Clock.currentTimeMillis) - start) / 1000
    yield* Console.log(`${chosen.length} example${chosen.length === 1 ? "" : "s"} in ${seconds.toFixed(1)} s`)
  })

if (import.meta.main) aio.run(program(process.argv.slice(2)))
