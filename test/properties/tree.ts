/**
 * Runs a generated tree of nested primitives (see `tree` in
 * `arbitraries.ts`) and checks the invariants that hold at every node,
 * whatever the timing: nothing a node started outlives it, every finalizer
 * runs once, a task group reports every failure of its tasks exactly once
 * and ends only after all of them, a timeout scope that raises its own
 * timeout has expired, `gather` with `returnExceptions` returns what each
 * child did, and `cancel` answers whether the task was still running.
 */
import { assert } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, type Fiber, Stream } from "effect"
import * as aio from "effect-asyncio"
import type { Spawn, TreeNode, Work } from "./arbitraries.ts"
import { assertClean, drive, failuresOf, Recorder, sameExit, showExit, type Snapshot } from "./harness.ts"

/** What the interpreter learned about one node while building and running it. */
interface Built {
  readonly id: number
  readonly node: TreeNode
  /** The nodes nested directly inside (for a group: its tasks, which may not all start). */
  readonly children: Array<Built>
  /** For a group: the id of its body, and the tasks actually created, in order. */
  bodyId?: number
  readonly created: Array<number>
  /** For a timeout scope: its handle, and whether it had expired at the end. */
  handle?: aio.Timeout
  expired?: boolean
  /** For gather with returnExceptions: the slots it returned. */
  slots?: ReadonlyArray<Exit.Exit<unknown, unknown>>
  /** For a tasks node: per task, whether it was done before `cancel`, and what `cancel` returned. */
  readonly cancels: Array<{ readonly wasDone: boolean; readonly cancelled: boolean; readonly doneAfter: boolean }>
}

interface GroupContext {
  readonly tg: () => aio.TaskGroup
  readonly built: Built
}

export interface Run {
  readonly recorder: Recorder
  readonly root: Built
  readonly nodes: ReadonlyArray<Built>
  readonly snapshot: Snapshot
  readonly hung: boolean
}

const HORIZON = 600

