/**
 * Every workload of every suite, in report order.
 */
import { workloads as asCompleted } from "./asCompleted.bench.ts"
import { workloads as cancellation } from "./cancellation.bench.ts"
import { workloads as gather } from "./gather.bench.ts"
import type { Workload } from "./harness.ts"
import { workloads as memory } from "./memory.bench.ts"
import { workloads as sync } from "./sync.bench.ts"
import { workloads as taskGroup } from "./taskGroup.bench.ts"
import { workloads as timeout } from "./timeout.bench.ts"
import { workloads as wait } from "./wait.bench.ts"

export const workloads: ReadonlyArray<Workload> = [
  ...gather,
  ...wait,
  ...asCompleted,
  ...taskGroup,
  ...timeout,
  ...cancellation,
  ...sync,
  ...memory
]

export const workloadById = (id: string): Workload => {
  const workload = workloads.find((w) => w.id === id)
  if (workload === undefined) {
    throw new Error(`unknown workload ${JSON.stringify(id)}; known: ${workloads.map((w) => w.id).join(", ")}`)
  }
  return workload
}
