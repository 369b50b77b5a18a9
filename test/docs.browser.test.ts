// The Redoc page renders both KBC flows and the webhook offline in Chromium, loading nothing external.
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedDocs } from "../scripts/docs.mjs";
import { createDocsServer } from "../scripts/start.mjs";
import { openBrowser, type Session } from "./helpers/browser.js";

let server: ReturnType<typeof createDocsServer>;
let browser: Session;
let origin: string;

beforeAll(async () => {
  server = createDocsServer(cachedDocs());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  await browser.page.setViewportSize({ width: 1400, height: 1000 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("docs page (Redoc, offline)", () => {
  it("shows the create-order operation with a tab per KBC flow", async () => {
    const { page } = browser;
    await page.goto(`${origin}/`, { waitUntil: "load" });
    await page.getByText("Orders", { exact: true }).first().click();
    await page.getByText("Create a KBC order").first().click();

    const tab = (name: string) =>
      page
        .locator("button:visible")
        .filter({ hasText: new RegExp(`^${name}$`) })
        .first();
    const redirectTab = tab("redirect");
    const directTab = tab("direct");
    await redirectTab.waitFor();
    await tab("paymentlink").waitFor();
    await directTab.click();
    // `manual` exists only in the direct order's schema.
    await page.getByText("manual", { exact: true }).first().waitFor();
    // The 200 answer offers both shapes too.
    await page.getByText("RedirectOrderCreated", { exact: true }).first().waitFor({ state: "attached" });
    await page.getByText("DirectOrderCreated", { exact: true }).first().waitFor({ state: "attached" });

    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/docs-create-order.png" });
  }, 60_000);

  it("tells the reader about the local sandbox and its base URL, apart from MultiSafepay's test environment", async () => {
    const { page } = browser;
    await page.getByText("Local sandbox.").first().waitFor({ state: "attached" });
    const intro = await page.locator("body").innerText();
    expect(intro).toContain("http://127.0.0.1:4010/v1/json");
    expect(intro).toContain("npx multisafepay-kbc-sandbox");
    expect(intro).not.toMatch(/Test environment \(sandbox/);
  }, 60_000);

  it("shows the notification webhook with its signature header", async () => {
    const { page } = browser;
    await page.getByText("Notifications", { exact: true }).first().click();
    await page.getByText("Order notification (sent by MultiSafepay)").first().click();
    await page.getByText("transactionid", { exact: true }).first().waitFor();
    await page.getByText("Auth", { exact: true }).first().waitFor();
    await page.screenshot({ path: "test-results/docs-webhook.png" });
  }, 60_000);

  it("shows the refund operations with their request examples, and the cancellation", async () => {
    const { page } = browser;
    await page.getByText("Refunds", { exact: true }).first().click();
    await page.getByText("Refund an order").first().click();
    // This package's call comes first in the sample menu (examples/samples/refundOrder.ts), then curl and the payload.
    await page.getByText("msp.refunds.create", { exact: false }).first().waitFor();
    await page.getByText("Node.js", { exact: true }).first().click();
    await page.getByText("Payload", { exact: true }).first().click();
    // The documented request example and the rule on amount 0.
    await page.getByText("refund-order-id-1234").first().waitFor({ state: "attached" });
    await page.getByText("Not safe to retry.").first().waitFor();
    await page.screenshot({ path: "test-results/docs-refunds.png" });
    await page.getByText("Cancel a refund").first().waitFor({ state: "attached" });
    await page.getByText("Orders", { exact: true }).first().click();
    await page.getByText("Cancel an order").first().click();
    await page.getByText("exclude_order", { exact: true }).first().waitFor({ state: "attached" });
  }, 60_000);

  it("loaded nothing from outside and logged no error", () => {
    expect(browser.external).toEqual([]);
    expect(browser.failed).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
  });
});
