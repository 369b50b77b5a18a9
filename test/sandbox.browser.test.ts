// The `npm start` sandbox: the client and plain HTTP against /v1/json, and the shopper page in Chromium
// paying an order whose notification reaches a real local server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMultiSafepay } from "./helpers/client.js";
import { verifyNotification } from "../src/webhooks.js";
import { buildDocs } from "../scripts/docs.mjs";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { createDocsServer } from "../scripts/start.mjs";
import { openBrowser, type Session } from "./helpers/browser.js";
import { redirectOrder } from "./helpers/orders.js";

const KEY = "sandbox-key-123";
let sandbox: Server;
let merchant: Server;
let origin: string;
let merchantUrl: string;
const notifications: { status: string; query: string }[] = [];

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  sandbox = createDocsServer(buildDocs(), createSandboxRoutes());
  origin = await listen(sandbox);
  // The merchant's notification endpoint: keeps the raw body, verifies it, answers OK.
  merchant = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const order = await verifyNotification({ body: new Uint8Array(Buffer.concat(chunks)), auth: req.headers.auth as string, apiKey: KEY });
    notifications.push({ status: String(order.status), query: new URL(req.url!, "http://x").search });
    res.writeHead(200, { "content-type": "text/plain" }).end("OK");
  });
  merchantUrl = await listen(merchant);
});

afterAll(async () => {
  await new Promise((r) => sandbox?.close(r));
  await new Promise((r) => merchant?.close(r));
});

describe("sandbox API on the npm start server", () => {
  it("serves the client with baseUrl, and plain HTTP", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: `${origin}/v1/json` });
    const created = await msp.orders.create({ ...redirectOrder(), order_id: "sandbox-1" });
    // The sandbox's own payment page, on the origin the client reached it by.
    expect(created.payment_url).toMatch(new RegExp(`^${origin}/sandbox/pay/${created.session_id}\\?lang=nl_BE$`));
    expect((await msp.orders.get("sandbox-1")).status).toBe("initialized");

    const noKey = await fetch(`${origin}/v1/json/orders`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ success: false, error_code: 1032 });
  });

  it("accepts only the configured key when one is set", async () => {
    const routes = createSandboxRoutes({ apiKey: "only-this-key" });
    const server = createDocsServer(buildDocs(), routes);
    const base = await listen(server);
    try {
      const wrong = createMultiSafepay({ apiKey: KEY, baseUrl: `${base}/v1/json` });
      await expect(wrong.gateways.list()).rejects.toMatchObject({ code: "authentication_error" });
      const right = createMultiSafepay({ apiKey: "only-this-key", baseUrl: `${base}/v1/json` });
      expect((await right.gateways.list()).map((g) => g.id)).toEqual(["KBC", "CBC"]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("sandbox shopper page", () => {
  let browser: Session;
  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => browser?.close());

  it("lists orders and pays one, notifying the merchant", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: `${origin}/v1/json` });
    await msp.orders.create({
      ...redirectOrder(),
      order_id: "page-1",
      amount: 2450,
      payment_options: { notification_url: `${merchantUrl}/notify?shop=1`, notification_method: "POST" },
    });
    const { page } = browser;
    await page.goto(`${origin}/sandbox`);
    const row = page.locator('tr[data-order-id="page-1"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/€\s24,50/);
    expect(await row.innerText()).toContain("initialized / initialized");

    await row.getByRole("button", { name: "Pay" }).click();
    await page.getByText("page-1: completed. Notification POST acknowledged after 1 attempt(s).").waitFor();
    await page.screenshot({ path: "test-results/sandbox.png" });

    expect(notifications).toEqual([{ status: "completed", query: expect.stringMatching(/^\?shop=1&transactionid=page-1&timestamp=\d+$/) }]);
    expect((await msp.orders.get("page-1")).financial_status).toBe("completed");
    expect(await row.getByRole("button").count()).toBe(0);
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.external).toEqual([]);
  }, 60_000);
});
