/**
 * Checks every ```ts example of the documentation: the JSDoc of src/, README.md,
 * CONTRIBUTING.md and docs/*.md (docs/api/ is generated from the JSDoc, so it is
 * not read twice).
 *
 * 1. Type-checks each example as a module that imports "effect-asyncio" as a
 *    user would, with its `// =>` expressions, as Effect's docgen does with
 *    `examplesCompilerOptions` (tmp/doc-examples/, one file per example, named
 *    after its source line).
 * 2. Runs each example in its own Node process on virtual time
 *    (scripts/doc-examples/: `Effect.runPromise`, `Effect.runPromiseExit` and
 *    `aio.run` get a `TestClock` that moves on whenever the program waits), and
 *    checks that what it printed is what its `// =>` lines say.
 *
 * The format (CONTRIBUTING.md, "Doc examples"):
 * - An example is a whole program: imports, then code, ending with a call that
 *   runs it, such as `Effect.runPromise(program).then(console.log)`.
 * - Each `// => <expression>` comment is one printed value: the example's
 *   `console.log`/`Console.log` calls, in order, must print exactly the values
 *   of its `// =>` expressions, in the order they appear in the text. The
 *   expression is TypeScript evaluated in the example's scope
 *   (`// => [1, "two"]`, `// => Exit.fail("boom")`, `// => new ApiError({ id: 2 })`)
 *   and compared with `Equal.equals` for Effect's data types and structurally
 *   otherwise. A `console.log` with several arguments prints their array.
 * - Nothing else may follow the expression on the line, and "// prints ..."
 *   prose is refused: a result nobody checks is a claim, not an example.
 * - A fence opened with "```ts types-only" is type-checked but not run (an
 *   example that needs a test runner); it may have no `// =>` line.
 * - A Markdown file with a line `<!-- doc-examples: skip: reason -->` is skipped
 *   whole; the comment says where its snippets are checked instead.
 *
 * Usage: node scripts/check-doc-examples.ts [--types-only] [name-filter]
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const out = path.join(root, "tmp", "doc-examples")
const runDir = path.join(out, "run")
const shims = path.join(root, "scripts", "doc-examples")
const typesOnly = process.argv.includes("--types-only")
const filter = process.argv.slice(2).find((arg) => !arg.startsWith("--"))

interface Example {
  readonly source: string
  readonly line: number
  readonly code: string
  readonly run: boolean
}

interface Expectation {
  readonly line: number
  readonly expression: string
}

const fence = /^```ts( types-only)?\n([\s\S]*?)^```$/gm
const skipFile = /^<!-- doc-examples: skip\b/m

const fromMarkdown = (file: string, text: string): Array<Example> =>
  skipFile.test(text) ? [] : Array.from(text.matchAll(fence), (match) => ({
    source: file,
    line: text.slice(0, match.index).split("\n").length,
    code: match[2],
    run: match[1] === undefined
  }))

// JSDoc lines start with " * "; strip that prefix (keeping the line count), then read the fences.
const fromJsDoc = (file: string, text: string): Array<Example> =>
  fromMarkdown(file, text.split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n"))

const sources = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? sources(full) : entry.name.endsWith(".ts") ? [full] : []
  }).sort()

const markdown = [
  "README.md",
  "CONTRIBUTING.md",
  ...fs.readdirSync(path.join(root, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)
].filter((file) => fs.existsSync(path.join(root, file)))

const examples = [
  ...sources(path.join(root, "src")).flatMap((file) =>
    fromJsDoc(path.relative(root, file), fs.readFileSync(file, "utf8"))
  ),
  ...markdown.flatMap((file) => fromMarkdown(file, fs.readFileSync(path.join(root, file), "utf8")))
].filter((example) => filter === undefined || `${example.source}:${example.line}`.includes(filter))

const problems: Array<string> = []

const expectationsOf = (example: Example): Array<Expectation> =>
  example.code.split("\n").flatMap((text, i) => {
    const line = example.line + 1 + i
    if (/\/\/\s*prints\b/.test(text)) {
      problems.push(`${example.source}:${line}: write the printed value as "// => <expression>", not prose`)
    }
    const match = /\/\/ => (.*)$/.exec(text)
    return match === null ? [] : [{ line, expression: match[1].trim() }]
  })

const nameOf = (example: Example) =>
  `${example.source.replace(/[^a-zA-Z0-9]+/g, "_")}_${String(example.line).padStart(4, "0")}.ts`

const expectedList = (expectations: ReadonlyArray<Expectation>) =>
  `[\n${expectations.map((e) => `  ${e.expression}, // line ${e.line}`).join("\n")}\n]`

// The example's imports of effect, effect/Effect and effect-asyncio go to the
// shims that put its programs on virtual time.
const redirect = (code: string) =>
  code.replace(/(from\s+)"(effect|effect\/Effect|effect-asyncio)"/g, (_, from: string, specifier: string) => {
    const shim = { "effect": "effect.ts", "effect/Effect": "effect-module.ts", "effect-asyncio": "effect-asyncio.ts" }[
      specifier
    ]!
    return `${from}${JSON.stringify(path.join(shims, shim))}`
  })

fs.rmSync(out, { recursive: true, force: true })
fs.mkdirSync(runDir, { recursive: true })
const planned = examples.map((example) => {
  const expectations = expectationsOf(example)
  if (!example.run && expectations.length > 0) {
    problems.push(`${example.source}:${example.line}: a types-only example is not run, so it may have no // => line`)
  }
  const name = nameOf(example)
  const header = `// ${example.source}:${example.line}\n`
  fs.writeFileSync(
    path.join(out, name),
    `${header}${example.code}\nexport const __expected = () => ${expectedList(expectations)}\n`
  )
  if (example.run) {
    const lines = expectations.map((e) => `${example.source}:${e.line}: // => ${e.expression}`)
    fs.writeFileSync(
      path.join(runDir, name),
      `${header}${redirect(example.code)}\n;(globalThis as any).__docExample.expect(() => ${
        expectedList(expectations)
      }, ${JSON.stringify(lines)})\n`
    )
  }
  return { example, name }
})
fs.writeFileSync(
  path.join(out, "tsconfig.json"),
  JSON.stringify({
    extends: "../../tsconfig.base.json",
    compilerOptions: { noEmit: true, noUnusedLocals: false },
    include: ["*.ts"]
  })
)

try {
  execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", out], {
    stdio: "inherit"
  })
} catch {
  problems.push(`type errors (the files in ${path.relative(root, out)} each name their source line)`)
}

const runOne = (name: string, label: string) =>
  new Promise<string | undefined>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(shims, "harness.ts"), path.join(runDir, name)],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 }
    )
    let output = ""
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    child.on("close", (code, signal) =>
      resolve(
        code === 0
          ? undefined
          : `${label}: the example failed (${signal ?? `exit code ${code}`}):\n${output.trimEnd().replace(/^/gm, "  ")}`
      ))
  })

const runnable = planned.filter((p) => p.example.run)
if (!typesOnly && problems.length === 0) {
  const queue = [...runnable]
  const workers = Array.from({ length: Math.min(os.availableParallelism(), queue.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const failure = await runOne(next.name, `${next.example.source}:${next.example.line}`)
      if (failure !== undefined) problems.push(failure)
    }
  })
  await Promise.all(workers)
}

if (problems.length > 0) {
  console.error(`doc examples: ${problems.length} problem(s)\n${problems.join("\n")}`)
  process.exit(1)
}
console.log(
  typesOnly
    ? `doc examples: ${examples.length} examples type-check`
    : `doc examples: ${examples.length} examples type-check, ${runnable.length} run and print what their // => lines say`
)
