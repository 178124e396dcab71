/**
 * The raw `worker_threads` version of `primes.ts` for the Rosetta Stone's
 * "nearest raw Effect" and "Promise" columns: a script that counts the
 * primes below `workerData` and posts the count back.
 */
import { parentPort, workerData } from "node:worker_threads"
import { countPrimes } from "./primes.ts"

parentPort?.postMessage(countPrimes(workerData as number))
