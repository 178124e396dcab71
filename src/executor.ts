/**
 * `toThread` and `makeExecutor`: asyncio's `to_thread` and
 * `run_in_executor`, on a pool of Node worker threads (Piscina).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import type * as Scope from "effect/Scope"
import { availableParallelism } from "node:os"
import { isAbsolute } from "node:path"
import { pathToFileURL } from "node:url"
import { inspect } from "node:util"
import type { Worker } from "node:worker_threads"
import { Piscina } from "piscina"
import { WorkerError } from "./errors.ts"
import type { CrossedError, Job, Outcome } from "./internal/threadJob.ts"
import { misuse, show, wholeNumberAtLeast } from "./internal/validate.ts"

// The module each thread loads to run jobs: `.ts` when this module runs from
// `src/` (Node strips the types), `.js` from `dist/`.
const jobRunner = new URL(
  import.meta.url.endsWith(".ts") ? "./internal/threadJob.ts" : "./internal/threadJob.js",
  import.meta.url
).href

declare const ModuleType: unique symbol

/**
 * A job module's URL, typed with the module's exports so that
 * {@link toThread} checks the function's name and arguments and types its
 * result. Made by {@link workerModule}.
 *
 * @category models
 * @since 0.1.0
 */
export interface WorkerModule<M> {
  readonly url: string
  readonly [ModuleType]?: M
}

/** The names of a module's exported functions. */
export type WorkerFunctions<M> =
  & {
    [K in keyof M]: M[K] extends (...args: any) => any ? K : never
  }[keyof M]
  & string

/**
 * Names a module of jobs for {@link toThread} and `Executor.run`, typed by
 * its exports: `aio.workerModule<typeof import("./jobs.ts")>(new URL("./jobs.ts", import.meta.url))`.
 * The type argument is only a type: the module is loaded in the worker
 * threads, never in the calling thread.
 *
 * **Details**
 *
 * `url`: a `URL` or a URL string (`file:`, `data:`), or an absolute file
 * path. A relative path is misuse, since it would be read relative to a
 * worker's own module: build the URL from `import.meta.url`.
 *
 * **Example** (A typed job module)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 *
 * // jobs.ts: export const square = (n: number) => n * n
 * interface Jobs {
 *   readonly square: (n: number) => number
 * }
 * const jobs = aio.workerModule<Jobs>(new URL("./jobs.ts", import.meta.url))
 *
 * const job = aio.toThread(jobs, "square", 12)
 * //    ^? Effect<number, WorkerError>
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const workerModule = <M>(url: URL | string): WorkerModule<M> => ({ url: moduleUrl("workerModule", url) })

const moduleUrl = (fn: string, module: unknown): string => {
  if (module instanceof URL) return module.href
  if (typeof module === "object" && module !== null && typeof (module as WorkerModule<unknown>).url === "string") {
    return (module as WorkerModule<unknown>).url
  }
  if (typeof module === "string") {
    if (isAbsolute(module)) return pathToFileURL(module).href
    if (URL.canParse(module) && /^[a-z][a-z0-9+.-]*:/i.test(module)) return module
  }
  throw misuse(
    `${fn}: module must be a URL or an absolute path (build it with new URL("./jobs.ts", import.meta.url)), got ${
      show(module)
    }`
  )
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : inspect(error, { depth: 2, breakLength: Infinity })

const reviveError = (crossed: CrossedError): Error => {
  const error = new Error(crossed.message, "cause" in crossed ? { cause: crossed.cause } : undefined)
  Object.assign(error, crossed.properties)
  error.name = crossed.name
  if (crossed.stack !== undefined) error.stack = crossed.stack
  return error
}

/**
 * Waits until every worker thread in `threads` has stopped running
 * JavaScript (its `exit` event; `threadId` is -1 once it has exited).
 */
