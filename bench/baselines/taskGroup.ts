/**
 * asyncio's `TaskGroup` for promises. `taskGroup(body)` runs `body(tg)`;
 * `tg.createTask(fn)` starts `fn(signal)` with the group's `AbortSignal`.
 * The group resolves with the body's value once every task (including those
 * added while it waits) has settled. The first failure aborts the signal, so
 * tasks that honour it stop, and the group rejects with an `AggregateError`
 * of every failure, in the order they happened.
 */

export interface TaskGroup {
  readonly signal: AbortSignal
  createTask<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>
}

export const taskGroup = async <A>(body: (tg: TaskGroup) => Promise<A>, parent?: AbortSignal): Promise<A> => {
  const controller = new AbortController()
  const onParentAbort = () => controller.abort(parent?.reason)
  parent?.addEventListener("abort", onParentAbort, { once: true })
  const errors: Array<unknown> = []
  let pending = 0
  let closed = false
  let idle: (() => void) | undefined
  const settle = () => {
    if (--pending === 0 && idle !== undefined) idle()
  }
  const fail = (error: unknown) => {
    errors.push(error)
    if (!controller.signal.aborted) controller.abort(error)
  }
  const tg: TaskGroup = {
    signal: controller.signal,
    createTask<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      if (closed || controller.signal.aborted) throw new Error("TaskGroup: the task group is shutting down or finished")
      pending++
      const task = fn(controller.signal)
      // The group observes the task; the caller may ignore the returned promise.
      task.then(settle, (error: unknown) => {
        // A task that stopped because the group aborted it is not a new error.
        if (!(controller.signal.aborted && error === controller.signal.reason)) fail(error)
        settle()
      })
      return task
    }
  }
  let value: A | undefined
  try {
    value = await body(tg)
  } catch (error) {
    fail(error)
  }
  if (pending > 0) await new Promise<void>((resolve) => (idle = resolve))
  closed = true
  parent?.removeEventListener("abort", onParentAbort)
  if (errors.length > 0) throw new AggregateError(errors, `unhandled errors in a TaskGroup (${errors.length})`)
  if (parent?.aborted) throw parent.reason
  return value as A
}
