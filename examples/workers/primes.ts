/**
 * The CPU-heavy job of `examples/cpu_on_executor.ts`, loaded in a worker
 * thread (no imports, erasable TypeScript only).
 */

/** Counts the primes below `below` by trial division: about a second of CPU for 3,000,000. */
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
