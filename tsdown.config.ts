import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node.ts", webhooks: "src/webhooks.ts", "webhooks-node": "src/webhooks-node.ts", mock: "src/mock/index.ts", sandbox: "src/mock/node.ts" },
  // msw is the mock's optional peer dependency: never bundled. node:* only in the "node", "webhooks-node" and "sandbox" entries.
  deps: { neverBundle: ["msw", /^node:/] },
  // Timing notes ("PLUGIN_TIMINGS": the .d.ts plugin is slow on a busy machine) are not problems to act on.
  checks: { pluginTimings: false },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // Runs wherever fetch and Web Crypto do: nothing Node-specific may be bundled in.
  platform: "neutral",
  target: "es2022",
});
