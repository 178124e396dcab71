/**
 * Argument checks of the durable verbs, beyond the core's: a durable
 * duration may not be negative (a timer set in the past is almost always a
 * bug in the arithmetic that computed it, and would be recorded as such).
 *
 * @internal
 */
import { durationMillis, misuse, show } from "../../internal/validate.ts"

/**
 * A duration in milliseconds: a whole, non-negative, possibly infinite
 * duration. `null` and `undefined` mean no limit (`Infinity`) when
 * `optional`, and are misuse otherwise.
 *
 * @internal
 */
export const durableMillis = (fn: string, argument: string, input: unknown, optional: boolean): number => {
  let millis: number
  try {
    if (!optional && (input === null || input === undefined)) throw undefined
    millis = durationMillis(fn, argument, input)
  } catch (error) {
    if (optional) throw error
    throw misuse(`${fn}: ${argument} must be a duration that is not NaN, got ${show(input)}`)
  }
  if (millis < 0) throw misuse(`${fn}: ${argument} must not be negative, got ${show(input)}`)
  return millis
}
