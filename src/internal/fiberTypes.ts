/**
 * The success and error types of a union of fibers, so that functions taking
 * tasks of different types infer `Fiber<A1 | A2, E1 | E2>`.
 *
 * @internal
 */
import type * as Fiber from "effect/Fiber"

/** @internal */
export type SuccessOf<F> = F extends Fiber.Fiber<infer A, infer _E> ? A : never

/** @internal */
export type ErrorOf<F> = F extends Fiber.Fiber<infer _A, infer E> ? E : never
