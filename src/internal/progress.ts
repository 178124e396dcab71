/**
 * Counting progress into the caller's `SubscriptionRef`: each primitive
 * reports its work queued, started, finished and dropped, and each report is
 * one new `Progress` published at once, from the observer that saw it.
 *
 * The updates are synchronous (the primitives learn of an end in a fiber
 * observer, outside any effect), so they write the ref's value and publish it
 * to its `PubSub` directly, as `SubscriptionRef.set` does under its permit; a
 * JavaScript callback cannot interleave with another update.
 *
 * @internal
 */
import type * as Exit from "effect/Exit"
import * as PubSub from "effect/PubSub"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type { Progress } from "../progress.ts"
import { misuse, show } from "./validate.ts"

/** @internal */
export type ProgressRef = SubscriptionRef.SubscriptionRef<Progress>

const publish = (ref: ProgressRef, next: Progress): void => {
  ref.value = next
  PubSub.publishUnsafe(ref.pubsub, next)
}

/**
 * `count` more effects waiting for a place, and `started` more already
 * running (tasks given to `gather`, or created in a group).
 *
 * @internal
 */
export const progressAdded = (ref: ProgressRef, queued: number, started: number): void => {
  const now = ref.value
  publish(ref, {
    ...now,
    total: now.total + queued + started,
    queued: now.queued + queued,
    running: now.running + started
  })
}

/** One queued effect has started. @internal */
export const progressStarted = (ref: ProgressRef): void => {
  const now = ref.value
  publish(ref, { ...now, queued: now.queued - 1, running: now.running + 1 })
}

/** One running effect or task has ended, this way. @internal */
export const progressEnded = (ref: ProgressRef, exit: Exit.Exit<unknown, unknown>): void => {
  const now = ref.value
  const failed = exit._tag === "Failure" && exit.cause.reasons.some((reason) => reason._tag !== "Interrupt")
  const cancelled = exit._tag === "Failure" && !failed
  publish(ref, {
    ...now,
    done: now.done + 1,
    failed: now.failed + (failed ? 1 : 0),
    cancelled: now.cancelled + (cancelled ? 1 : 0),
    running: now.running - 1
  })
}

/** `count` queued effects will never start: the work stopped early. @internal */
export const progressDropped = (ref: ProgressRef, count: number): void => {
  if (count === 0) return
  const now = ref.value
  publish(ref, { ...now, done: now.done + count, cancelled: now.cancelled + count, queued: now.queued - count })
}

/**
 * The `progress` option: absent, or a `SubscriptionRef` (of `Progress`
 * counts, which only the types can check).
 *
 * @internal
 */
export const progressOption = (fn: string, value: unknown): ProgressRef | undefined => {
  if (value === undefined) return undefined
  const isRef = SubscriptionRef.isSubscriptionRef(value)
  if (isRef && typeof (value.value as Partial<Progress>)?.total === "number") return value as ProgressRef
  throw misuse(
    `${fn}: progress must be a SubscriptionRef of Progress counts (makeProgress()), got ${
      isRef ? `a SubscriptionRef of ${show(value.value)}` : show(value)
    }`
  )
}
