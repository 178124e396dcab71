/**
 * Checks the API reference: TypeDoc builds it from the JSDoc without a warning
 * (a broken {@link}, or a public signature naming a type the package does not
 * export, is an error: see typedoc.config.mjs), and what it builds is exactly
 * what docs/api/ holds, so the committed reference never drifts from the code.
 * Then checks that every relative link of the hand-written Markdown (README,
 * CONTRIBUTING, docs/, examples/, bench/, test/) points to a file that exists:
 * the README's table links into pages whose paths TypeDoc chooses.
 *
 * Usage: node scripts/check-docs.ts   (`npm run docs` rewrites docs/api/)
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const committed = path.join(root, "docs", "api")
const built = path.join(root, "tmp", "docs-api")

const files = (dir: string): Array<string> =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort()
    : []

fs.rmSync(built, { recursive: true, force: true })
try {
  execFileSync(process.execPath, [path.join(root, "node_modules", "typedoc", "bin", "typedoc"), "--out", built], {
    cwd: root,
    stdio: "inherit"
  })
} catch {
  console.error("docs: TypeDoc failed (see above)")
  process.exit(1)
}

const before = files(committed)
const after = files(built)
const differences = [
  ...after.filter((file) => !before.includes(file)).map((file) => `new: docs/api/${file}`),
  ...before.filter((file) => !after.includes(file)).map((file) => `gone: docs/api/${file}`),
  ...after.filter((file) =>
    before.includes(file)
    && fs.readFileSync(path.join(built, file), "utf8") !== fs.readFileSync(path.join(committed, file), "utf8")
  ).map((file) => `changed: docs/api/${file}`)
]
if (differences.length > 0) {
  console.error(`docs: docs/api/ is out of date with the JSDoc; run \`npm run docs\` and commit it:`)
  for (const line of differences) console.error(`  ${line}`)
  process.exit(1)
}

const handWritten = [
  "README.md",
  "CONTRIBUTING.md",
  "CHANGELOG.md",
  ...["docs", "examples", "bench", "test/scenarios"].flatMap((dir) =>
    fs.readdirSync(path.join(root, dir)).filter((name) => name.endsWith(".md")).map((name) => `${dir}/${name}`)
  )
].filter((file) => fs.existsSync(path.join(root, file)))
const broken = handWritten.flatMap((file) =>
  Array.from(
    fs.readFileSync(path.join(root, file), "utf8").matchAll(/\]\(([^)\s#]+)(#[^)\s]*)?\)/g),
    (match) => match[1]
  )
    .filter((target) => !/^[a-z]+:/.test(target))
    .filter((target) => !fs.existsSync(path.resolve(root, path.dirname(file), decodeURIComponent(target))))
    .map((target) => `${file}: ${target}`)
)
if (broken.length > 0) {
  console.error(`docs: ${broken.length} link(s) to files that do not exist:`)
  for (const line of broken) console.error(`  ${line}`)
  process.exit(1)
}
console.log(
  `docs: the API reference builds (${after.length} pages), docs/api/ is up to date, and the links of ${handWritten.length} Markdown files resolve`
)
