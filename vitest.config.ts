import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: {
    // `import * as aio from "effect-asyncio"` resolves to `src/` in tests, as
    // it does for `tsc` (customConditions) and `node --conditions`.
    conditions: ["effect-asyncio-source"]
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
})
