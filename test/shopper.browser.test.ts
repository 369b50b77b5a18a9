// The shopper's whole journey on this machine, in Chromium: a merchant's server creates an order with the
// client against the sandbox and sends the browser to payment_url; the shopper picks an outcome on the
// sandbox's payment page; the sandbox notifies the merchant (signed) and sends the browser back to the shop.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMultiSafepay } from "../src/node.js";
import { verifyNotification } from "../src/webhooks.js";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { openBrowser, type Session } from "./helpers/browser.js";

const KEY = "merchant-key-12345";
let sandbox: Server;
let merchant: Server;
let sandboxOrigin: string;
let shop: string;
let browser: Session;
const notifications: { orderId: string; status: string; financial: string; transactionid: string | null }[] = [];

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  const routes = createSandboxRoutes();
  sandbox = createServer(async (req, res) => {
    if (!(await routes.handle(req, res))) res.writeHead(404).end();
  });
  sandboxOrigin = await listen(sandbox);

  // The merchant: /buy creates an order and redirects to payment_url; /notify verifies and acknowledges;
  // /thanks and /cancelled are where the shopper comes back.
  merchant = createServer(async (req, res) => {
    const url = new URL(req.url!, shop);
    if (url.pathname === "/buy") {
      const msp = createMultiSafepay({ apiKey: KEY, baseUrl: `${sandboxOrigin}/v1/json` });
      const created = await msp.orders.create({
        type: (url.searchParams.get("type") as "redirect" | "direct" | "paymentlink") ?? "redirect",
        order_id: url.searchParams.get("order")!,
        gateway: (url.searchParams.get("gateway") as "KBC" | "CBC") ?? "KBC",
        currency: "EUR",
        amount: 2450,
        description: "Backpack and bottle",
        payment_options: {
          notification_url: `${shop}/notify`,
          notification_method: "POST",
          redirect_url: `${shop}/thanks`,
          cancel_url: `${shop}/cancelled`,
        },
        customer: { locale: "nl_BE", ip_address: "203.0.113.7" },
      });
      res.writeHead(302, { location: created.payment_url }).end();
      return;
    }
    if (url.pathname === "/notify" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const order = await verifyNotification({
        body: new Uint8Array(Buffer.concat(chunks)),
        auth: String(req.headers.auth),
        apiKey: KEY,
      });
      notifications.push({
        orderId: String(order.order_id),
        status: String(order.status),
        financial: String(order.financial_status),
        transactionid: url.searchParams.get("transactionid"),
      });
      res.writeHead(200, { "content-type": "text/plain" }).end("OK");
      return;
    }
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(
        `<!doctype html><title>Shop</title><h1>${url.pathname === "/thanks" ? "Thank you" : "Payment cancelled"}</h1>`,
      );
  });
  shop = await listen(merchant);
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => sandbox?.close(r));
  await new Promise((r) => merchant?.close(r));
});

describe("the shopper's redirect, end to end in Chromium", () => {
  it.each([
    // The shop's orders say customer.locale nl_BE: the payment page speaks Dutch.
    ["redirect", "KBC", "Geslaagd", "/thanks", "completed", "completed"],
    ["direct", "CBC", "Geannuleerd", "/cancelled", "void", "void"],
    ["paymentlink", "KBC", "Geweigerd", "/cancelled", "declined", "declined"],
  ])(
    "%s order with %s: %s lands on %s and notifies the merchant",
    async (type, gateway, button, landing, status, financial) => {
      const orderId = `e2e-${type}`;
      const { page } = browser;
      await page.goto(`${shop}/buy?type=${type}&gateway=${gateway}&order=${orderId}`);
      // The sandbox's own payment page, not an external host.
      expect(page.url()).toMatch(new RegExp(`^${sandboxOrigin}/sandbox/pay/\\w+\\?lang=nl_BE$`));
      expect(await page.getByTestId("amount").innerText()).toMatch(/€\s24,50/);
      expect(await page.getByTestId("description").innerText()).toBe("Backpack and bottle");
      expect(await page.getByTestId("gateway").innerText()).toBe(gateway);
      await page.screenshot({ path: `test-results/shopper-${type}.png` });

      await page.getByRole("button", { name: button }).click();
      await page.waitForURL(`${shop}${landing}?transactionid=${orderId}`);
      expect(await page.locator("h1").innerText()).toBe(landing === "/thanks" ? "Thank you" : "Payment cancelled");
      // The notification was delivered (and acknowledged) before the browser was sent back.
      expect(notifications.filter((n) => n.orderId === orderId)).toEqual([
        { orderId, status, financial, transactionid: orderId },
      ]);

      // The link now shows the finished payment instead of the buttons.
      await page.goBack();
      await page.reload();
      expect(await page.getByTestId("status").innerText()).toBe(status);
      expect(await page.getByRole("button").count()).toBe(0);
      expect(browser.consoleErrors).toEqual([]);
      expect(browser.external).toEqual([]);
    },
    60_000,
  );
});
