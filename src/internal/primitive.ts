/**
 * Effects whose description is one small object: the primitives' arguments
 * as fields, and an `evaluate` that receives the running fiber.
 *
 * `Effect.withFiber((fiber) => ...)` costs a closure and its captured
 * context per call, kept for as long as the effect is (for example while an
 * `Effect.all` over many `waitFor`s runs): memory per pending `waitFor` is a
 * benchmark target, and this form holds just the arguments.
 *
 * @internal
 */
import type * as Effect from "effect/Effect"
import * as Effectable from "effect/Effectable"
import type * as Fiber from "effect/Fiber"

/**
 * Makes a constructor of effects that hold `Fields` and, when run, evaluate
 * to `evaluate(fields, fiber)`.
 *
 * @internal
 */
export const primitive = <Fields extends object, A, E, R>(
  label: string,
  evaluate: (fields: Fields, fiber: Fiber.Fiber<unknown, unknown>) => Effect.Effect<A, E, R>
): (fields: Fields) => Effect.Effect<A, E, R> => {
  const proto = Effectable.Prototype<Effect.Effect<A, E, R>>({
    label,
    evaluate(fiber) {
      return evaluate(this as unknown as Fields, fiber)
    }
  })
  return (fields) => Object.assign(Object.create(proto), fields)
}
