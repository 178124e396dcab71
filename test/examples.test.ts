/**
 * Golden tests for `examples/`: each program runs on the `TestClock` with a
 * `TestConsole`, and the lines it prints must be exactly its transcript in
 * `examples/transcripts/<name>.txt` (taken from the seed text for the seed
 * programs), in the virtual time the seed's delays add up to.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import { TestClock, TestConsole } from "effect/testing"
import { readdirSync, readFileSync } from "node:fs"
import { examples } from "../examples/catalog.ts"
import { program, UnknownExample } from "../examples/main.ts"
import { settle } from "./utils/fixtures.ts"

const transcripts = new URL("../examples/transcripts/", import.meta.url)

const transcript = (name: string): ReadonlyArray<string> => {
  const lines = readFileSync(new URL(`${name}.txt`, transcripts), "utf8").split("\n")
  if (lines.at(-1) === "") lines.pop()
  return lines
}

// Every delay in the examples is a multiple of this step.
const STEP = 10
const LIMIT = 60_000

/**
 * Runs an example to its end, moving virtual time on in steps, and returns
 * its exit and how long it took.
 */
const runToEnd = <A, E>(main: Effect.Effect<A, E>, realWork?: { readonly millis: number }) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(main)
    let millis = 0
    yield* settle
    const limit = realWork === undefined ? LIMIT : realWork.millis
    while (fiber.pollUnsafe() === undefined && millis < limit) {
      yield* TestClock.adjust(STEP)
      millis += STEP
      yield* settle
    }
    // An example that waits for a worker thread ends when the thread's work
    // does, in real time, without moving virtual time further.
    return { exit: yield* Fiber.await(fiber), millis }
  })

describe("examples", () => {
  for (const example of examples) {
    it.effect(`${example.name} prints its transcript in ${example.millis} ms`, () =>
      Effect.gen(function*() {
        const { exit, millis } = yield* runToEnd(example.main, example.realWork === true ? example : undefined)

        assert.deepStrictEqual(yield* TestConsole.logLines, transcript(example.name))
        assert.deepStrictEqual(yield* TestConsole.errorLines, [])
        assert.isTrue(Exit.isSuccess(exit), `${example.name} ended with ${exit}`)
        assert.strictEqual(millis, example.millis)
      }))
  }

  it.effect("every transcript belongs to an example, and every example has one", () =>
    Effect.sync(() => {
      const files = readdirSync(transcripts).filter((file) => file.endsWith(".txt")).sort()
      assert.deepStrictEqual(files, examples.map((example) => `${example.name}.txt`).sort())
    }))
})

describe("docs/rosetta.md", () => {
  const doc = readFileSync(new URL("../docs/rosetta.md", import.meta.url), "utf8")
  for (const file of ["asyncio.ts", "effect.ts", "promise.ts"]) {
    it.effect(`quotes every region of examples/rosetta/${file} verbatim`, () =>
      Effect.sync(() => {
        const source = readFileSync(new URL(`../examples/rosetta/${file}`, import.meta.url), "utf8")
        const regions = [...source.matchAll(/\/\/ #region (\w+)\n([\s\S]*?)\/\/ #endregion \1\n/g)]
        assert.strictEqual(regions.length, 22)
        for (const [, name, code] of regions) {
          assert.isTrue(
            doc.includes("```ts\n" + code + "```"),
            `${file} #region ${name} is not in docs/rosetta.md as it is`
          )
        }
      }))
  }
})

describe("npm start", () => {
  it.effect("--list prints every example's name", () =>
    Effect.gen(function*() {
      yield* program(["--list"])

      const lines = yield* TestConsole.logLines
      for (const example of examples) {
        assert.isTrue(lines.some((line) => String(line).startsWith(`  ${example.name} `)), example.name)
      }
    }))

  it.effect("an unknown name fails with UnknownExample and prints the list on stderr", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(program(["asyncio_wait", "nope"]))

      assert.deepStrictEqual(exit, Exit.fail(new UnknownExample({ names: ["nope"] })))
      const errors = yield* TestConsole.errorLines
      assert.strictEqual(errors[0], "npm start: unknown example \"nope\"; the examples are:")
      assert.strictEqual(errors.filter((line) => String(line).startsWith("  ")).length, examples.length)
      assert.deepStrictEqual(yield* TestConsole.logLines, [])
    }))

  it.effect("a name runs that example under its heading", () =>
    Effect.gen(function*() {
      const { exit } = yield* runToEnd(program(["asyncio_coroutine_return"]))

      assert.deepStrictEqual(exit, Exit.void)
      assert.deepStrictEqual(yield* TestConsole.logLines, [
        "=== asyncio_coroutine_return: returning a value from a coroutine ===",
        "    PyMOTW-3, Cooperative Multitasking with Coroutines (seed 004)",
        ...transcript("asyncio_coroutine_return"),
        "",
        "1 example in 0.0 s"
      ])
    }))
})
