// The `npm start` sandbox: the client and plain HTTP against /v1/json, and the shopper page in Chromium
// paying an order whose notification reaches a real local server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMultiSafepay } from "./helpers/client.js";
import { verifyNotification } from "../src/webhooks.js";
import { cachedDocs } from "../scripts/docs.mjs";
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
  sandbox = createDocsServer(cachedDocs(), createSandboxRoutes());
  origin = await listen(sandbox);
  // The merchant's notification endpoint: keeps the raw body, verifies it, answers OK.
  merchant = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const order = await verifyNotification({
      body: new Uint8Array(Buffer.concat(chunks)),
      auth: req.headers.auth as string,
      apiKey: KEY,
    });
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
    const server = createDocsServer(cachedDocs(), routes);
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

    expect(notifications).toEqual([
      { status: "completed", query: expect.stringMatching(/^\?shop=1&transactionid=page-1&timestamp=\d+$/) },
    ]);
    expect((await msp.orders.get("page-1")).financial_status).toBe("completed");
    // The shopper's part is over; the merchant may now refund.
    expect(await row.getByRole("button", { name: "Pay", exact: true }).count()).toBe(0);
    expect(await row.getByRole("button", { name: "Refund", exact: true }).count()).toBe(1);
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.external).toEqual([]);
  }, 60_000);

  it("refunds part of a paid order, cancels that refund, refunds the rest, settles it, and cancels an unpaid order", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: `${origin}/v1/json` });
    const notify = { notification_url: `${merchantUrl}/notify`, notification_method: "POST" as const };
    await msp.orders.create({ ...redirectOrder(), order_id: "page-2", amount: 1000, payment_options: notify });
    await msp.orders.create({ ...redirectOrder(), order_id: "page-3", amount: 500, payment_options: notify });
    notifications.length = 0;
    const { page } = browser;
    await page.goto(`${origin}/sandbox`);
    const row = page.locator('tr[data-order-id="page-2"]');
    await row.getByRole("button", { name: "Pay", exact: true }).click();
    await page.getByText("page-2: completed.", { exact: false }).waitFor();

    await row.getByLabel("Refund amount for page-2 in euros").fill("3.00");
    await row.getByRole("button", { name: "Refund", exact: true }).click();
    await page.getByText(/page-2: refund \d+ initialized\./).waitFor();
    const refundRow = page.locator("tr.refund", { hasText: "initialized" });
    expect(await refundRow.innerText()).toMatch(/-\s?€\s?3,00|€\s?-3,00/);
    expect(await row.innerText()).toMatch(/partial_refunded \/ completed \(€\s3,00 refunded\)/);

    await refundRow.getByRole("button", { name: "Cancel refund" }).click();
    await page.getByText(/page-2: refund \d+ cancelled\./).waitFor();
    expect(await page.locator("tr.refund").innerText()).toContain("void");

    // An empty amount refunds what is left.
    await row.getByRole("button", { name: "Refund", exact: true }).click();
    await page.getByText(/page-2: refund \d+ initialized\./).waitFor();
    expect(await row.innerText()).toContain("refunded / completed");
    expect(await row.getByRole("button", { name: "Refund", exact: true }).count()).toBe(0);

    await page.getByRole("button", { name: "Settle refunds" }).click();
    await page.getByText("Settled 1 refund(s): page-2 Notification POST acknowledged after 1 attempt(s).").waitFor();
    expect(await page.locator("tr.refund").allInnerTexts()).toEqual([
      expect.stringContaining("void"),
      expect.stringContaining("completed"),
    ]);

    const unpaid = page.locator('tr[data-order-id="page-3"]');
    await unpaid.getByRole("button", { name: "Cancel order" }).click();
    await page.getByText("page-3: cancelled.").waitFor();
    expect(await unpaid.innerText()).toContain("void / void"); // KBC's status table
    expect(await unpaid.getByRole("button").count()).toBe(0);

    expect(notifications.map((n) => `${new URLSearchParams(n.query).get("transactionid")} ${n.status}`)).toEqual([
      "page-2 completed",
      "page-2 partial_refunded",
      "page-2 completed",
      "page-2 refunded",
      "page-2 refunded",
      "page-3 void",
    ]);
    expect((await msp.orders.get("page-2")).amount_refunded).toBe(1000);
    await page.screenshot({ path: "test-results/sandbox-refunds.png" });
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.external).toEqual([]);
  }, 60_000);

  it("shows MultiSafepay's refusal when a refund asks for more than is left", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: `${origin}/v1/json` });
    await msp.orders.create({ ...redirectOrder(), order_id: "page-4", amount: 1000 });
    const { page } = browser;
    await page.goto(`${origin}/sandbox`);
    const row = page.locator('tr[data-order-id="page-4"]');
    await row.getByRole("button", { name: "Pay", exact: true }).click();
    await page.getByText("page-4: completed.", { exact: false }).waitFor();
    await row.getByLabel("Refund amount for page-4 in euros").fill("10.01");
    await row.getByRole("button", { name: "Refund", exact: true }).click();
    await page.getByText(/Refused: Cannot refund: .* \(error 1034\)\./).waitFor();
    expect((await msp.orders.get("page-4")).amount_refunded).toBe(0);
  }, 60_000);
});