/** Builds the effects of a tree (ids in depth-first order), runs it under `drive`, and returns what happened. */
export const runTree = (root: TreeNode, interruptAt: number | undefined): Effect.Effect<Run> =>
  Effect.gen(function*() {
    const recorder = yield* Recorder.make
    const nodes: Array<Built> = []
    const effects = new Map<number, Effect.Effect<unknown, unknown>>()
    const newBuilt = (node: TreeNode): Built => {
      const built: Built = { id: nodes.length, node, children: [], created: [], cancels: [] }
      nodes.push(built)
      return built
    }

    // `group`: the task group that the tasks of a spawner join.
    const build = (node: TreeNode, group: GroupContext | undefined): Built => {
      const built = newBuilt(node)
      const id = built.id
      // Tasks started into a group belong to the group (they may outlive the
      // task that started them), so they are the group's children.
      // The tree's effects are typed loosely (`Effect<unknown, unknown>`), so
      // the group's task-error marker (`TaskGroup.TaskErrors`) is dropped here.
      const spawnAll = (spawns: ReadonlyArray<Spawn>, into: GroupContext): Effect.Effect<void> => {
        const children = spawns.map((spawn) => ({ gap: spawn.gap, child: build(spawn.node, into) }))
        for (const { child } of children) into.built.children.push(child)
        return Effect.forEach(children, ({ child, gap }) =>
          Effect.andThen(
            gap > 0 ? Effect.sleep(gap) : Effect.void,
            Effect.tap(into.tg().createTask(effectOf(child.id)), () =>
              Effect.sync(() => into.built.created.push(child.id)))
          ), { discard: true }) as Effect.Effect<void, unknown, unknown> as Effect.Effect<void>
      }
      const wait = (w: Work) =>
        Effect.gen(function*() {
          for (let i = 0; i < w.yields; i++) {
            yield* Effect.yieldNow
          }
          if (w.delay > 0) {
            yield* Effect.sleep(w.delay)
          }
        })
      const nested = (child: TreeNode) => {
        const inner = build(child, group)
        built.children.push(inner)
        return inner
      }
      let effect: Effect.Effect<unknown, unknown>
      switch (node.kind) {
        case "work": {
          effect = recorder.work(id, node.work)
          break
        }
        case "group": {
          const body = newBuilt({ kind: "work", work: node.body })
          built.bodyId = body.id
          let handle: aio.TaskGroup | undefined
          const spawning = spawnAll(node.tasks, {
            tg: () =>
              handle!,
            built
          })
          effect = recorder.track(
            id,
            aio.taskGroup((tg) => {
              handle = tg
              return recorder.track(
                body.id,
                Effect.gen(function*() {
                  yield* spawning
                  yield* wait(node.body)
                  return yield* recorder.outcome(body.id, node.body.outcome)
                }),
                node.body.cleanup,
                node.body.cleanupFails === true
              )
            })
          )
          break
        }
        case "spawner": {
          const spawning = spawnAll(node.spawns, group!)
          effect = recorder.track(
            id,
            Effect.gen(function*() {
              yield* spawning
              yield* wait(node.work)
              return yield* recorder.outcome(id, node.work.outcome)
            }),
            node.work.cleanup,
            node.work.cleanupFails === true
          )
          break
        }
        case "timeout": {
          const body = nested(node.body)
          const reschedule = (t: aio.Timeout) =>
            Effect.forEach(node.reschedules, ({ after, to }) =>
              Effect.andThen(
                Effect.sleep(after),
                Effect.flatMap(Clock.currentTimeMillis, (now) => t.reschedule(to === null ? null : now + to))
              ), { discard: true })
          effect = recorder.track(
            id,
            aio.timeout(node.delay, (t) =>
              Effect.gen(function*() {
                built.handle = t
                if (node.reschedules.length > 0) yield* Effect.forkChild(reschedule(t))
                return yield* effectOf(body.id)
              }))
          )
          break
        }
        case "waitFor": {
          const body = nested(node.body)
          effect = recorder.track(
            id,
            node.task
              ? Effect.flatMap(aio.createTask(effectOf(body.id)), (task) => aio.waitFor(task, node.timeout))
              : aio.waitFor(effectOf(body.id), node.timeout)
          )
          break
        }
        case "gather": {
          const children = node.children.map(nested)
          const options = { concurrency: node.concurrency, returnExceptions: node.returnExceptions }
          effect = recorder.track(
            id,
            // With `tasks`, gather awaits tasks started just before it (and
            // cancels them when it stops early).
            Effect.tap(
              node.tasks
                ? Effect.flatMap(
                  Effect.forEach(children, (child) => aio.createTask(effectOf(child.id))),
                  (tasks) => aio.gather(tasks, options)
                )
                : aio.gather(
                  children.map((child) => effectOf(child.id)),
                  options
                ),
              (slots) =>
                Effect.sync(() => {
                  if (node.returnExceptions) built.slots = slots as ReadonlyArray<Exit.Exit<unknown, unknown>>
                })
            )
          )
          break
        }
        case "asCompleted": {
          const children = node.children.map(nested)
          const stream = aio.asCompleted(children.map((child) => effectOf(child.id)), {
            concurrency: node.concurrency,
            timeout: node.timeout
          })
          effect = recorder.track(
            id,
            Stream.runCollect(node.take === undefined ? stream : Stream.take(stream, node.take))
          )
          break
        }
        case "tasks": {
          const children = node.children.map(nested)
          effect = recorder.track(
            id,
            Effect.suspend(() => {
              // The tasks are supervised by the fiber running this node,
              // which may go on after it: cancel them when the node ends,
              // whichever way it ends, as a careful caller does.
              const tasks: Array<Fiber.Fiber<unknown, unknown>> = []
              return Effect.gen(function*() {
                for (const child of children) tasks.push(yield* aio.createTask(effectOf(child.id)))
                const { done } = yield* aio.wait(tasks, { returnWhen: node.returnWhen, timeout: node.timeout })
                for (const task of tasks) {
                  const wasDone = yield* aio.isDone(task)
                  const cancelled = yield* aio.cancel(task)
                  built.cancels.push({ wasDone, cancelled, doneAfter: yield* aio.isDone(task) })
                }
                return done.length
              }).pipe(Effect.ensuring(Effect.forEach(tasks, (task) => aio.cancel(task), { discard: true })))
            })
          )
          break
        }
      }
      effects.set(id, effect)
      return built
    }
    const effectOf = (id: number): Effect.Effect<unknown, unknown> => Effect.suspend(() => effects.get(id)!)

    const rootBuilt = build(root, undefined)
    let snapshot: Snapshot | undefined
    const { hung } = yield* drive(recorder.measured(effectOf(rootBuilt.id), (snap) => (snapshot = snap)), {
      horizon: HORIZON,
      interruptAt
    })
    assert.isDefined(snapshot, "the root ended")
    for (const built of nodes) {
      if (built.handle !== undefined) built.expired = yield* built.handle.expired
    }
    return { recorder, root: rootBuilt, nodes, snapshot: snapshot!, hung }
  })

