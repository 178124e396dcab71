/**
 * Small helpers that let the examples print exactly what the Python
 * originals print: Python's `repr()` of the values they show, and asyncio's
 * `sleep`, whose zero delay still yields to the loop.
 */
import { Effect } from "effect"

/** A Python tuple, so that {@link repr} prints `('a', 'b')` rather than a list. */
export class Tuple {
  readonly items: ReadonlyArray<unknown>
  constructor(...items: ReadonlyArray<unknown>) {
    this.items = items
  }
}

const reprString = (s: string): string => {
  // Python quotes with ' unless the string holds a ' and no ".
  const quote = s.includes("'") && !s.includes("\"") ? "\"" : "'"
  const body = s
    .replaceAll("\\", "\\\\")
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\t", "\\t")
    .replaceAll(quote, `\\${quote}`)
  return `${quote}${body}${quote}`
}

/**
 * Python's `repr()` for the values the examples print: strings, numbers,
 * booleans (`True`), `null` (`None`), arrays (lists), {@link Tuple}s, and
 * tagged errors, shown as `APIError()` or `JobError(job='g')`.
 */
export const repr = (value: unknown): string => {
  if (typeof value === "string") return reprString(value)
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (typeof value === "boolean") return value ? "True" : "False"
  if (value === null || value === undefined) return "None"
  if (Array.isArray(value)) return `[${value.map(repr).join(", ")}]`
  if (value instanceof Tuple) {
    return value.items.length === 1 ? `(${repr(value.items[0])},)` : `(${value.items.map(repr).join(", ")})`
  }
  if (typeof value === "object" && "_tag" in value && typeof value._tag === "string") {
    const fields = Object.entries(value).filter(([key]) => key !== "_tag")
    return `${value._tag}(${fields.map(([key, field]) => `${key}=${repr(field)}`).join(", ")})`
  }
  return String(value)
}

/**
 * `asyncio.sleep(millis / 1000)`. A delay of zero or less still yields to
 * the other tasks once, as `asyncio.sleep(0)` does.
 *
 * Effect's live clock does the same, but `TestClock`'s `sleep(0)` returns
 * without yielding, so the golden tests would print another order than
 * `npm start`. Saying it explicitly keeps both the same.
 */
export const asyncioSleep = (millis: number): Effect.Effect<void> =>
  millis <= 0 ? Effect.yieldNow : Effect.sleep(millis)
