/**
 * Every example program, in the order `npm start` plays them, with the seed
 * text it comes from and the virtual time it takes (checked by the golden
 * tests in `test/examples.test.ts`; `npm start` takes about as long in real
 * time).
 */
import type { Effect } from "effect"
import * as as_completed_progress from "./as_completed_progress.ts"
import * as asyncio_as_completed from "./asyncio_as_completed.ts"
import * as asyncio_coroutine from "./asyncio_coroutine.ts"
import * as asyncio_coroutine_chain from "./asyncio_coroutine_chain.ts"
import * as asyncio_coroutine_return from "./asyncio_coroutine_return.ts"
import * as asyncio_gather from "./asyncio_gather.ts"
import * as asyncio_generator from "./asyncio_generator.ts"
import * as asyncio_wait from "./asyncio_wait.ts"
import * as asyncio_wait_timeout from "./asyncio_wait_timeout.ts"
import * as await_sequential from "./await_sequential.ts"
import * as call_api from "./call_api.ts"
import * as cpu_on_executor from "./cpu_on_executor.ts"
import * as crawler from "./crawler.ts"
import * as create_task from "./create_task.ts"
import * as gather_results from "./gather_results.ts"
import * as gather_return_exceptions from "./gather_return_exceptions.ts"
import * as progress_bar from "./progress_bar.ts"
import * as quorum_read from "./quorum_read.ts"
import * as rate_limited_client from "./rate_limited_client.ts"
import * as startup_gate from "./startup_gate.ts"
import * as task_cancel from "./task_cancel.ts"
import * as task_group from "./task_group.ts"
import * as timeout_scope from "./timeout_scope.ts"
import * as wait_dispatcher from "./wait_dispatcher.ts"
import * as wait_for_gather from "./wait_for_gather.ts"

export interface Example {
  /** The file name, without `.ts`: the original's name for the seed programs. */
  readonly name: string
  /** What it shows, in a few words. */
  readonly title: string
  /** The seed text it reproduces. */
  readonly source: string
  /** How long it runs, in milliseconds (virtual time in the tests). */
  readonly millis: number
  readonly main: Effect.Effect<unknown, unknown>
  /**
   * It also waits for real work on a worker thread, which takes real time:
   * the golden test moves virtual time to `millis`, then waits for it.
   */
  readonly realWork?: boolean
}

const example = (
  name: string,
  title: string,
  source: string,
  millis: number,
  main: Effect.Effect<unknown, unknown>,
  realWork?: boolean
): Example => ({ name, title, source, millis, main, ...(realWork === true ? { realWork } : {}) })

const pymotwControl = "PyMOTW-3, Composing Coroutines with Control Structures (seeds 000, 001)"
const pymotwCoroutines = "PyMOTW-3, Cooperative Multitasking with Coroutines (seed 004)"
const waitTutorial = "pythontutorial.net, asyncio.wait() (seed 003)"
const blog = "blog, the ways to wait in asyncio (seed 002)"
const sync = "asyncio's synchronization primitives, queues and to_thread (issue 12)"
const quorum = "beyond asyncio: a quorum wait (issue 12)"
const observability = "beyond asyncio: progress and deadlines (issue 13)"

export const examples: ReadonlyArray<Example> = [
  example("asyncio_wait", "wait() for all phases", pymotwControl, 200, asyncio_wait.main),
  example(
    "asyncio_wait_timeout",
    "wait() with a timeout, then cancel the rest",
    pymotwControl,
    100,
    asyncio_wait_timeout.main
  ),
  example("asyncio_gather", "gather() results in argument order", pymotwControl, 2000, asyncio_gather.main),
  example(
    "asyncio_as_completed",
    "as_completed() answers as they finish",
    pymotwControl,
    500,
    asyncio_as_completed.main
  ),
  example("asyncio_coroutine", "starting a coroutine", pymotwCoroutines, 0, asyncio_coroutine.main),
  example(
    "asyncio_coroutine_return",
    "returning a value from a coroutine",
    pymotwCoroutines,
    0,
    asyncio_coroutine_return.main
  ),
  example("asyncio_coroutine_chain", "chaining coroutines", pymotwCoroutines, 0, asyncio_coroutine_chain.main),
  example(
    "asyncio_generator",
    "the same chain as generators (Effect.gen)",
    pymotwCoroutines,
    0,
    asyncio_generator.main
  ),
  example("call_api", "wait() with FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED", waitTutorial, 8000, call_api.main),
  example("await_sequential", "awaiting one after the other", blog, 500, await_sequential.main),
  example("create_task", "tasks started, then awaited", blog, 300, create_task.main),
  example("task_cancel", "cancelling a task", blog, 300, task_cancel.main),
  example("gather_results", "gather(), and its first error", blog, 500, gather_results.main),
  example("gather_return_exceptions", "gather(return_exceptions=True)", blog, 300, gather_return_exceptions.main),
  example("wait_for_gather", "wait_for(gather(...)) timing out", blog, 100, wait_for_gather.main),
  example("timeout_scope", "one timeout over sequential work", blog, 400, timeout_scope.main),
  example("as_completed_progress", "as_completed() as a progress indicator", blog, 400, as_completed_progress.main),
  example("wait_dispatcher", "wait() dispatching on task identity", blog, 300, wait_dispatcher.main),
  example("task_group", "TaskGroup, and one task failing", blog, 500, task_group.main),
  example("crawler", "a crawler: Queue, workers, join, shutdown", sync, 300, crawler.main),
  example("rate_limited_client", "at most two calls at a time: Semaphore", sync, 300, rate_limited_client.main),
  example("startup_gate", "handlers wait for start-up: Event", sync, 200, startup_gate.main),
  example(
    "cpu_on_executor",
    "a CPU-heavy job on a worker thread, a timer ticking",
    sync,
    300,
    cpu_on_executor.main,
    true
  ),
  example("quorum_read", "a quorum read of five replicas, two slow: wait with quorum(3)", quorum, 60, quorum_read.main),
  example("progress_bar", "a progress bar over 40 downloads, 4 at a time", observability, 990, progress_bar.main)
]
