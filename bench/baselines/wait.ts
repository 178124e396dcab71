/**
 * asyncio's `wait(aws, timeout=..., return_when=...)` for promises: promises
 * lack it. `wait` never cancels anything; pair it with an `AbortController`
 * to stop the pending work, as `asyncio.wait` is paired with `task.cancel()`.
 */

export type ReturnWhen = "ALL_COMPLETED" | "FIRST_COMPLETED" | "FIRST_EXCEPTION"

export interface WaitOptions {
  readonly returnWhen?: ReturnWhen | undefined
  /** Milliseconds; when it passes, `wait` resolves with what is done so far. */
  readonly timeout?: number | undefined
}

export interface WaitResult<T> {
  /** Settled promises, in input order. */
  readonly done: ReadonlyArray<Promise<T>>
  /** Unsettled promises, in input order. */
  readonly pending: ReadonlyArray<Promise<T>>
}

/**
 * Resolves when the condition holds: every promise settled (default), any
 * settled, or any rejected (else all settled). Never rejects.
 */
export const wait = <T>(promises: ReadonlyArray<Promise<T>>, options?: WaitOptions): Promise<WaitResult<T>> => {
  if (promises.length === 0) return Promise.reject(new TypeError("wait: promises must not be empty"))
  const returnWhen = options?.returnWhen ?? "ALL_COMPLETED"
  const settled = new Uint8Array(promises.length)
  return new Promise<WaitResult<T>>((resolve) => {
    let remaining = promises.length
    let finished = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const finish = () => {
      if (finished) return
      finished = true
      if (timer !== undefined) clearTimeout(timer)
      const done: Array<Promise<T>> = []
      const pending: Array<Promise<T>> = []
      for (let i = 0; i < promises.length; i++) (settled[i] === 1 ? done : pending).push(promises[i])
      resolve({ done, pending })
    }
    if (options?.timeout !== undefined) timer = setTimeout(finish, Math.max(0, options.timeout))
    promises.forEach((promise, i) => {
      promise.then(
        () => {
          settled[i] = 1
          if (--remaining === 0 || returnWhen === "FIRST_COMPLETED") finish()
        },
        () => {
          settled[i] = 1
          if (--remaining === 0 || returnWhen !== "ALL_COMPLETED") finish()
        }
      )
    })
  })
}
