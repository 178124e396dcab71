/**
 * asyncio's `as_completed` for promises: an async generator that yields the
 * values in the order the promises settle. A rejection is thrown from the
 * generator after the values that settled before it. Stopping early (a
 * `break`, a throw) aborts `controller`, so the producer's pending work
 * stops, as the effect-asyncio stream interrupts its tasks.
 *
 * The queue is an array with a read index (no `shift`, no `Promise.race`
 * over the remaining promises, which would be quadratic).
 */
export async function* asCompleted<T>(
  promises: ReadonlyArray<Promise<T>>,
  controller?: AbortController
): AsyncGenerator<T, void, undefined> {
  const settled: Array<PromiseSettledResult<T>> = []
  let wake: (() => void) | undefined
  const push = (result: PromiseSettledResult<T>) => {
    settled.push(result)
    if (wake !== undefined) {
      const resume = wake
      wake = undefined
      resume()
    }
  }
  for (const promise of promises) {
    promise.then(
      (value) => push({ status: "fulfilled", value }),
      (reason: unknown) => push({ status: "rejected", reason })
    )
  }
  let read = 0
  try {
    while (read < promises.length) {
      if (read === settled.length) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
      const result = settled[read++]
      if (result.status === "rejected") throw result.reason
      yield result.value
    }
  } finally {
    if (read < promises.length) controller?.abort()
  }
}
