// The overview page in Chromium, as a payments team would use it: the history of an order paid on the payment
// page shows the notification's delivery and its answer; the filter narrows the orders; everything is reached
// and worked from the keyboard. And the payment page in the order's language (nl, fr, de). Loopback only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxServer } from "../src/mock/server.js";
import { openBrowser, type Session } from "./helpers/browser.js";

const KEY = "overview-key-123";
let sandbox: Server;
let merchant: Server;
let origin: string;
let shop: string;
let browser: Session;

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  sandbox = createSandboxServer({ apiKey: KEY });
  origin = await listen(sandbox);
  // The shop: acknowledges notifications, and thanks the shopper it gets back.
  merchant = createServer(async (req, res) => {
    for await (const _ of req);
    if (req.url?.startsWith("/notify")) res.writeHead(200, { "content-type": "text/plain" }).end("OK");
    else
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Shop</title><h1>Thank you</h1>");
  });
  shop = await listen(merchant);
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => sandbox?.close(r));
  await new Promise((r) => merchant?.close(r));
});

async function createOrder(orderId: string, extra: Record<string, unknown> = {}): Promise<{ payment_url: string }> {
  const answer = await fetch(`${origin}/v1/json/orders`, {
    method: "POST",
    headers: { api_key: KEY, "content-type": "application/json" },
    body: JSON.stringify({
      type: "redirect",
      order_id: orderId,
      gateway: "KBC",
      currency: "EUR",
      amount: 1000,
      description: `Order ${orderId}`,
      customer: { locale: "nl_BE" },
      payment_options: {
        notification_url: `${shop}/notify`,
        notification_method: "POST",
        redirect_url: `${shop}/thanks`,
      },
      ...extra,
    }),
  });
  const body = (await answer.json()) as { data: { payment_url: string } };
  return body.data;
}

