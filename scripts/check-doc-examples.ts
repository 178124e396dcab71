/**
 * Type-checks every ```ts example in the JSDoc of src/ and in README.md,
 * as Effect's docgen does with `examplesCompilerOptions` (its doctest runner
 * is not on npm). Each fence becomes a module under tmp/doc-examples/ that
 * imports "effect-asyncio" like a user would; `tsc` must accept them all.
 *
 * Usage: node scripts/check-doc-examples.ts
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const out = path.join(root, "tmp", "doc-examples")

interface Example {
  readonly source: string
  readonly line: number
  readonly code: string
}

const fence = /```ts\n([\s\S]*?)```/g

const fromMarkdown = (file: string, text: string): Array<Example> =>
  Array.from(text.matchAll(fence), (match) => ({
    source: file,
    line: text.slice(0, match.index).split("\n").length,
    code: match[1]
  }))

// JSDoc lines start with " * "; strip that prefix, then read the fences.
const fromJsDoc = (file: string, text: string): Array<Example> =>
  fromMarkdown(file, text.split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n"))

const sources = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : []
  })

const examples = [
  ...sources(path.join(root, "src")).flatMap((file) => fromJsDoc(path.relative(root, file), fs.readFileSync(file, "utf8"))),
  ...fromMarkdown("README.md", fs.readFileSync(path.join(root, "README.md"), "utf8"))
]

fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(out, { recursive: true })
examples.forEach((example, i) => {
  const name = `${String(i).padStart(3, "0")}_${example.source.replace(/[^a-zA-Z0-9]+/g, "_")}_${example.line}.ts`
  fs.writeFileSync(path.join(out, name), `// ${example.source}:${example.line}\n${example.code}\nexport {}\n`)
})
fs.writeFileSync(
  path.join(out, "tsconfig.json"),
  JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { noEmit: true, noUnusedLocals: false }, include: ["*.ts"] })
)

try {
  execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", path.join(out, "tsconfig.json")], {
    stdio: "inherit"
  })
} catch {
  console.error(`doc examples: type errors (files in ${path.relative(root, out)}, each names its source line)`)
  process.exit(1)
}
console.log(`doc examples: ${examples.length} examples type-check`)