/** Every node below `built` (its children, their children, ..., group bodies included). */
const descendants = (built: Built): Array<number> => {
  const out: Array<number> = []
  const visit = (b: Built) => {
    if (b.bodyId !== undefined) out.push(b.bodyId)
    for (const child of b.children) {
      out.push(child.id)
      visit(child)
    }
  }
  visit(built)
  return out
}

const typedErrors = (exit: Exit.Exit<unknown, unknown> | undefined): Array<unknown> =>
  exit === undefined || Exit.isSuccess(exit) ? [] : exit.cause.reasons.filter(Cause.isFailReason).map((r) => r.error)

const defects = (exit: Exit.Exit<unknown, unknown> | undefined): Array<unknown> =>
  exit === undefined || Exit.isSuccess(exit) ? [] : exit.cause.reasons.filter(Cause.isDieReason).map((r) => r.defect)

/**
 * No error is lost: every defect raised by a finalizer reaches the root's
 * cause (possibly inside a TaskGroupError's cause). Errors of tasks that a
 * `tasks` node cancels stay in those tasks, as asyncio keeps them in the
 * task, and `gather` with `returnExceptions` turns errors into values.
 */
export const assertNoErrorLost = (run: Run): void => {
  const { recorder, snapshot } = run
  const observed = new Set<unknown>()
  const visitValue = (u: unknown): void => {
    if (observed.has(u)) return
    observed.add(u)
    if (u instanceof aio.TaskGroupError) {
      visitCause(u.cause)
      u.errors.forEach(visitValue)
    }
  }
  const visitCause = (cause: Cause.Cause<unknown>): void => failuresOf(cause).forEach(visitValue)
  const visitExit = (exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isFailure(exit)) visitCause(exit.cause)
  }
  visitExit(snapshot.exit)
  const unreachable = new Set<number>()
  for (const built of run.nodes) {
    // `gather` with `returnExceptions` turns errors into values: the slots
    // (compared with what each child did in `assertStructured`), dropped
    // with the rest of its results if it is interrupted.
    const handled = (built.node.kind === "gather" && built.node.returnExceptions) || built.node.kind === "tasks"
    if (handled) { for (const id of descendants(built)) unreachable.add(id) }
  }
  for (const [id, defect] of recorder.cleanupDefects) {
    if (unreachable.has(id)) continue
    assert.isTrue(
      observed.has(defect),
      `the failing finalizer of node ${id} was lost (root ${showExit(snapshot.exit)}; path ${pathTo(run, id)})`
    )
  }
}

/** The kinds of the nodes from the root down to `id`, for messages. */
const pathTo = (run: Run, id: number): string => {
  const path: Array<string> = []
  const visit = (b: Built): boolean => {
    if (b.id === id || b.bodyId === id) {
      path.push(b.id === id ? b.node.kind : "group body")
      return true
    }
    for (const child of b.children) {
      if (visit(child)) {
        path.unshift(b.node.kind)
        return true
      }
    }
    return false
  }
  visit(run.root)
  return path.join(" > ")
}

