/**
 * Argument checks shared by every primitive. Misuse is a bug in the caller,
 * so each check throws an `IllegalArgumentError` whose message names the
 * function, the argument and the rule. Callers run the checks inside
 * `Effect.suspend` (or a stream's setup), where a throw becomes a defect of
 * the effect being built, before any fiber starts.
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { hasProperty, isIterable } from "effect/Predicate"

/**
 * An error raised by the library keeps only its header line as its stack.
 * The JavaScript stack where it is built holds nothing but the library's own
 * frames (the user's generator is not on it when the effect runs); the
 * frames that locate the call are the caller's Effect stack frames
 * (`Effect.fn`, spans), which Effect appends when the error is raised in the
 * caller's fiber, as every primitive raises it. Free when nothing fails.
 */
const headerOnly = <E extends Error>(error: E): E => {
  error.stack = `${error.name}: ${error.message}`
  return error
}

/** @internal */
export const misuse = (message: string): Cause.IllegalArgumentError =>
  headerOnly(new Cause.IllegalArgumentError(message))

/**
 * The `Cause.TimeoutError` a public function raises when its limit passes.
 *
 * @internal
 */
export const timeoutError = (message: string): Cause.TimeoutError => headerOnly(new Cause.TimeoutError(message))

/** @internal */
export const show = (u: unknown): string => {
  if (typeof u === "string") return JSON.stringify(u)
  if (typeof u === "number" || typeof u === "bigint" || typeof u === "boolean") return String(u)
  if (u === null || u === undefined) return String(u)
  if (Effect.isEffect(u)) return "an Effect"
  if (Fiber.isFiber(u)) return "a Fiber"
  if (Array.isArray(u)) return "an array"
  if (typeof u === "function") return "a function"
  return typeof u === "object" ? "an object" : typeof u
}

/**
 * Converts a `Duration.Input` to milliseconds. `null` and `undefined` mean no
 * limit (`Infinity`), as do infinite durations; negative durations are kept
 * (callers treat them as "now"). NaN, or anything that is not a duration, is
 * misuse.
 *
 * @internal
 */
export const durationMillis = (fn: string, argument: string, input: unknown): number => {
  if (input === null || input === undefined) return Infinity
  const millis = typeof input === "number"
    ? input
    : Duration.fromInput(input as Duration.Input).pipe((option) =>
      option._tag === "Some" ? Duration.toMillis(option.value) : Number.NaN
    )
  // `Duration` reads NaN parts of `{ seconds: NaN }` or `[NaN, 0]` as 0.
  if (Number.isNaN(millis) || hasNaNPart(input)) {
    throw misuse(`${fn}: ${argument} must be a finite duration or null, got ${show(input)}`)
  }
  return millis
}

const hasNaNPart = (input: unknown): boolean =>
  typeof input === "object" && input !== null && !Duration.isDuration(input) &&
  Object.values(input).some((part) => typeof part === "number" && Number.isNaN(part))

/**
 * Checks an absolute deadline in milliseconds on the `Clock`: a number or
 * `null` (no deadline). NaN is misuse; infinities are kept.
 *
 * @internal
 */
export const deadlineMillis = (fn: string, argument: string, input: unknown): number | null => {
  if (input === null || input === undefined) return null
  if (typeof input !== "number" || Number.isNaN(input)) {
    throw misuse(`${fn}: ${argument} must be a number of milliseconds or null, got ${show(input)}`)
  }
  return input
}

/**
 * Checks a concurrency limit: a whole number of at least 1, `Infinity` or
 * `"unbounded"` (both meaning no limit, the default).
 *
 * @internal
 */
export const concurrencyLimit = (fn: string, input: unknown): number => {
  if (input === undefined || input === "unbounded" || input === Infinity) return Infinity
  if (typeof input !== "number" || !Number.isInteger(input) || input < 1) {
    throw misuse(`${fn}: concurrency must be a whole number of at least 1 or "unbounded", got ${show(input)}`)
  }
  return input
}

/**
 * An iterable other than a string (`Predicate.isIterable` counts strings):
 * what the primitives accept as a collection of effects or tasks.
 *
 * @internal
 */
export const isCollection = (u: unknown): u is Iterable<unknown> => isIterable(u) && typeof u !== "string"

/**
 * Reads an iterable of fibers into an array without duplicates, in input
 * order. Anything else (an Effect where a fiber belongs, a non-iterable) is
 * misuse.
 *
 * @internal
 */
export const uniqueFibers = <F extends Fiber.Fiber<unknown, unknown>>(
  fn: string,
  input: Iterable<F>
): Array<F> => {
  if (!isCollection(input)) {
    throw misuse(`${fn}: tasks must be an iterable of fibers, got ${show(input)}`)
  }
  const seen = new Set<F>()
  let index = 0
  for (const fiber of input) {
    if (!Fiber.isFiber(fiber)) {
      const hint = Effect.isEffect(fiber) ? " (start it with createTask first)" : ""
      throw misuse(`${fn}: tasks must contain only fibers, got ${show(fiber)} at index ${index}${hint}`)
    }
    seen.add(fiber)
    index++
  }
  return Array.from(seen)
}

/**
 * Checks that every element of a list is an Effect.
 *
 * @internal
 */
export const checkEffects = (fn: string, effects: ReadonlyArray<unknown>): void => {
  for (let i = 0; i < effects.length; i++) {
    if (!Effect.isEffect(effects[i])) {
      throw misuse(`${fn}: effects must contain only effects, got ${show(effects[i])} at index ${i}`)
    }
  }
}

/**
 * Checks a count such as a semaphore's `value` or a barrier's `parties`: a
 * whole number of at least `min`.
 *
 * @internal
 */
export const wholeNumberAtLeast = (fn: string, argument: string, input: unknown, min: number): number => {
  if (typeof input !== "number" || !Number.isInteger(input) || input < min) {
    throw misuse(`${fn}: ${argument} must be a whole number of at least ${min}, got ${show(input)}`)
  }
  return input
}

/**
 * Checks a queue's `maxsize`: a whole number, where 0 or less (and
 * `Infinity`) means unbounded, as in asyncio. Returns the bound, `Infinity`
 * when unbounded. asyncio accepts `maxsize=1.3`; here a fraction or NaN is
 * a bug caught early, as for `concurrency`.
 *
 * @internal
 */
export const queueMaxsize = (fn: string, input: unknown): number => {
  if (input === undefined || input === Infinity) return Infinity
  if (typeof input !== "number" || !Number.isInteger(input)) {
    throw misuse(`${fn}: maxsize must be a whole number (0 or less for unbounded), got ${show(input)}`)
  }
  return input <= 0 ? Infinity : input
}

const returnWhens: ReadonlySet<unknown> = new Set(["ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION"])

/**
 * Checks `wait`'s `returnWhen` (the core's and the durable one): `undefined`
 * for asyncio's three conditions (or none), `k` for `quorum(k)` with a whole
 * `k` from 1 to `count`, where `what` names what is counted ("distinct tasks",
 * "steps").
 *
 * @internal
 */
export const quorumOf = (input: unknown, count: number, what: string): number | undefined => {
  if (input === undefined || returnWhens.has(input)) return undefined
  if (!hasProperty(input, "_tag") || input._tag !== "Quorum") {
    throw misuse(
      `wait: returnWhen must be one of ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION or quorum(k), got ${show(input)}`
    )
  }
  const k = (input as { readonly k?: unknown }).k
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > count) {
    throw misuse(`wait: quorum(k) needs a whole number k from 1 to the number of ${what} (${count}), got ${show(k)}`)
  }
  return k
}
