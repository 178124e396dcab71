/**
 * Checks the API reference: TypeDoc builds it from the JSDoc without a warning
 * (a broken {@link}, or a public signature naming a type the package does not
 * export, is an error: see typedoc.config.mjs), and what it builds is exactly
 * what docs/api/ holds, so the committed reference never drifts from the code.
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
console.log(`docs: the API reference builds (${after.length} pages) and docs/api/ is up to date`)
