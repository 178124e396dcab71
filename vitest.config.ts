import { defineConfig } from "vitest/config"

// `import * as aio from "effect-asyncio"` resolves to `src/` in tests, as it
// does for `tsc` (customConditions) and `node --conditions`: never to a stale
// `dist/`.
const conditions = ["effect-asyncio-source", "import", "module", "node", "default"]

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["effect-asyncio-source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
})
