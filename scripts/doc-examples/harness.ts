/**
 * Runs one doc example in this process and checks its `// =>` lines: each
 * `console.log` call (Effect's `Console.log` included) records what it printed,
 * and when the process exits the values must be, in order, those of the
 * example's `// =>` expressions (`Equal.equals` for Effect's data types,
 * structural equality otherwise). Started by scripts/check-doc-examples.ts.
 *
 * Usage: node scripts/doc-examples/harness.ts <example module>
 */
import * as Equal from "effect/Equal"
import { pathToFileURL } from "node:url"
import { inspect, isDeepStrictEqual } from "node:util"

interface Expectations {
  readonly values: () => ReadonlyArray<unknown>
  readonly lines: ReadonlyArray<string>
}

const printed: Array<unknown> = []
const print = console.log.bind(console)
console.log = (...args: Array<unknown>) => {
  printed.push(args.length === 1 ? args[0] : args)
  print(...args)
}

let expectations: Expectations = { values: () => [], lines: [] }
;(globalThis as { __docExample?: unknown }).__docExample = {
  expect: (values: () => ReadonlyArray<unknown>, lines: ReadonlyArray<string>) => {
    expectations = { values, lines }
  }
}

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && [Object.prototype, null].includes(Object.getPrototypeOf(u))

const same = (actual: unknown, expected: unknown): boolean => {
  if (Object.is(actual, expected)) return true
  if (Equal.isEqual(actual) && Equal.isEqual(expected)) return Equal.equals(actual, expected)
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((value, i) => same(value, expected[i]))
  }
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const keys = Object.keys(actual)
    return keys.length === Object.keys(expected).length
      && keys.every((key) => Object.hasOwn(expected, key) && same(actual[key], expected[key]))
  }
  return isDeepStrictEqual(actual, expected)
}

const show = (u: unknown): string => inspect(u, { depth: 6, breakLength: Infinity })

process.on("exit", (code) => {
  if (code !== 0) return // the example crashed: Node has said why
  const problems: Array<string> = []
  let values: ReadonlyArray<unknown> = []
  try {
    values = expectations.values()
  } catch (error) {
    problems.push(`evaluating the // => expressions threw ${show(error)}`)
  }
  const count = Math.max(values.length, printed.length)
  for (let i = 0; i < count && problems.length === 0; i++) {
    if (i >= printed.length) {
      problems.push(`${expectations.lines[i]}\n    expected ${show(values[i])}, but nothing more was printed`)
    } else if (i >= values.length) {
      problems.push(`printed ${show(printed[i])}, which no // => line expects`)
    } else if (!same(printed[i], values[i])) {
      problems.push(`${expectations.lines[i]}\n    expected ${show(values[i])}\n    printed  ${show(printed[i])}`)
    }
  }
  if (problems.length > 0) {
    process.stderr.write(problems.join("\n") + "\n")
    process.exitCode = 1
  }
})

await import(pathToFileURL(process.argv[2]).href)
