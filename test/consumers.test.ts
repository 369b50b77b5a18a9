// The packed package, used the ways users use it: CJS, ESM, TypeScript (node16 and bundler), and a browser
// bundle in Chromium. Each creates a KBC order against a local stub.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser } from "./helpers/browser.js";
import { bin, copyInto, packedConsumer, projectRoot, startStub, type Stub } from "./helpers/consumer.js";

let consumer: ReturnType<typeof packedConsumer>;
let stub: Stub;
const consumers = join(projectRoot, "test/consumers");

beforeAll(async () => {
  // Bun, Deno and Miniflare (idempotent; `npm test` has already run it).
  await promisify(execFile)(process.execPath, [join(projectRoot, "scripts/install-runtimes.mjs")], {
    cwd: projectRoot,
  });
  consumer = packedConsumer();
  copyInto(consumer.dir, {
    "consumer.cjs": join(consumers, "consumer.cjs"),
    "consumer.mjs": join(consumers, "consumer.mjs"),
    "consumer.ts": join(consumers, "consumer.ts"),
    "worker.mjs": join(consumers, "worker.mjs"),
  });
  writeFileSync(join(consumer.dir, "package.json"), JSON.stringify({ type: "module" }));
  stub = await startStub();
}, 120_000);

afterAll(async () => {
  await stub?.close();
  consumer?.cleanup();
});

// Asynchronous on purpose: the stub answers from this process's event loop.
const run = async (command: string, args: string[]) =>
  (
    await promisify(execFile)(command, args, {
      cwd: consumer.dir,
      env: { ...process.env, MSP_BASE_URL: stub.baseUrl },
      encoding: "utf8",
      timeout: 60_000,
    })
  ).stdout;

function expectOrderCreated(output: string, orderId: string) {
  expect(JSON.parse(output.trim().split("\n").pop()!)).toEqual({
    payment_url: `https://testpayv2.multisafepay.com/connect/${orderId}/`,
    notified: "completed",
  });
  const request = stub.received.find((r) => JSON.parse(r.body || "{}").order_id === orderId);
  expect(request).toMatchObject({ method: "POST", url: "/v1/json/orders", apiKey: "consumer-key-123" });
}

describe("consumers of the packed package", () => {
  it("CommonJS require()", async () => {
    expectOrderCreated(await run(process.execPath, ["consumer.cjs"]), "cjs-1");
  });

  it("ESM import", async () => {
    expectOrderCreated(await run(process.execPath, ["consumer.mjs"]), "esm-1");
  });

  it.each(["node16", "bundler"])(
    "TypeScript with moduleResolution %s",
    async (resolution) => {
      const tsconfig = {
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          types: [],
          module: resolution === "node16" ? "Node16" : "ESNext",
          moduleResolution: resolution === "node16" ? "Node16" : "Bundler",
        },
        files: ["consumer.ts"],
      };
      writeFileSync(join(consumer.dir, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig));
      await run(bin("tsc"), ["-p", `tsconfig.${resolution}.json`]);
      // A whole tsc program with skipLibCheck off: seconds alone, more on a loaded machine (a bound, not a timing).
    },
    60_000,
  );

  // Installed by scripts/install-runtimes.mjs (npm test runs it).
  const runtime = (name: string) => join(projectRoot, ".cache/runtimes/node_modules/.bin", name);

  it("Bun", async () => {
    expectOrderCreated(await run(runtime("bun"), ["consumer.mjs"]), "esm-1");
  });

  it("Deno", async () => {
    expectOrderCreated(
      await run(runtime("deno"), [
        "run",
        "--quiet",
        "--allow-net=127.0.0.1",
        "--allow-env",
        "--allow-read",
        "consumer.mjs",
      ]),
      "esm-1",
    );
  });

  it("a Cloudflare Worker under Miniflare (workerd)", async () => {
    const bundle = await build({
      entryPoints: [join(consumer.dir, "worker.mjs")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "import"],
      write: false,
      absWorkingDir: consumer.dir,
    });
    const { Miniflare } = await import(
      pathToFileURL(join(projectRoot, ".cache/runtimes/node_modules/miniflare/dist/src/index.js")).href
    );
    const mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: "2024-09-23",
      bindings: { MSP_BASE_URL: stub.baseUrl },
    });
    try {
      const response = await mf.dispatchFetch("http://localhost/checkout");
      expectOrderCreated(await response.text(), "worker-1");
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it("a browser bundle (esbuild) in Chromium", async () => {
    const entry = join(consumer.dir, "browser.mjs");
    writeFileSync(
      entry,
      `import { createMultiSafepay } from "multisafepay-kbc";
       import { signNotification, verifyNotification } from "multisafepay-kbc/webhooks";
       const msp = createMultiSafepay({ apiKey: "consumer-key-123", baseUrl: location.origin + "/v1/json", dangerouslyAllowBrowser: true });
       const created = await msp.orders.create({ type: "redirect", order_id: "browser-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "Browser consumer" });
       const body = JSON.stringify({ order_id: "browser-1", transaction_id: 1, status: "completed", financial_status: "completed", amount: 1000, currency: "EUR", created: "2026-11-25T10:00:00" });
       const order = await verifyNotification({ body, auth: await signNotification({ body, apiKey: "consumer-key-123" }), apiKey: "consumer-key-123" });
       let refused = "";
       try { createMultiSafepay({ apiKey: "consumer-key-123", environment: "test" }); } catch (e) { refused = e.code; }
       document.body.dataset.result = JSON.stringify({ payment_url: created.payment_url, notified: order.status, refused });`,
    );
    const bundle = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      absWorkingDir: consumer.dir,
    });
    const browserStub = await startStub({
      "/": {
        type: "text/html",
        body: '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/app.js"></script>',
      },
      "/app.js": { type: "text/javascript", body: bundle.outputFiles[0]!.text },
    });
    const browser = await openBrowser();
    try {
      await browser.page.goto(browserStub.baseUrl.replace("/v1/json", "/"));
      await browser.page.waitForFunction(() => document.body?.dataset.result, undefined, { timeout: 20_000 });
      const result = JSON.parse((await browser.page.evaluate(() => document.body.dataset.result))!);
      expect(result).toEqual({
        payment_url: "https://testpayv2.multisafepay.com/connect/browser-1/",
        notified: "completed",
        refused: "validation_error",
      });
      expect(browserStub.received.find((r) => r.url === "/v1/json/orders")?.apiKey).toBe("consumer-key-123");
      expect(browser.consoleErrors).toEqual([]);
    } finally {
      await browser.close();
      await browserStub.close();
    }
  }, 60_000);
});
