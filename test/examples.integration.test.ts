/**
 * Each example runs alone, as the README says: `node_modules/.bin/node
 * examples/<name>.ts` with the pinned Node, no build, no flags, on the real
 * clock. `import "effect-asyncio"` resolves to the source (package.json's
 * exports), never to a dist/ that may be missing or stale.
 *
 * test/examples.test.ts checks every line and its virtual time on the
 * `TestClock`; here, on the real clock, the lines are compared as a set and
 * the durations and time stamps some examples print ("took 0.5 s",
 * "100 ms") are left out, and so are the counts of calls in flight, which
 * depend on which of two timers due in the same millisecond Node fires first.
 * A loaded machine cannot make this test flaky.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile, execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { examples } from "../examples/catalog.ts"

const root = path.resolve(import.meta.dirname, "..")
const node = path.join(root, "node_modules", ".bin", "node")

const lines = (text: string) =>
  text.split("\n").filter((line) => line.length > 0).map((line) =>
    line.replace(/\b\d+(\.\d+)? s\b/g, "<duration> s").replace(/ *\b\d+ ms\b/g, "<stamp> ms")
      .replace(/\(\d+ in flight\)/g, "(<n> in flight)")
  )

describe("examples run alone", () => {
  it("`effect-asyncio` resolves to src/index.ts from the repository and from examples/", () => {
    for (const cwd of [root, path.join(root, "examples")]) {
      const resolved = execFileSync(
        node,
        ["--input-type=module", "-e", "console.log(import.meta.resolve('effect-asyncio'))"],
        { cwd, encoding: "utf8" }
      ).trim()
      assert.strictEqual(resolved, new URL("../src/index.ts", import.meta.url).href)
    }
  })

  describe.concurrent("node_modules/.bin/node examples/<name>.ts", () => {
    for (const example of examples) {
      it(`${example.name} exits 0 and prints its transcript's lines`, async () => {
        const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
          (resolve) => {
            const child = execFile(node, [`examples/${example.name}.ts`], { cwd: root, timeout: 60_000 }, () => {})
            let stdout = ""
            let stderr = ""
            child.stdout!.on("data", (chunk) => (stdout += chunk))
            child.stderr!.on("data", (chunk) => (stderr += chunk))
            child.on("close", (code) => resolve({ code, stdout, stderr }))
          }
        )
        const transcript = readFileSync(path.join(root, "examples", "transcripts", `${example.name}.txt`), "utf8")

        assert.strictEqual(stderr, "")
        assert.strictEqual(code, 0)
        assert.sameMembers(lines(stdout), lines(transcript))
      }, 60_000)
    }
  })
})