describe("the overview page", () => {
  it("shows, in an order's history, the notification delivery of a payment made on the payment page", async () => {
    const { page } = browser;
    const created = await createOrder("ov-paid");
    await page.goto(created.payment_url);
    await page.getByRole("button", { name: "Geslaagd" }).click();
    await page.waitForURL(`${shop}/thanks?transactionid=ov-paid`);

    await page.goto(`${origin}/sandbox`);
    const history = page.locator('tr.history[data-history-for="ov-paid"]');
    await history.waitFor();
    const summary = history.locator("summary");
    expect(await summary.innerText()).toMatch(/History of ov-paid \(\d+ events, 1 notification\(s\)\)/);
    // Opened from the keyboard.
    await summary.focus();
    await page.keyboard.press("Enter");
    const items = history.locator("li");
    await items.last().waitFor();
    const texts = await items.allInnerTexts();
    expect(texts).toEqual([
      expect.stringMatching(/created \(initialized\), by api$/),
      expect.stringMatching(/payment method selected, by shopper: expires \d{4}-/),
      expect.stringMatching(/status initialized → completed \(financial completed, SUCCESS\), by shopper$/),
      expect.stringMatching(
        new RegExp(
          `notification POST ${shop}/notify\\?transactionid=ov-paid&timestamp=\\d+: acknowledged after 1 attempt\\(s\\); answers: HTTP 200 "OK"$`,
        ),
      ),
    ]);
    await page.screenshot({ path: "test-results/sandbox-history.png", fullPage: true });
    // The table is drawn again when the orders change (here: a new one, which the periodic refresh finds); the
    // history stays open.
    await createOrder("ov-later");
    await page.locator('tr[data-order-id="ov-later"]').waitFor();
    expect(await history.locator("details").getAttribute("open")).not.toBeNull();
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.external).toEqual([]);
  }, 60_000);

  it("filters by status and by text, and says how many orders it shows", async () => {
    const { page } = browser;
    // A misspelt field MultiSafepay would drop without a word: the page says so under the order.
    await createOrder("ov-filter-a", { description: "Blue backpack", customer: { locale: "nl_BE", firstname: "Jan" } });
    await createOrder("ov-filter-b", { description: "Red bottle" });
    await page.goto(`${origin}/sandbox`);
    await page.locator('tr[data-order-id="ov-filter-b"]').waitFor();
    const shown = () =>
      page.locator("tr[data-order-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-order-id")));

    await page.getByLabel("Search (order id, description, e-mail)").fill("backpack");
    expect(await shown()).toEqual(["ov-filter-a"]);
    expect(await page.locator("tr.ignored").allInnerTexts()).toEqual([
      expect.stringMatching(/^⚠ ignored customer\.firstname/),
    ]);
    expect(await page.locator("caption").innerText()).toMatch(/^1 of \d+ order\(s\)$/);
    await page.getByLabel("Search (order id, description, e-mail)").fill("");
    await page.getByLabel("Status").selectOption("completed");
    expect(await shown()).toEqual(["ov-paid"]);
    await page.getByLabel("Search (order id, description, e-mail)").fill("nothing like it");
    expect(await shown()).toEqual([]);
    expect(await page.locator("#orders").innerText()).toContain("No order matches the filter.");
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Search (order id, description, e-mail)").fill("");
    expect((await shown()).length).toBeGreaterThanOrEqual(3);
    expect(browser.consoleErrors).toEqual([]);
  }, 60_000);

  it("is reached and worked from the keyboard: every control by Tab, named, and Pay by Enter", async () => {
    const { page } = browser;
    await createOrder("ov-keys");
    await page.goto(`${origin}/sandbox`);
    await page.locator('tr[data-order-id="ov-keys"]').waitFor();
    const reached: string[] = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLInputElement | null;
        if (!element || element === document.body) return "";
        const label = element.getAttribute("aria-label") ?? element.labels?.[0]?.textContent ?? element.textContent;
        return `${element.tagName.toLowerCase()}${element.dataset.key ? `[${element.dataset.key}]` : element.id ? `#${element.id}` : ""} ${label?.trim().replace(/\s+/g, " ")}`;
      });
      reached.push(focused);
      // The oldest order's history is the table's last control.
      if (focused.startsWith("summary[history:ov-paid]")) break;
    }
    expect(reached).toEqual(
      expect.arrayContaining([
        "button#settle Settle refunds",
        "button#reset Reset the sandbox",
        "button#plus-day +1 day",
        expect.stringMatching(/^select#status-filter Status/),
        "input#text-filter Search (order id, description, e-mail)",
        "summary[history:ov-paid] History of ov-paid (4 events, 1 notification(s))",
        "button[Pay:ov-keys] Pay",
      ]),
    );
    // Every control has a name a screen reader says.
    expect(reached.every((r) => r === "" || /\S+ \S/.test(r))).toBe(true);
    // Back to the Pay button it passed, and Enter pays.
    await page.locator('[data-key="Pay:ov-keys"]').focus();
    await page.keyboard.press("Enter");
    await page.getByText("ov-keys: completed. Notification POST acknowledged after 1 attempt(s).").waitFor();
    // Focus stays on the page's controls after the table is drawn again (not lost to the body).
    expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
    expect(browser.consoleErrors).toEqual([]);
  }, 60_000);

  it("moves the clock from the page: +5 days expires an unpaid order whose method was selected", async () => {
    const { page } = browser;
    const created = await createOrder("ov-expire");
    await page.goto(created.payment_url);
    await page.goto(`${origin}/sandbox`);
    await page.locator('tr[data-order-id="ov-expire"]').waitFor();
    await page.getByRole("button", { name: "+5 days" }).click();
    await page.getByText(/Expired: .*ov-expire/).waitFor();
    expect(await page.locator('tr[data-order-id="ov-expire"]').innerText()).toContain("expired / expired");
    expect(await page.locator("#clock").innerText()).toContain("set by you");
    await page.getByRole("button", { name: "Reset the sandbox" }).click();
    await page.getByText("No orders yet.").waitFor();
    expect(await page.locator("#clock").innerText()).toContain("real time");
    expect(browser.consoleErrors).toEqual([]);
  }, 60_000);
});

describe("the payment page speaks the order's language", () => {
  it.each([
    ["nl_BE", "nl", "Betalen met KBC", ["Geslaagd", "Geannuleerd", "Verlopen", "Geweigerd"], /€\s10,00/],
    ["fr_BE", "fr", "Payer avec KBC", ["Réussi", "Annulé", "Expiré", "Refusé"], /10,00\s€/],
    ["de_DE", "de", "Bezahlen mit KBC", ["Erfolgreich", "Abgebrochen", "Abgelaufen", "Abgelehnt"], /10,00\s€/],
    ["it_IT", "en", "Pay with KBC", ["Completed", "Cancelled", "Expired", "Declined"], /€10\.00/],
  ])("%s: lang %s", async (locale, lang, heading, buttons, amount) => {
    const { page } = browser;
    const created = await createOrder(`ov-lang-${locale}`, { customer: { locale } });
    await page.goto(created.payment_url);
    expect(await page.locator("html").getAttribute("lang")).toBe(lang);
    expect(await page.locator("h1").innerText()).toBe(heading);
    expect(await page.getByRole("button").allInnerTexts()).toEqual(buttons);
    expect(await page.getByTestId("amount").innerText()).toMatch(amount);
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.external).toEqual([]);
  });
});
