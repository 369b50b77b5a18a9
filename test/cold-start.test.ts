// What a fresh Node process loads before its first request is handed to the transport (issue 21's cold start):
// Node built-ins the client does not need for it cost milliseconds each on first load (Web Crypto alone 2.5–4 ms
// on Node 20), so none is loaded before then.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { API_KEY, redirectOrder } from "./helpers/orders.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");

describe("cold start", () => {
  it("in Node: import, construction and the first request built load no node:crypto or Web Crypto", async () => {
    const dir = mkdtempSync(join(tmpdir(), "msp-cold-start-"));
    try {
      await build({
        entryPoints: [join(root, "src/node.ts")],
        outdir: dir,
        bundle: true,
        splitting: true,
        format: "esm",
        platform: "node",
        logLevel: "silent",
        entryNames: "client",
      });
      const script = `
        const before = new Set(process.moduleLoadList);
        const { createMultiSafepay } = await import("./client.js");
        const msp = createMultiSafepay({ apiKey: ${JSON.stringify(API_KEY)}, baseUrl: "http://127.0.0.1:9/v1/json", maxRetries: 0 });
        msp.on("request", () => {
          const loaded = process.moduleLoadList.filter((name) => !before.has(name) && /crypto/.test(name));
          process.stdout.write(JSON.stringify(loaded));
          process.exit(0);
        });
        await msp.orders.create(${JSON.stringify(redirectOrder())});
      `;
      writeFileSync(join(dir, "run.mjs"), script);
      const run = spawnSync(process.execPath, [join(dir, "run.mjs")], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
