/**
 * CPU-bound jobs for `bench/executor.ts`, loaded in worker threads and on
 * the main thread alike (no imports, erasable TypeScript only).
 */

/** Counts the primes below `below` by trial division. */
export const countPrimes = (below: number): number => {
  let count = 0
  for (let n = 2; n < below; n++) {
    let prime = true
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false
        break
      }
    }
    if (prime) count++
  }
  return count
}

/** Spins, counting rounds in `state[0]`, until stopped from outside. */
export const spin = (state: Int32Array): never => {
  for (;;) Atomics.add(state, 0, 1)
}

/** Counts primes below `below` and reports the thread that did it. */
export const countPrimesOnThread = async (
  below: number
): Promise<{ readonly count: number; readonly thread: number }> => {
  const { threadId } = await import("node:worker_threads")
  return { count: countPrimes(below), thread: threadId }
}
