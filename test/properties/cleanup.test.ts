import { describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { interruptAt, tree, type TreeNode } from "./arbitraries.ts"
import { checkProperty, propertyTimeout } from "./harness.ts"
import { assertStructured, runTree } from "./tree.ts"

/**
 * Any primitive nested in any other (gather, wait with createTask and
 * cancel, asCompleted, taskGroup, timeout, waitFor), with random durations,
 * outcomes, deadlines and reschedules, finalizers that take time or fail,
 * interrupted from outside or not.
 * (`shield` is left out on purpose: its work outlives its caller by design.)
 */
const scenario = fc.record({
  root: tree(3, ["group", "spawner", "timeout", "waitFor", "gather", "asCompleted", "tasks"], false, {
    failingCleanup: true
  }),
  interruptAt: interruptAt(60)
})

const property = ({ interruptAt, root }: { readonly root: TreeNode; readonly interruptAt: number | undefined }) =>
  Effect.map(runTree(root, interruptAt), assertStructured)

describe("cleanup (properties)", () => {
  it.effect(
    "after any primitive ends, no fiber it started is running, every finalizer ran exactly once, and no error is lost",
    () => checkProperty(scenario, property),
    propertyTimeout
  )
})