const awaitExit = (threads: ReadonlyArray<Worker>): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    let left = threads.length
    const exited = () => {
      if (--left === 0) resume(Effect.void)
    }
    for (const thread of threads) {
      if (thread.threadId === -1) exited()
      else thread.once("exit", exited)
    }
    if (threads.length === 0) resume(Effect.void)
  })

const TypeId = "~effect-asyncio/Executor" as const

/**
 * A pool of worker threads that runs jobs, like a
 * `concurrent.futures.ThreadPoolExecutor` given to `loop.run_in_executor`.
 * Users get one from {@link makeExecutor}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Executor extends Inspectable.Inspectable {
  readonly [TypeId]: typeof TypeId
  /** The most threads it runs at once. */
  readonly maxWorkers: number
  /**
   * Runs `module`'s exported function `name` with `args` on one of the
   * pool's threads: as {@link toThread}, on this pool.
   */
  run<M, K extends WorkerFunctions<M>>(
    module: WorkerModule<M>,
    name: K,
    ...args: M[K] extends (...args: infer P) => unknown ? P : never
  ): Effect.Effect<M[K] extends (...args: any) => infer R ? Awaited<R> : never, WorkerError>
  run(module: URL | string, name: string, ...args: ReadonlyArray<unknown>): Effect.Effect<unknown, WorkerError>
}

/** The options of {@link makeExecutor}. */
export interface ExecutorOptions {
  /** The most threads that run at once (default: the number of cores, `os.availableParallelism()`). */
  readonly maxWorkers?: number | undefined
}

class ExecutorImpl extends Inspectable.Class implements Executor {
  readonly [TypeId] = TypeId
  readonly maxWorkers: number
  readonly pool: Piscina
  /** The name misuse messages use: `toThread` or `Executor.run`. */
  readonly fn: string

  constructor(maxWorkers: number, fn: string) {
    super()
    this.maxWorkers = maxWorkers
    this.fn = fn
    // Threads start when jobs come and stop after 10 s idle; an idle thread
    // never keeps the process alive (Piscina unrefs it).
    this.pool = new Piscina({ filename: jobRunner, minThreads: 0, maxThreads: maxWorkers, idleTimeout: 10_000 })
  }

  readonly run: Executor["run"] = (module: unknown, name: unknown, ...args: ReadonlyArray<unknown>) =>
    this.runJob(module, name, args)

  runJob(module: unknown, name: unknown, args: ReadonlyArray<unknown>): Effect.Effect<any, WorkerError> {
    return Effect.suspend(() => {
      const url = moduleUrl(this.fn, module)
      if (typeof name !== "string") throw misuse(`${this.fn}: name must be a string, got ${show(name)}`)
      return this.submit({ module: url, name, args })
    })
  }

  submit(job: Job): Effect.Effect<unknown, WorkerError> {
    return Effect.callback<unknown, WorkerError>((resume, signal) => {
      // Runs before Piscina's own abort listener, which takes the thread
      // running the job out of the pool and terminates it.
      let before: ReadonlyArray<Worker> = []
      signal.addEventListener("abort", () => {
        before = this.pool.threads
      }, { once: true })
      this.pool.run(job, { signal }).then(
        (outcome: Outcome) => resume(this.exitOf(job, outcome)),
        (error: unknown) => {
          if (!signal.aborted) resume(this.rejected(job, error))
        }
      )
      // Interrupted: the job's thread was terminated; return once it has
      // stopped, so that nothing of the job is still running.
      return Effect.suspend(() => {
        const now = new Set(this.pool.threads)
        return awaitExit(before.filter((thread) => !now.has(thread)))
      })
    })
  }

