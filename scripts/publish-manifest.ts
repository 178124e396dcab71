/**
 * The package.json that npm publishes. In the repository every export points at
 * TypeScript source (`./src/index.ts`), so tests, examples and scripts run the
 * code as it is, with the pinned Node, without a build and never a stale
 * `dist/`. The tarball needs the built files instead.
 *
 * `npm pack` and `npm publish` run `prepack` (build, then `apply`) before they
 * read the files, and `postpack` (`restore`) after:
 *
 * - `apply` keeps the repository's package.json in tmp/package.json.source and
 *   rewrites each export: `./src/x.ts` becomes `{ types: ./dist/x.d.ts,
 *   default: ./dist/x.js }`, a "types" target becomes `./dist/x.d.ts`, any other
 *   `./dist/x.js`; a source-only `effect-asyncio-source` condition is dropped.
 *   `main` and `types` follow.
 * - `restore` puts the repository's package.json back.
 *
 * A pack that died between the two leaves the copy in tmp/: the next `apply`
 * restores it first. test/pack.integration.test.ts checks the result in the tarball.
 *
 * Usage: node scripts/publish-manifest.ts apply|restore
 */
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const manifest = path.join(root, "package.json")
const saved = path.join(root, "tmp", "package.json.source")

type Target = string | null | { readonly [condition: string]: Target }

const source = /^\.\/src\/(.+)\.ts$/

const built = (target: string, condition: string | undefined): string =>
  target.replace(source, condition === "types" ? "./dist/$1.d.ts" : "./dist/$1.js")

const publish = (target: Target, condition?: string): Target => {
  if (target === null) return null
  if (typeof target === "string") {
    // A bare "./src/x.ts" export: both the types and the code.
    return condition === undefined && source.test(target)
      ? { types: built(target, "types"), default: built(target, "default") }
      : built(target, condition)
  }
  return Object.fromEntries(
    Object.entries(target)
      .filter(([key]) => key !== "effect-asyncio-source")
      .map(([key, value]) => [key, publish(value, key.startsWith(".") ? undefined : key)])
  )
}

const restore = () => {
  if (!fs.existsSync(saved)) return
  fs.copyFileSync(saved, manifest)
  fs.rmSync(saved)
}

switch (process.argv[2]) {
  case "apply": {
    restore()
    const text = fs.readFileSync(manifest, "utf8")
    const pkg = JSON.parse(text) as Record<string, unknown>
    fs.mkdirSync(path.dirname(saved), { recursive: true })
    fs.writeFileSync(saved, text)
    const published = {
      ...pkg,
      exports: publish(pkg.exports as Target),
      ...(typeof pkg.main === "string" ? { main: built(pkg.main, "default") } : {}),
      ...(typeof pkg.types === "string" ? { types: built(pkg.types, "types") } : {})
    }
    fs.writeFileSync(manifest, JSON.stringify(published, null, 2) + "\n")
    break
  }
  case "restore":
    restore()
    break
  default:
    console.error("usage: node scripts/publish-manifest.ts apply|restore")
    process.exit(2)
}