/** The invariants of structured concurrency that hold at every node. */
export const assertStructured = (run: Run): void => {
  const { recorder, snapshot } = run
  assertClean(recorder, snapshot, "the root")
  assertNoErrorLost(run)
  for (const record of recorder.records.values()) {
    assert.isBelow(record.startSeq, snapshot.seq, `node ${record.id} started after the root ended`)
  }
  for (const built of run.nodes) {
    const record = recorder.records.get(built.id)
    if (record === undefined || built.node.kind === "work") continue
    // Nothing a node started outlives it.
    for (const inner of descendants(built)) {
      const r = recorder.records.get(inner)
      if (r === undefined) continue
      assert.isDefined(r.endSeq, `node ${inner} inside node ${built.id} still running`)
      assert.isBelow(
        r.endSeq!,
        record.endSeq!,
        `node ${inner} ended after node ${built.id} (${built.node.kind}) that holds it`
      )
    }
    switch (built.node.kind) {
      case "group":
        assertGroup(run, built)
        break
      case "timeout":
        assertTimeout(run, built)
        break
      case "gather": {
        if (built.slots !== undefined) {
          built.children.forEach((child, i) => {
            const childExit = recorder.records.get(child.id)?.finalExit
            assert.isDefined(childExit, `gather child ${child.id} ran`)
            assert.isTrue(
              sameExit(built.slots![i], childExit!),
              `gather slot ${i} is what node ${child.id} did: ${showExit(built.slots![i])} vs ${showExit(childExit)}`
            )
          })
        }
        break
      }
      case "tasks":
        for (const { cancelled, doneAfter, wasDone } of built.cancels) {
          assert.strictEqual(cancelled, !wasDone, "cancel answers whether the task was still running")
          assert.isTrue(doneAfter, "a cancelled task is done")
        }
        break
    }
  }
}

/**
 * A task group: `errors` holds the typed failure of every task (and of the
 * body) exactly once, in the order they ended; its `cause` holds the defects;
 * it ends when the last of them ends, and only then.
 */
export const assertGroup = (run: Run, built: Built): void => {
  const { recorder } = run
  const record = recorder.get(built.id)
  const members = [built.bodyId!, ...built.created]
    .map((id) => recorder.records.get(id))
    .filter((r) => r !== undefined)
    .sort((a, b) => a.endSeq! - b.endSeq!)
  const context = `group ${built.id}: ${showExit(record.exit)}; members ${
    members.map((m) => `${m.id} ${showExit(m.finalExit)} at ${m.endedAt}`).join(", ")
  }`
  const errors = members.flatMap((m) => typedErrors(m.finalExit))
  const dies = members.flatMap((m) => defects(m.finalExit))
  const groupError = typedErrors(record.exit).find((e): e is aio.TaskGroupError<unknown> =>
    e instanceof aio.TaskGroupError
  )
  if (errors.length + dies.length > 0) {
    assert.isDefined(groupError, `a failing task fails the group with TaskGroupError (${context})`)
    assert.strictEqual(groupError!.errors.length, errors.length, `every typed error exactly once (${context})`)
    errors.forEach((error, i) => assert.strictEqual(groupError!.errors[i], error, `errors[${i}] in order (${context})`))
    const inCause = failuresOf(groupError!.cause)
    for (const defect of dies) assert.include(inCause, defect, `defects are kept in the cause (${context})`)
  } else {
    assert.isUndefined(groupError, `no TaskGroupError without a failing task (${context})`)
  }
  // It ends when the last member ends (it waits for all of them, and no longer).
  const lastEnd = Math.max(...members.map((m) => m.endedAt!))
  assert.strictEqual(record.endedAt, lastEnd, `ends when its last task ends (${context})`)
  const bodyExit = recorder.get(built.bodyId!).exit!
  if (Exit.isSuccess(record.exit!)) {
    assert.isTrue(Exit.isSuccess(bodyExit), `succeeds only when the body did (${context})`)
    assert.strictEqual(record.exit.value, (bodyExit as Exit.Success<unknown>).value, "returns the body's value")
  }
  // After the first failure, no task goes on to succeed.
  const firstFailure = members.find((m) => typedErrors(m.finalExit).length + defects(m.finalExit).length > 0)
  if (firstFailure !== undefined) {
    for (const m of members) {
      if (m.settledAt! > firstFailure.endedAt! && m.startedAt < firstFailure.endedAt!) {
        assert.isFalse(
          Exit.isSuccess(m.exit!),
          `task ${m.id} was stopped by the failure of ${firstFailure.id} (${context})`
        )
      }
    }
  }
}

/** A timeout scope that raised its own timeout has expired; one that has not expired did not raise its own. */
const assertTimeout = (run: Run, built: Built): void => {
  const { recorder } = run
  const exit = recorder.get(built.id).exit
  if (built.handle === undefined || exit === undefined) return
  const bodyExit = recorder.records.get(built.children[0].id)?.exit
  const own = typedErrors(exit).filter((e) => Cause.isTimeoutError(e) && !typedErrors(bodyExit).includes(e))
  if (own.length > 0) assert.isTrue(built.expired, `timeout ${built.id} raised its own timeout, so it has expired`)
}
