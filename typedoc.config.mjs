// The API reference: TypeDoc reads the JSDoc of everything src/index.ts exports and writes Markdown to docs/api/
// (typedoc-plugin-markdown), one page per export, so the README and any Git host link straight into it.
// `npm run docs` writes it; .ci/run checks that it builds without a warning and matches what is committed.
import { OptionDefaults } from "typedoc"

/** @type {Partial<import("typedoc").TypeDocOptions & import("typedoc-plugin-markdown").PluginOptions>} */
export default {
  entryPoints: ["src/index.ts"],
  tsconfig: "tsconfig.build.json",
  out: "docs/api",
  plugin: ["typedoc-plugin-markdown"],
  readme: "none",
  excludeInternal: true,
  excludePrivate: true,
  // Effect's tags: `@since` and `@category` are TypeDoc's own; `@stability` is Effect's.
  blockTags: [...OptionDefaults.blockTags, "@stability"],
  // A broken {@link}, or a public signature naming a type the package does not export, fails the build.
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
  // Types that public signatures use but src/index.ts does not export yet (issue 11: the rewrite makes them public
  // or inlines them). TypeDoc warns, and so fails the build, once a name here is exported or no longer used.
  intentionallyNotExported: ["Awaitable", "SuccessOf", "ErrorOf"],
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  expandObjects: true,
  parametersFormat: "table",
  gitRevision: "main",
  disableSources: true
}
