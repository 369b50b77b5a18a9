import { defineConfig } from "tsdown";

// Options that change the output. tsdown's defaults cover the rest: .d.ts (package.json has "types"), a clean
// dist/, and dependencies and peer dependencies (msw, the mock's optional peer; @opentelemetry/api, the otel entry's) left as imports, never bundled.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    node: "src/node.ts",
    webhooks: "src/webhooks.ts",
    "webhooks-node": "src/webhooks-node.ts",
    mock: "src/mock/index.ts",
    sandbox: "src/mock/node.ts",
    otel: "src/otel.ts",
  },
  format: ["esm", "cjs"],
  sourcemap: true,
  // Runs wherever fetch and Web Crypto do: nothing Node-specific may be bundled in.
  platform: "neutral",
  // The syntax browsers and workers get; without it tsdown would derive node20 from engines.node.
  target: "es2022",
  // Only the build log, not the output (checked: dist/ is byte-identical without them). node:* imports (only in
  // the "node", "webhooks-node" and "sandbox" entries) stay imports either way, but on the neutral platform each
  // one warns "Could not resolve"; PLUGIN_TIMINGS notes (a slow .d.ts plugin on a busy machine) are not problems.
  deps: { neverBundle: [/^node:/] },
  checks: { pluginTimings: false },
});
