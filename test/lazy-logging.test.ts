// The log lines load with the first client that logs (src/logging.ts → src/log-lines.ts): a client at "off"
// never loads them, a client that logs writes every line of its first call before the call settles, and lines
// that cannot load never fail a call.
import { describe, expect, it, vi } from "vitest";
import type { Logger } from "../src/index.js";
import { API_KEY, redirectCreated, redirectOrder } from "./helpers/orders.js";

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock(import("../src/log-lines.js"), async (importOriginal) => {
  loads.count++;
  // Slower than the order checks, so the first request event comes before the lines are there.
  await new Promise((r) => setTimeout(r, 30));
  return importOriginal();
});

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

function recorder() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  const logger: Logger = { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
  return { lines, logger };
}

describe("logging, loaded on first use", () => {
  it("is not loaded for a client at off; a client that logs writes its first call's lines before the call settles", async () => {
    const { createMultiSafepay } = await import("../src/index.js");
    const fetch = async () => json(redirectCreated());
    const quiet = createMultiSafepay({ apiKey: API_KEY, environment: "test", logLevel: "off", fetch });
    await quiet.orders.create(redirectOrder());
    expect(loads.count).toBe(0);

    const { lines, logger } = recorder();
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", logLevel: "debug", logger, fetch });
    msp.on("request", () => {
      throw new Error("a listener's bug");
    });
    await msp.orders.create(redirectOrder());
    expect(loads.count).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^debug multisafepay \S+ createOrder #1 POST https:\/\/testapi/),
      expect.stringMatching(/^warn multisafepay: an event listener threw \(ignored; said once\): a listener's bug$/),
      expect.stringMatching(/^debug multisafepay \S+ createOrder #1 answer 200$/),
      expect.stringMatching(/^info multisafepay \S+ createOrder #1 POST \/orders: 200 ok/),
    ]);
  });

  it("that cannot load is said once at warn, key-free, and the calls go on without it", async () => {
    // As a chunk a browser could not fetch; its error names the key, which must not reach the log.
    vi.doMock(import("../src/log-lines.js"), () => {
      throw new Error(`chunk log-lines could not be fetched (${API_KEY})`);
    });
    vi.resetModules();
    const { createMultiSafepay } = await import("../src/index.js");
    const { lines, logger } = recorder();
    const sent: string[] = [];
    const msp = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      logLevel: "info",
      logger,
      fetch: async (request) => (sent.push(request.method), json(redirectCreated())),
    });
    await expect(msp.orders.create(redirectOrder())).resolves.toMatchObject({ order_id: expect.any(String) });
    await expect(msp.orders.create(redirectOrder())).resolves.toMatchObject({ order_id: expect.any(String) });
    expect(sent).toEqual(["POST", "POST"]);
    expect(lines).toEqual([expect.stringMatching(/^warn multisafepay: the client's logging could not be loaded/)]);
    expect(lines.join("\n")).not.toContain(API_KEY);
  });
});
