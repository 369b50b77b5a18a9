import { defineConfig } from "vitest/config";

// The suites that talk to a server run twice: over the global fetch and over node:http (Node's default).
const TRANSPORT_SUITES = [
  "test/client.test.ts",
  "test/webhooks.test.ts",
  "test/webhooks-keys.test.ts",
  "test/error-advice.test.ts",
  "test/hostile.test.ts",
  "test/refunds.test.ts",
  "test/transactions.test.ts",
  "test/mock.test.ts",
  "test/conformance.test.ts",
  "test/sandbox.browser.test.ts",
  "test/node-transport.test.ts",
  "test/observability.test.ts",
  "test/otel.test.ts",
  "test/observability-hostile.test.ts",
];

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    // Every worker refuses connections and lookups of hosts that are not loopback, and fails the test that tried.
    setupFiles: ["test/setup/offline.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    restoreMocks: true,
    // Both cores: vitest's default is one worker fewer than the CPUs (1 here).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "fetch",
          include: ["test/**/*.test.ts"],
          // `npm test` (scripts/test.mjs) has already run `tsc -p .` over src/ and test/, these files included, and
          // sets MSP_TYPECHECKED=1 so the types are checked once per run; `npx vitest run` checks them itself.
          typecheck: {
            enabled: process.env.MSP_TYPECHECKED !== "1",
            include: ["test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.json",
          },
        },
      },
      {
        extends: true,
        test: { name: "node-http", include: TRANSPORT_SUITES, env: { MSP_TEST_TRANSPORT: "node-http" } },
      },
    ],
  },
});