  exitOf(job: Job, outcome: Outcome): Exit.Exit<unknown, WorkerError> {
    switch (outcome._tag) {
      case "Value":
        return Exit.succeed(outcome.value)
      case "Threw": {
        const error = outcome.crossed === undefined ? outcome.error : reviveError(outcome.crossed)
        return Exit.fail(this.workerError(job, `it threw ${messageOf(error)}`, error))
      }
      case "Unloadable":
        return Exit.die(misuse(`${this.fn}: cannot load module ${job.module}: ${outcome.message}`))
      case "NotAFunction":
        return Exit.die(misuse(
          `${this.fn}: module ${job.module} has no exported function ${JSON.stringify(job.name)} (its functions: ${
            outcome.functions.length === 0 ? "none" : outcome.functions.join(", ")
          })`
        ))
    }
  }

  /** Piscina rejected the job: its arguments could not be sent, or its thread died. */
  rejected(job: Job, error: unknown): Exit.Exit<never, WorkerError> {
    if (error instanceof Error && error.name === "DataCloneError") {
      return Exit.die(
        misuse(`${this.fn}: the arguments of ${job.name} cannot be copied to a worker thread: ${error.message}`)
      )
    }
    return Exit.fail(this.workerError(
      job,
      `its thread died (a job that ends its thread, or returns what cannot be copied back, kills it): ${
        messageOf(error)
      }`,
      error
    ))
  }

  workerError(job: Job, what: string, error: unknown): WorkerError {
    return new WorkerError({
      message: `${this.fn}: ${job.name} in ${job.module}: ${what}`,
      module: job.module,
      job: job.name,
      error
    })
  }

  toJSON(): unknown {
    return {
      _id: "Executor",
      maxWorkers: this.maxWorkers,
      threads: this.pool.threads.length,
      queued: this.pool.queueSize
    }
  }
}

/**
 * Makes a pool of worker threads that lives as long as the scope, like
 * `concurrent.futures.ThreadPoolExecutor(max_workers)` used with
 * `loop.run_in_executor`.
 *
 * **When to use**
 *
 * Use instead of {@link toThread}'s shared pool to size a pool for one kind
 * of work, or to be sure its threads are stopped when a scope closes.
 *
 * **Details**
 *
 * - `maxWorkers`: the most jobs that run at once (default: the number of
 *   cores); more jobs wait in the pool's FIFO queue.
 * - Threads start when jobs come and stop after 10 s without work.
 * - Closing the scope terminates every thread (jobs still running are
 *   stopped).
 * - `executor.run(module, name, ...args)` is {@link toThread} on this pool.
 *
 * **Gotchas**
 *
 * `maxWorkers` must be a whole number of at least 1, or the effect dies with
 * `Cause.IllegalArgumentError`.
 *
 * **Example** (Two threads for a batch)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * // In a real program the module is a file beside this one: new URL("./jobs.ts", import.meta.url).
 * const jobs = aio.workerModule<{ readonly fib: (n: number) => number }>(
 *   "data:text/javascript,export const fib = (n) => n < 2 ? n : fib(n - 1) + fib(n - 2)"
 * )
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const executor = yield* aio.makeExecutor({ maxWorkers: 2 })
 *   return yield* aio.gather([20, 21, 22].map((n) => executor.run(jobs, "fib", n)))
 * }))
 *
 * // Two at a time, off the main thread.
 * Effect.runPromise(program).then(console.log)
 * // => [6765, 10946, 17711]
 * ```
 *
 * @see {@link toThread}
 * @category constructors
 * @since 0.1.0
 */
export const makeExecutor = (options?: ExecutorOptions): Effect.Effect<Executor, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const maxWorkers = options?.maxWorkers === undefined
        ? availableParallelism()
        : wholeNumberAtLeast("makeExecutor", "maxWorkers", options.maxWorkers, 1)
      return new ExecutorImpl(maxWorkers, "Executor.run")
    }),
    (executor) => Effect.promise(() => executor.pool.destroy())
  )

let shared: ExecutorImpl | undefined

