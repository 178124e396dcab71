/**
 * The house's import rule (`.oxlintrc.json`): a primitive in src/ imports only
 * src/internal/* and src/errors.ts; src/durable/ imports its own modules,
 * src/internal/* and src/errors.ts. Lints a small made-up tree in a temporary
 * directory with the repository's own configuration, and checks which imports
 * are refused.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const oxlint = path.join(root, "node_modules", ".bin", "oxlint")

const tree: Record<string, string> = {
  "src/index.ts": `export { gather } from "./gather.ts"\nexport { wait } from "./wait.ts"\n`,
  "src/errors.ts": `export const InvalidStateError = 1\n`,
  "src/internal/validate.ts": `export const misuse = 1\n`,
  "src/internal/fibers.ts": `import { misuse } from "./validate.ts"\nexport const fibers = misuse\n`,
  "src/gather.ts": [
    `import { InvalidStateError } from "./errors.ts"`,
    `import { fibers } from "./internal/fibers.ts"`,
    `export const gather = [InvalidStateError, fibers]`,
    `export type Gathered = typeof gather`
  ].join("\n") + "\n",
  "src/wait.ts": [
    `import { gather } from "./gather.ts"`,
    `import type { Store } from "./durable/store.ts"`,
    `import * as aio from "effect-asyncio"`,
    `import type { Gathered } from "./gather.ts"`,
    `export const wait = [gather, aio] as unknown as Store | Gathered`
  ].join("\n") + "\n",
  "src/durable/store.ts": [
    `import { journal } from "./journal.ts"`,
    `import { misuse } from "../internal/validate.ts"`,
    `import { InvalidStateError } from "../errors.ts"`,
    `import { gather } from "../gather.ts"`,
    `export type Store = typeof journal`,
    `export const store = [journal, misuse, InvalidStateError, gather]`
  ].join("\n") + "\n",
  "src/durable/journal.ts": `export const journal = 1\n`,
  "src/durable/internal/codec.ts": [
    `import { journal } from "../journal.ts"`,
    `import { misuse } from "../../internal/validate.ts"`,
    `import { wait } from "../../wait.ts"`,
    `export const codec = [journal, misuse, wait]`
  ].join("\n") + "\n"
}

interface Diagnostic {
  readonly code: string
  readonly filename: string
  readonly labels: ReadonlyArray<{ readonly span: { readonly line: number } }>
}

describe("lint", () => {
  it("refuses a primitive importing another primitive, src/durable/ or the barrel, and allows internal/, errors.ts and a type of another primitive", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-asyncio-lint-"))
    try {
      fs.copyFileSync(path.join(root, ".oxlintrc.json"), path.join(work, ".oxlintrc.json"))
      for (const [file, text] of Object.entries(tree)) {
        fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true })
        fs.writeFileSync(path.join(work, file), text)
      }
      const result = spawnSync(oxlint, ["--format=json", "src"], { cwd: work, encoding: "utf8" })
      const report = JSON.parse(result.stdout) as { readonly diagnostics: ReadonlyArray<Diagnostic> }
      const refused = report.diagnostics
        .filter((d) => d.code === "eslint(no-restricted-imports)")
        .map((d) => `${d.filename}:${d.labels[0].span.line}`)
        .sort()
      assert.deepStrictEqual(refused, [
        "src/durable/internal/codec.ts:3",
        "src/durable/store.ts:4",
        "src/wait.ts:1",
        "src/wait.ts:2",
        "src/wait.ts:3"
      ])
      assert.notStrictEqual(result.status, 0)
    } finally {
      fs.rmSync(work, { recursive: true, force: true })
    }
  })
})
