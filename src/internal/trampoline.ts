/**
 * Keeps deep nesting off the JavaScript stack.
 *
 * The primitives start, resume and interrupt fibers synchronously: a timeout
 * body starts inside its caller's evaluation, a finished task's observer
 * resumes the task group waiting for it, an expiring scope interrupts its body
 * at once. With 100,000 task groups nested in one another, each waiting for
 * the next, every one of these chains is 100,000 calls deep, and the process
 * dies with `RangeError: Maximum call stack size exceeded`.
 *
 * So each such call goes through {@link nested}, which counts how deep the
 * current chain of them is. Past {@link MAX_DEPTH} the call is handed to the
 * scheduler instead, which runs it from a fresh stack a moment later: a chain
 * of any length costs one scheduler hop every `MAX_DEPTH` links, and nothing
 * changes at the usual depths.
 *
 * @internal
 */
import type * as Fiber from "effect/Fiber"

// Measured: one link (resume, fiber exit, observer) takes about 20 frames;
// 64 links stay far below Node's default stack, even when the user's code
// was already deep when it called us.
const MAX_DEPTH = 64

let depth = 0

/**
 * Whether the current chain of synchronous starts, resumes and interrupts is
 * so deep that the next link should start from a fresh stack.
 *
 * @internal
 */
export const isDeep = (): boolean => depth >= MAX_DEPTH

/**
 * Calls `f` now, counting it as one more link of the current chain, or, when
 * the chain is too deep, on `fiber`'s scheduler from a fresh stack.
 *
 * @internal
 */
export const nested = (fiber: Fiber.Fiber<unknown, unknown>, f: () => void): void => {
  if (depth >= MAX_DEPTH) {
    fiber.currentDispatcher.scheduleTask(f, 0)
    return
  }
  depth++
  try {
    f()
  } finally {
    depth--
  }
}

/**
 * Calls `f(a)` as one more link of the current chain, always now. For the
 * start of a fiber whose body must begin at once (a timeout body that needs
 * no waiting completes even under a past deadline); the primitive checks
 * {@link isDeep} before it gets there and yields instead.
 *
 * @internal
 */
export const nestedNow = <A, B>(f: (a: A) => B, a: A): B => {
  depth++
  try {
    return f(a)
  } finally {
    depth--
  }
}

const interrupt = (fiber: Fiber.Fiber<unknown, unknown>): void => fiber.interruptUnsafe()

/**
 * Requests the interruption of `fiber`, as one more link of the current
 * chain: interrupting a suspended fiber runs its finalizers at once, which
 * may interrupt fibers of their own, and so on down a nested chain.
 *
 * @internal
 */
export const interruptNested = (fiber: Fiber.Fiber<unknown, unknown>): void => {
  if (depth >= MAX_DEPTH) {
    fiber.currentDispatcher.scheduleTask(() => interrupt(fiber), 0)
    return
  }
  depth++
  try {
    fiber.interruptUnsafe()
  } finally {
    depth--
  }
}
