import { describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { interruptAt, tree, type TreeNode, work } from "./arbitraries.ts"
import { checkProperty, propertyTimeout } from "./harness.ts"
import { assertGroup, assertStructured, runTree } from "./tree.ts"

/**
 * A task group at the root: its tasks are work, nested task groups, timeout
 * scopes around either, and tasks that start more tasks in the group while
 * it waits; it may be interrupted from outside.
 */
const scenario = fc.record({
  root: fc.record({
    kind: fc.constant("group" as const),
    tasks: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 5 }),
        node: tree(3, ["group", "spawner", "timeout"], true)
      }),
      { maxLength: 5 }
    ),
    body: work()
  }) as fc.Arbitrary<TreeNode>,
  interruptAt: interruptAt(60)
})

const property = ({ interruptAt, root }: { readonly root: TreeNode; readonly interruptAt: number | undefined }) =>
  Effect.gen(function*() {
    const run = yield* runTree(root, interruptAt)
    assertStructured(run)
    for (const built of run.nodes) {
      if (built.node.kind === "group" && run.recorder.records.has(built.id)) assertGroup(run, built)
    }
  })

describe("taskGroup (properties)", () => {
  it.effect(
    "errors holds every failing task's typed error exactly once, and the group ends only after all its tasks",
    () => checkProperty(scenario, property),
    propertyTimeout
  )
})