/**
 * Runs a function on a worker thread and waits for its result, like
 * `await asyncio.to_thread(func, *args)`: CPU-heavy work that would block
 * every other fiber runs in parallel instead, while the calling fiber
 * waits.
 *
 * **When to use**
 *
 * Use for CPU-bound work (parsing, hashing, compression, number crunching)
 * that would otherwise freeze timers, I/O and every other fiber for as long
 * as it runs. I/O-bound work needs no thread in Node.
 *
 * **Details**
 *
 * - The unit of work is a module and the name of one of its exported
 *   functions: a closure cannot cross to another thread. The function may
 *   be `async`; its result is awaited in the thread.
 * - `module`: a `URL` (`new URL("./jobs.ts", import.meta.url)`), a URL
 *   string, an absolute path, or a {@link workerModule} that types the call.
 * - What crosses the boundary is copied with the structured clone algorithm
 *   (`postMessage`): the arguments going in, the result coming back. Plain
 *   data, `Date`, `Map`, `Set`, typed arrays and `Error`s cross; functions,
 *   class instances' prototypes and symbols do not. A `SharedArrayBuffer`
 *   is shared, not copied.
 * - Runs on a pool shared by the process, of as many threads as cores
 *   (`os.availableParallelism()`); further jobs wait their turn, first come
 *   first served. Idle threads stop after 10 s and never keep the process
 *   alive. {@link makeExecutor} makes a pool of your own.
 * - Failure: a job that throws (or rejects) fails with the typed
 *   `WorkerError`, whose `error` holds what it threw as it crossed (an
 *   `Error` keeps its name, message, stack, cause and own properties). So
 *   does a job whose thread dies (`process.exit` in the job, out of memory).
 * - Interruption really stops the work: the job's thread is terminated (a
 *   CPU-bound loop cannot be asked to stop), the pool starts a fresh one for
 *   later jobs, and the interrupted call returns once the thread has
 *   stopped. A job still waiting for a thread is just taken out of the
 *   queue.
 *
 * **Gotchas**
 *
 * A module that cannot be loaded in the worker (not found, a syntax error),
 * or a name that is not one of its exported functions, is a bug in the
 * caller: the effect dies with `Cause.IllegalArgumentError`, whose message
 * names the module and the error (it is found in the worker, so after the
 * job has waited for a thread). So does a relative path. A job's module is
 * loaded in every thread that runs it, once per thread; its top-level code
 * runs there, not in the caller's thread.
 *
 * **Example** (A CPU-heavy job off the event loop)
 *
 * ```ts
 * import * as aio from "effect-asyncio"
 * import { Effect } from "effect"
 *
 * // In a real program the module is a file beside this one: new URL("./primes.ts", import.meta.url).
 * const primes = aio.workerModule<{ readonly countPrimes: (below: number) => number }>(
 *   "data:text/javascript,export const countPrimes = (below) => { let n = 0; " +
 *     "for (let i = 2; i < below; i++) { let p = true; for (let d = 2; d * d <= i; d++) if (i % d === 0) { p = false; break } if (p) n++ } " +
 *     "return n }"
 * )
 *
 * // Timers and other fibers keep running while the thread counts.
 * Effect.runPromise(aio.toThread(primes, "countPrimes", 100_000)).then(console.log)
 * // => 9592
 * ```
 *
 * @see {@link makeExecutor} for a pool of your own
 * @category combinators
 * @since 0.1.0
 */
export const toThread: {
  <M, K extends WorkerFunctions<M>>(
    module: WorkerModule<M>,
    name: K,
    ...args: M[K] extends (...args: infer P) => unknown ? P : never
  ): Effect.Effect<M[K] extends (...args: any) => infer R ? Awaited<R> : never, WorkerError>
  (module: URL | string, name: string, ...args: ReadonlyArray<unknown>): Effect.Effect<unknown, WorkerError>
} = (module: unknown, name: unknown, ...args: ReadonlyArray<unknown>): Effect.Effect<any, WorkerError> =>
  Effect.suspend(() => {
    shared ??= new ExecutorImpl(availableParallelism(), "toThread")
    return shared.runJob(module, name, args)
  })
