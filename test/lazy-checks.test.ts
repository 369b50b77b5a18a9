// The body checks and node:http load with the first call that needs them (src/checks.ts,
// src/senders/node-sender.ts): importing the package and creating a client load neither, every body is still
// checked before it is sent, and a check that cannot be loaded fails its call with a typed error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it, vi } from "vitest";
import { ConnectionError, createMultiSafepay, isMultiSafepayError, ValidationError } from "../src/index.js";
import { loaded } from "../src/checks.js";
import { API_KEY, redirectCreated, redirectOrder } from "./helpers/orders.js";

const loads = vi.hoisted(() => ({ order: 0, body: 0 }));
vi.mock(import("../generated/order-validators.js"), async (importOriginal) => {
  loads.order++;
  return importOriginal();
});
// The refund and cancellation validators cannot be loaded, as a chunk a browser could not fetch.
vi.mock(import("../generated/body-validators.js"), async () => {
  loads.body++;
  throw new Error("chunk body-validators could not be fetched");
});

const root = resolve(fileURLToPath(import.meta.url), "../..");
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("the body checks, loaded on first use", () => {
  it("load with the first create, not at import or construction; the order is checked as it was at the call", async () => {
    const sent: unknown[] = [];
    const msp = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: async (request) => (sent.push(JSON.parse(await request.text())), json(redirectCreated())),
    });
    expect(loads).toMatchObject({ order: 0, body: 0 });

    // Changed while its check is still loading: what was given at the call is what is checked and sent.
    const order = redirectOrder();
    const call = msp.orders.create(order);
    order.amount = 10.5;
    await call;
    expect(sent).toEqual([redirectOrder()]);
    expect(loads).toMatchObject({ order: 1, body: 0 });

    const refused = msp.orders.create({ ...redirectOrder(), amount: 10.5 });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "/amount" })] });
    expect(sent).toHaveLength(1);
    expect(loads).toMatchObject({ order: 1, body: 0 });
  });

  it("a check that cannot be loaded fails its call with a ConnectionError and sends nothing, call after call", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const sent: string[] = [];
      const msp = createMultiSafepay({
        apiKey: API_KEY,
        environment: "test",
        fetch: async (request) => (sent.push(request.method), json({ success: true, data: {} })),
      });
      for (const call of [
        () => msp.refunds.create("o-1", { currency: "EUR", amount: 100 }),
        () => msp.refunds.cancel("o-1", "1"),
      ]) {
        const failed = await call().catch((error: unknown) => error);
        expect(failed).toBeInstanceOf(ConnectionError);
        expect(isMultiSafepayError(failed) && failed.code).toBe("connection_error");
        expect((failed as Error).message).toMatch(/nothing was sent/);
        expect(JSON.stringify(failed) + String((failed as Error).cause)).not.toContain(API_KEY);
      }
      expect(sent).toEqual([]);
      // Not cached as a failure: each call tried to load it again (vitest keeps a failed mock failing).
      expect(loads.body).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("forgets a failed load, so the next call loads again, and keeps a loaded module to hand back at once", async () => {
    let forgotten = 0;
    let kept: unknown;
    const failed = loaded(
      Promise.reject(new Error("404")),
      () => {},
      () => forgotten++,
    );
    await expect(failed).rejects.toBeInstanceOf(ConnectionError);
    await expect(failed).rejects.toMatchObject({ cause: new Error("404") });
    expect(forgotten).toBe(1);
    const module = { checkedOrder: () => {} };
    await expect(
      loaded(
        Promise.resolve(module),
        (m) => (kept = m),
        () => forgotten++,
      ),
    ).resolves.toBe(module);
    expect(kept).toBe(module);
    expect(forgotten).toBe(1);
  });

  it("in Node: importing and creating a client load no node:http, node:https or body validator; the first create does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "msp-lazy-checks-"));
    try {
      // The Node entry, code-split as a bundler splits it at its dynamic imports: each chunk a file, and each
      // validator module marks its load on globalThis (the test runner itself has node:http loaded).
      await build({
        entryPoints: [join(root, "src/node.ts")],
        outdir: dir,
        bundle: true,
        splitting: true,
        format: "esm",
        platform: "node",
        logLevel: "silent",
        entryNames: "client",
        plugins: [
          {
            name: "mark-validators",
            setup(on) {
              on.onLoad({ filter: /generated[\\/](order|body)-validators\.js$/ }, async (args) => {
                const { readFile } = await import("node:fs/promises");
                const name = args.path.includes("order-") ? "order" : "body";
                const text = await readFile(args.path, "utf8");
                return { contents: `(globalThis.loaded ??= []).push(${JSON.stringify(name)});\n${text}`, loader: "js" };
              });
            },
          },
        ],
      });
      const script = `
        const builtins = () => ["http", "https"].filter((name) => process.moduleLoadList.includes("NativeModule " + name));
        const state = () => ({ builtins: builtins(), validators: [...(globalThis.loaded ?? [])] });
        const steps = {};
        const { createMultiSafepay } = await import("./client.js");
        steps.imported = state();
        const msp = createMultiSafepay({ apiKey: ${JSON.stringify(API_KEY)}, baseUrl: "http://127.0.0.1:9/v1/json", maxRetries: 0 });
        steps.created = state();
        // Port 9 (discard) refuses on loopback: the create is checked, then fails to connect.
        const error = await msp.orders.create(${JSON.stringify(redirectOrder())}).catch((e) => e);
        steps.created1 = { ...state(), code: error.code };
        await msp.close();
        process.stdout.write(JSON.stringify(steps));
      `;
      writeFileSync(join(dir, "run.mjs"), script);
      const run = spawnSync(process.execPath, [join(dir, "run.mjs")], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual({
        imported: { builtins: [], validators: [] },
        created: { builtins: [], validators: [] },
        created1: { builtins: ["http", "https"], validators: ["order"], code: "connection_error" },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
