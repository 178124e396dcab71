import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import * as aio from "effect-asyncio"
import { advance, settle } from "./utils/fixtures.ts"

type Node = aio.TaskTreeNode

const byName = (tree: aio.TaskTree, name: string): Node => {
  const found = tree.nodes.filter((node) => node.name === name)
  assert.strictEqual(found.length, 1, `one node named ${name}`)
  return found[0]
}
const byId = (tree: aio.TaskTree, id: string | null): Node => tree.nodes.find((node) => node.id === id)!
const childrenOf = (tree: aio.TaskTree, node: Node): Array<Node> => tree.nodes.filter((n) => n.parent === node.id)

describe("taskTree", () => {
  it.effect("nested groups: each task under its group, each group under the task or body that opened it", () =>
    Effect.gen(function*() {
      const gate = yield* Deferred.make<void>()
      const seen = yield* Deferred.make<aio.TaskTree>()
      const fiber = yield* Effect.forkChild(aio.taskGroup((outer) =>
        Effect.gen(function*() {
          yield* outer.createTask(Deferred.await(gate), { name: "outer-task" })
          yield* outer.createTask(
            aio.taskGroup((inner) =>
              Effect.gen(function*() {
                yield* inner.createTask(Deferred.await(gate), { name: "inner-task" })
                yield* Effect.sleep(10)
                yield* Deferred.succeed(seen, yield* aio.taskTree)
              })
            ),
            { name: "opener" }
          )
        })
      ))
      yield* advance(10)
      const tree = yield* Deferred.await(seen)
      const opener = byName(tree, "opener")
      const outerGroup = byId(tree, opener.parent)
      assert.strictEqual(outerGroup.kind, "task group")
      assert.strictEqual(byName(tree, "outer-task").parent, outerGroup.id)
      const innerTask = byName(tree, "inner-task")
      const innerGroup = byId(tree, innerTask.parent)
      assert.strictEqual(innerGroup.kind, "task group")
      // The inner group was opened by the opener task, and the opener waits on it.
      assert.strictEqual(innerGroup.parent, opener.id)
      assert.include(opener.waitingOn, innerGroup.id)
      assert.strictEqual(opener.kind, "task")
      assert.strictEqual(opener.state, "running")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(
        (yield* aio.taskTree).nodes.filter((n) => n.kind !== "fiber"),
        [],
        "nothing left once done"
      )
    }))

  it.effect("a gather inside a task: the gather under the task, its effects under the gather, counts in details", () =>
    Effect.gen(function*() {
      const task = yield* aio.createTask(aio.gather([Effect.sleep(10), Effect.sleep(100), Effect.sleep(100)]), {
        name: "fetcher"
      })
      yield* advance(10)
      const tree = yield* aio.taskTree
      const fetcher = byName(tree, "fetcher")
      const [gather] = childrenOf(tree, fetcher)
      assert.strictEqual(gather.kind, "gather")
      assert.strictEqual(gather.details, "1 of 3 done")
      assert.deepStrictEqual(fetcher.waitingOn, [gather.id])
      const effects = childrenOf(tree, gather)
      assert.strictEqual(effects.length, 2)
      assert.deepStrictEqual(gather.waitingOn, effects.map((node) => node.id))
      yield* advance(90)
      yield* Fiber.join(task)
    }))

  it.effect("timeout scopes show the time left on the TestClock, nested", () =>
    Effect.gen(function*() {
      const seen = yield* Deferred.make<aio.TaskTree>()
      const fiber = yield* Effect.forkChild(aio.timeout(
        1000,
        aio.timeout(
          300,
          Effect.gen(function*() {
            yield* Effect.sleep(100)
            yield* Deferred.succeed(seen, yield* aio.taskTree)
            yield* Effect.never
          })
        )
      ))
      yield* advance(100)
      const tree = yield* Deferred.await(seen)
      const scopes = tree.nodes.filter((node) => node.kind === "timeout scope")
      assert.deepStrictEqual(scopes.map((scope) => scope.timeLeft), [900, 200])
      assert.deepStrictEqual(scopes.map((scope) => scope.details), ["900 ms left", "200 ms left"])
      // The inner scope sits under the outer scope's body.
      assert.strictEqual(byId(tree, byId(tree, scopes[1].parent).parent).id, scopes[0].id)
      yield* advance(200)
      assert.isTrue((yield* Fiber.await(fiber))._tag === "Failure")
    }))

  it.effect("a deliberate deadlock: the two tasks and their waits are marked as a cycle", () =>
    Effect.gen(function*() {
      let b: Fiber.Fiber<unknown> | undefined
      const a = yield* aio.createTask(Effect.suspend(() => aio.wait([b!])), { name: "a" })
      b = yield* aio.createTask(aio.wait([a]), { name: "b" })
      const bystander = yield* aio.createTask(Effect.never, { name: "bystander" })
      yield* settle
      const tree = yield* aio.taskTree
      assert.isTrue(byName(tree, "a").inCycle)
      assert.isTrue(byName(tree, "b").inCycle)
      assert.isFalse(byName(tree, "bystander").inCycle)
      const waits = tree.nodes.filter((node) => node.kind === "wait")
      assert.deepStrictEqual(waits.map((node) => node.inCycle), [true, true])
      const text = aio.formatTaskTree(tree)
      assert.match(text, /[├└]─ a \(fiber-\d+\) waits on wait-\d+ <- CYCLE/)
      assert.match(text, /[├└]─ b \(fiber-\d+\) waits on wait-\d+ <- CYCLE/)
      assert.notMatch(text, /bystander.*CYCLE/)
      yield* Fiber.interruptAll([a, b, bystander])
    }))

  it.effect("a task being cancelled shows as cancelling", () =>
    Effect.gen(function*() {
      const seen = yield* Deferred.make<aio.TaskTree>()
      const task = yield* aio.createTask(
        Effect.never.pipe(
          Effect.onInterrupt(() => Effect.flatMap(aio.taskTree, (tree) => Deferred.succeed(seen, tree)))
        ),
        { name: "slow to stop" }
      )
      yield* settle
      yield* aio.cancel(task)
      assert.strictEqual(byName(yield* Deferred.await(seen), "slow to stop").state, "cancelling")
    }))

  it.effect("formatTaskTree draws an indented tree, parents before children", () =>
    Effect.gen(function*() {
      const seen = yield* Deferred.make<string>()
      const fiber = yield* Effect.forkChild(aio.taskGroup((tg) =>
        Effect.gen(function*() {
          yield* tg.createTask(Effect.never, { name: "worker" })
          yield* Effect.sleep(5)
          yield* Deferred.succeed(seen, aio.formatTaskTree(yield* aio.taskTree))
          yield* tg.cancel
        })
      ))
      yield* advance(5)
      const text = yield* Deferred.await(seen)
      const lines = text.split("\n")
      const group = lines.findIndex((line) => /task group \(task-group-\d+\)/.test(line))
      const worker = lines.findIndex((line) => /worker \(fiber-\d+\)/.test(line))
      assert.isAbove(group, -1)
      assert.isAbove(worker, group)
      assert.match(lines[worker], /^\s*[├└]─ worker/)
      yield* Fiber.join(fiber)
    }))
})

describe("failIfHung", () => {
  it.live("a hang fails with HungError holding the tree, after stopping the work", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(aio.failIfHung(
        Effect.gen(function*() {
          yield* aio.createTask(Effect.never, { name: "stuck" })
          yield* Effect.never
        }),
        "20 millis"
      ))
      assert.strictEqual(exit._tag, "Failure")
      const error = (exit as unknown as { cause: { reasons: Array<{ error?: unknown }> } }).cause.reasons[0]
        .error as aio.HungError
      assert.strictEqual(error._tag, "HungError")
      assert.match(error.message, /^failIfHung: still running after 20 ms; the task tree then:\n/)
      assert.include(error.message, "stuck")
      assert.isTrue(error.tree.nodes.some((node) => node.name === "stuck"))
      assert.deepStrictEqual(
        (yield* aio.allTasks).filter((t) => t.pollUnsafe() === undefined),
        [],
        "nothing left running"
      )
    }))

  it.live("work that finishes in time passes through, value and failure alike", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* aio.failIfHung(Effect.succeed(1), "1 second"), 1)
      assert.strictEqual(yield* Effect.flip(aio.failIfHung(Effect.fail("boom"), "1 second")), "boom")
    }))
})
