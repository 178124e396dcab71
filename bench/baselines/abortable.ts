/**
 * Promise building blocks that respect an `AbortSignal`, as a careful
 * promise programmer writes them: timers are cleared on abort, listeners are
 * removed when no longer needed, and the promise rejects with the signal's
 * reason.
 *
 * Many tasks share one signal here, and Node's `EventTarget` looks for a
 * duplicate on every `addEventListener`: N listeners on one signal cost
 * O(N²) (40,000 take about 5 s on the benchmark machine, 100,000 over a
 * minute). So `onAbort` registers a single listener per signal and fans out
 * from a `Set`, which is what a careful programmer does once they hit it.
 */

const subscribers = new WeakMap<AbortSignal, Set<() => void>>()

/** Calls `callback` once when `signal` aborts; returns a function that unsubscribes. O(1) either way. */
export const onAbort = (signal: AbortSignal, callback: () => void): () => void => {
  let callbacks = subscribers.get(signal)
  if (callbacks === undefined) {
    const created = new Set<() => void>()
    callbacks = created
    subscribers.set(signal, created)
    signal.addEventListener(
      "abort",
      () => {
        subscribers.delete(signal)
        for (const f of created) f()
      },
      { once: true }
    )
  }
  const set = callbacks
  set.add(callback)
  return () => void set.delete(callback)
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts (clearing the timer). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      unsubscribe?.()
      resolve()
    }, ms)
    const unsubscribe = signal === undefined
      ? undefined
      : onAbort(signal, () => {
        clearTimeout(timer)
        reject(signal.reason)
      })
  })

/** The error `withTimeout` rejects with. */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError"
}

/**
 * Settles like `promise`, or rejects with `TimeoutError` after `ms`; the timer
 * is cleared as soon as `promise` settles. The hand-written version of
 * p-timeout (which also clears its timer), without its options.
 */
export const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}
