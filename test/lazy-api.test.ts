// msp.api is built on first use: neither openapi-fetch's client (api-client.ts) nor, in Node, the undici that
// its globalThis.Request default loads is paid for by an application that only creates orders.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it, vi } from "vitest";
import { createMultiSafepay } from "../src/index.js";
import { API_KEY } from "./helpers/orders.js";

const loads = vi.hoisted(() => ({ count: 0, openapiFetch: 0 }));
vi.mock(import("../src/api-client.js"), async (importOriginal) => {
  loads.count++;
  return importOriginal();
});
// The pipeline builds its URLs with url.ts: openapi-fetch itself loads with msp.api's client, not before.
vi.mock(import("openapi-fetch"), async (importOriginal) => {
  loads.openapiFetch++;
  return importOriginal();
});

const root = resolve(fileURLToPath(import.meta.url), "../..");
const GATEWAYS = '{"success":true,"data":[{"id":"KBC","description":"KBC/CBC"}]}';

describe("msp.api, built lazily", () => {
  it("loads the openapi-fetch client on its first call, not on createMultiSafepay, reading msp.api or use()", async () => {
    const seen: string[] = [];
    const msp = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: async (request) => (seen.push(`fetch ${new URL(request.url).pathname}`), new Response(GATEWAYS)),
    });
    const kept = { onRequest: ({ request }: { request: Request }) => void seen.push(`kept ${request.method}`) };
    const ejected = { onRequest: () => void seen.push("ejected") };
    expect(msp.api).toBe(msp.api);
    msp.api.use(kept, ejected);
    msp.api.eject(ejected);
    const withOptions = msp.api.withOptions({ maxRetries: 0 });
    await msp.orders.get("o-1").catch(() => {});
    expect(loads).toEqual({ count: 0, openapiFetch: 0 });

    const { data } = await msp.api.GET("/gateways");
    expect(loads).toEqual({ count: 1, openapiFetch: 1 });
    expect(data?.data).toEqual([{ id: "KBC", description: "KBC/CBC" }]);
    // Middleware registered before the client existed runs, in order, and an ejected one does not.
    expect(seen).toEqual(["fetch /v1/json/orders/o-1", "kept GET", "fetch /v1/json/gateways"]);

    // Registered after the first call: applied to the built client at once.
    msp.api.eject(kept);
    await withOptions.GET("/gateways");
    await msp.api.GET("/gateways");
    expect(seen.slice(3)).toEqual(["fetch /v1/json/gateways", "fetch /v1/json/gateways"]);
    expect(loads.count).toBe(1);
  });

  it("rejects a bad call through the lazy client as the built one does (a typed ValidationError)", async () => {
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch: async () => new Response(GATEWAYS) });
    await expect(msp.api.GET("/orders/{order_id}", { params: { path: { order_id: ".." } } })).rejects.toMatchObject({
      code: "validation_error",
    });
  });

  it("in Node: importing, creating a client and sending a create load no undici; a call through msp.api does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "msp-lazy-"));
    try {
      // The Node entry as one file (the test runner itself has undici loaded; a fresh process has not).
      await build({
        entryPoints: [join(root, "src/node.ts")],
        outfile: join(dir, "client.mjs"),
        bundle: true,
        format: "esm",
        platform: "node",
        logLevel: "silent",
      });
      const script = `
        import http from "node:http";
        const undici = () => process.moduleLoadList.some((name) => name.includes("undici"));
        const steps = {};
        const { createMultiSafepay } = await import("./client.mjs");
        steps.imported = undici();
        const server = http.createServer((req, res) => {
          req.resume();
          req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({ success: true, data: { order_id: "o-1", payment_url: "http://127.0.0.1/pay" } })));
        });
        await new Promise((r) => server.listen(0, "127.0.0.1", r));
        const msp = createMultiSafepay({ apiKey: ${JSON.stringify(API_KEY)}, baseUrl: "http://127.0.0.1:" + server.address().port + "/v1/json" });
        steps.created = undici();
        msp.api;
        steps.apiRead = undici();
        await msp.orders.create({ type: "redirect", order_id: "o-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "d" });
        steps.orderCreated = undici();
        await msp.api.GET("/gateways").catch(() => {});
        steps.apiCalled = undici();
        await msp.close();
        server.close();
        process.stdout.write(JSON.stringify(steps));
      `;
      writeFileSync(join(dir, "run.mjs"), script);
      const run = spawnSync(process.execPath, [join(dir, "run.mjs")], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual({
        imported: false,
        created: false,
        apiRead: false,
        orderCreated: false,
        apiCalled: true,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
