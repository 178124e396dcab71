import { defineConfig } from "vitest/config"

// vitest started by the machine's own, older Node (`./node_modules/.bin/vitest` through its shebang) runs, then
// crashes in its reporter at the first failure: say so up front instead.
const [major, minor] = process.versions.node.split(".").map(Number)
if (!(major === 22 ? minor >= 19 : major === 24 || major >= 26)) {
  console.error(
    `effect-asyncio's tests need Node 22.19+ or 24 (this is Node ${process.version}). `
      + "Run them with the Node the project pins: `npm test`, `npm run test:unit`, `npx vitest run`, "
      + "or `node_modules/.bin/node node_modules/.bin/vitest run`."
  )
  process.exit(1)
}

// `import * as aio from "effect-asyncio"` resolves to `src/index.ts`, as everywhere in the repository: package.json's
// exports point at the source (the published package.json points at dist/: scripts/publish-manifest.ts).

// Integration tests start processes or databases, pack the package or run
// long stress loops: `npm run test:unit` leaves them out, `npm test` runs them
// too. Each is named `*.integration.test.ts` (CONTRIBUTING.md).
const integration = ["test/**/*.integration.test.ts"]

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: integration, isolate: false } },
      { extends: true, test: { name: "integration", include: integration } }
    ]
  }
})
