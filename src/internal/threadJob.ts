/**
 * The code that runs a job inside a worker thread of an executor: Piscina
 * loads this module in each thread and calls its default export with the
 * job. It imports the job's module, calls the named export with the
 * arguments, and always answers with a plain `Outcome`, so that the calling
 * thread can tell a value from a throw, a module that did not load, and a
 * name that is not an exported function.
 *
 * It imports nothing: it must load as it is in a bare worker thread (as
 * `.js` from `dist/`, or as `.ts` through Node's type stripping from
 * `src/`).
 *
 * @internal
 */

/** @internal */
export interface Job {
  readonly module: string
  readonly name: string
  readonly args: ReadonlyArray<unknown>
}

/** An `Error` as it crosses the thread boundary: its name, message, stack, cause and own properties. @internal */
export interface CrossedError {
  readonly name: string
  readonly message: string
  readonly stack: string | undefined
  readonly cause?: unknown
  readonly properties: Record<string, unknown>
}

/** @internal */
export type Outcome =
  | { readonly _tag: "Value"; readonly value: unknown }
  | { readonly _tag: "Threw"; readonly error: unknown; readonly crossed: CrossedError | undefined }
  | { readonly _tag: "Unloadable"; readonly message: string }
  | { readonly _tag: "NotAFunction"; readonly functions: ReadonlyArray<string> }

const messageOf = (error: unknown): string => error instanceof Error ? `${error.name}: ${error.message}` : String(error)

/** Keeps what can be copied to the other thread. */
const cloneable = (value: unknown): unknown => {
  try {
    return structuredClone(value)
  } catch {
    return messageOf(value)
  }
}

// Structured cloning keeps an Error's message, stack and cause, but turns a
// subclass's name into "Error" and drops its own properties (`code`, ...):
// they are sent beside it.
const crossError = (error: unknown): CrossedError | undefined => {
  if (!(error instanceof Error)) return undefined
  const properties: Record<string, unknown> = {}
  for (const key of Object.keys(error)) {
    if (key !== "cause") properties[key] = cloneable((error as unknown as Record<string, unknown>)[key])
  }
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...("cause" in error ? { cause: cloneable(error.cause) } : {}),
    properties
  }
}

/** @internal */
export default async function runJob(job: Job): Promise<Outcome> {
  let namespace: Record<string, unknown>
  try {
    namespace = await import(job.module)
  } catch (error) {
    return { _tag: "Unloadable", message: messageOf(error) }
  }
  const fn = namespace[job.name]
  if (typeof fn !== "function") {
    return {
      _tag: "NotAFunction",
      functions: Object.keys(namespace).filter((key) => typeof namespace[key] === "function")
    }
  }
  try {
    return { _tag: "Value", value: await fn(...job.args) }
  } catch (error) {
    const crossed = crossError(error)
    return { _tag: "Threw", error: crossed === undefined ? cloneable(error) : undefined, crossed }
  }
}
