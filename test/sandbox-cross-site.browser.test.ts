// In Chromium: what a web page on another origin, open in the same browser as the sandbox, can make it do.
// A "simple" cross-site request (no preflight) to the API, a page that reached the sandbox through a DNS name
// it controls (DNS rebinding, played with Chromium's host resolver rules: evil.example is 127.0.0.1, no DNS),
// and the overview showing a notification_url the sandbox will not deliver to. Loopback only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { consoleErrorsOf, openBrowser, type Session } from "./helpers/browser.js";

const KEY = "cross-site-key";
let routes: ReturnType<typeof createSandboxRoutes>;
let sandbox: Server;
let sandboxPort: number;
let browser: Session;

const listen = async (server: Server, port = 0) => {
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
};
const close = (server: Server) =>
  new Promise((r) => {
    server.close(r);
    server.closeAllConnections();
  });
const sandboxServer = () =>
  createServer(async (req, res) => {
    if (!(await routes.handle(req, res))) res.writeHead(404).end();
  });
/** A page server: answers every GET with `html`. */
const pageServer = (html: string) =>
  createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));

async function createOrder(extra: Record<string, unknown> = {}): Promise<string> {
  const order_id = `xs-${Math.random().toString(36).slice(2, 10)}`;
  const answer = await fetch(`http://127.0.0.1:${sandboxPort}/v1/json/orders`, {
    method: "POST",
    headers: { api_key: KEY, "content-type": "application/json" },
    body: JSON.stringify({
      type: "redirect",
      order_id,
      gateway: "KBC",
      currency: "EUR",
      amount: 1000,
      description: "Cross-site",
      ...extra,
    }),
  });
  expect(answer.status).toBe(200);
  return order_id;
}

beforeAll(async () => {
  routes = createSandboxRoutes();
  sandbox = sandboxServer();
  sandboxPort = await listen(sandbox);
  browser = await openBrowser(["--host-resolver-rules=MAP evil.example 127.0.0.1"]);
});
afterAll(async () => {
  await browser?.close();
  if (sandbox) await close(sandbox);
});

describe("a page on another origin", () => {
  it("cannot create an order or refund a paid one with simple requests (no-cors fetch, text/plain form)", async () => {
    const paid = await createOrder();
    await routes.mock.pay(paid, { status: "completed" });
    const api = `http://127.0.0.1:${sandboxPort}/v1/json`;
    const forged = {
      type: "redirect",
      order_id: "forged-fetch",
      gateway: "KBC",
      currency: "EUR",
      amount: 1000,
      description: "Forged",
    };
    // The attack: any 5 characters as ?api_key=, a CORS-safelisted body, fire and forget.
    const attack = `<!doctype html><title>evil</title>
<iframe name="sink"></iframe>
<form id="f" method="post" enctype="text/plain" target="sink" action="${api}/orders?api_key=abcde">
  <input name='{"type":"redirect","order_id":"forged-form","gateway":"KBC","currency":"EUR","amount":1000,"description":"Forged","x":"' value='"}'>
</form>
<script>
  const simple = (path, body) => fetch("${api}" + path, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: JSON.stringify(body) });
  Promise.all([simple("/orders?api_key=abcde", ${JSON.stringify(forged)}), simple("/orders/${paid}/refunds?api_key=abcde", { currency: "EUR", amount: 1000 })])
    .then(() => { document.title = "sent"; });
  document.getElementById("f").submit();
</script>`;
    const evil = pageServer(attack);
    const evilPort = await listen(evil);
    const answers: number[] = [];
    browser.page.on("response", (r) => {
      if (r.url().startsWith(api)) answers.push(r.status());
    });
    try {
      await browser.page.goto(`http://localhost:${evilPort}/`);
      await browser.page.waitForFunction(() => document.title === "sent");
      await browser.page.frameLocator("iframe[name=sink]").locator("body").waitFor();
      await expect.poll(() => answers.length).toBeGreaterThanOrEqual(3);
    } finally {
      await close(evil);
    }
    expect(answers).toEqual([403, 403, 403]);
    expect(routes.mock.orders.get("forged-fetch")).toBeUndefined();
    expect(routes.mock.orders.get("forged-form")).toBeUndefined();
    expect(routes.mock.orders.get(paid)).toMatchObject({ status: "completed", amount_refunded: 0 });
  }, 60_000);

  it("cannot pay an order after rebinding its DNS name to the sandbox (Host and Origin evil.example alike)", async () => {
    const orderId = await createOrder();
    // The attacker's page at evil.example:<port>; then the name's server is the sandbox (same port, same origin).
    const attack = `<!doctype html><title>evil</title><script>
  window.strike = async () => (await fetch("/sandbox/orders/${orderId}/pay", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "completed" }) })).status;
</script>`;
    const evil = pageServer(attack);
    const port = await listen(evil);
    await browser.page.goto(`http://evil.example:${port}/`);
    await close(evil);
    const rebound = sandboxServer();
    await listen(rebound, port);
    try {
      const status = await browser.page.evaluate(() =>
        (window as unknown as { strike: () => Promise<number> }).strike(),
      );
      expect(status).toBe(403);
      expect(routes.mock.orders.get(orderId)?.status).toBe("initialized");
      const overview = await browser.page.goto(`http://evil.example:${port}/sandbox`);
      expect(overview?.status()).toBe(403);
      expect(await browser.page.locator("body").innerText()).toMatch(
        /Host evil\.example is not one the sandbox serves on/,
      );
    } finally {
      await close(rebound);
    }
  }, 60_000);
});

describe("the overview", () => {
  it("shows a notification_url the sandbox will not deliver to, on the order's row and after Pay", async () => {
    // Stands in for any host beyond loopback: nothing leaves the machine, and each attempt is seen.
    const reached: string[] = [];
    const real = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.hostname === "127.0.0.1") return real(input, init);
      reached.push(url.href);
      return new Response("OK");
    });
    const orderId = await createOrder({
      payment_options: { notification_url: "http://10.0.0.7:22/notify", notification_method: "POST" },
    });
    // A page of its own, whose every console error counts: the 403s the tests above provoke are logged as
    // failed loads on their page, and under load such a message can arrive late, after any point a shared
    // list could be cleared at.
    const page = await browser.context.newPage();
    const consoleErrors = consoleErrorsOf(page);
    try {
      await page.goto(`http://127.0.0.1:${sandboxPort}/sandbox`);
      const row = page.locator(`tr[data-order-id="${orderId}"]`);
      await row.waitFor();
      await page
        .getByText(
          "⚠ notification_url http://10.0.0.7:22/notify: not delivered: the sandbox delivers notifications only to loopback",
        )
        .waitFor();
      await row.getByRole("button", { name: "Pay", exact: true }).click();
      await page
        .getByText(
          `${orderId}: completed. Notification POST not delivered: the sandbox delivers notifications only to loopback`,
          { exact: false },
        )
        .waitFor();
      expect(await page.locator("#message").innerText()).toMatch(/--allow-notify 10\.0\.0\.7/);
      expect(reached).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
