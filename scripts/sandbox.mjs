// The sandbox behind `npm start`: the same mock as "multisafepay-kbc/mock", served over node:http under
// /v1/json/..., plus a small page at /sandbox to play the shopper (pay, cancel, expire) and the merchant
// (cancel an unpaid order, refund a paid one, cancel a refund, settle refunds as MultiSafepay does at midnight).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMultiSafepayMock } from "../dist/mock.js";
import { root } from "./run-bin.mjs";

// Requests are mapped onto one fixed origin, so the sandbox answers whatever host name it is reached by.
const ORIGIN = "http://sandbox.local";
const OUTCOMES = new Set(["completed", "void", "cancelled", "expired", "declined"]);
const page = () => readFileSync(join(root, "scripts/sandbox-page.html"));

/** Returns a node:http handler for the sandbox routes; it resolves false for any other path. */
export function createSandboxRoutes({ apiKey = process.env.MSP_SANDBOX_API_KEY || undefined } = {}) {
  const mock = createMultiSafepayMock({ baseUrl: `${ORIGIN}/v1/json`, environment: [], ...(apiKey ? { apiKey } : {}) });

  async function handle(req, res) {
    const url = new URL(req.url ?? "/", ORIGIN);
    if (url.pathname.startsWith("/v1/json/")) {
      await send(res, await mock.fetch(await toRequest(req, url)));
      return true;
    }
    if (url.pathname === "/sandbox" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page());
      return true;
    }
    if (url.pathname === "/sandbox/orders" && req.method === "GET") {
      await send(res, Response.json(mock.orders.list().reverse()));
      return true;
    }
    const pay = /^\/sandbox\/orders\/([^/]+)\/pay$/.exec(url.pathname);
    if (pay && req.method === "POST") {
      const { status } = JSON.parse((await readBody(req)) || "{}");
      if (!OUTCOMES.has(status)) {
        await send(res, Response.json({ error: `status must be one of ${[...OUTCOMES].join(", ")}` }, { status: 400 }));
      } else {
        await send(res, await mock.pay(decodeURIComponent(pay[1]), { status }).then((r) => Response.json(r), (e) => Response.json({ error: e.message }, { status: 409 })));
      }
      return true;
    }
    const merchant = await merchantAction(url, req);
    if (merchant) {
      await send(res, merchant);
      return true;
    }
    return false;
  }

  /** The merchant's side on the page (cancel, refund, cancel a refund): the same API calls a client makes. */
  async function merchantAction(url, req) {
    if (req.method !== "POST") return undefined;
    const api = (method, path, body) =>
      mock.fetch(new Request(`${ORIGIN}/v1/json${path}`, { method, headers: { api_key: apiKey ?? "sandbox-page", "content-type": "application/json" }, body: JSON.stringify(body) }));
    if (url.pathname === "/sandbox/refunds/settle") return Response.json({ settled: await mock.settleRefunds() });
    const cancel = /^\/sandbox\/orders\/([^/]+)\/cancel$/.exec(url.pathname);
    if (cancel) return api("PATCH", `/orders/${cancel[1]}`, { status: "cancelled", exclude_order: true });
    const refund = /^\/sandbox\/orders\/([^/]+)\/refunds$/.exec(url.pathname);
    if (refund) {
      const { amount } = JSON.parse((await readBody(req)) || "{}");
      const order = mock.orders.get(decodeURIComponent(refund[1]));
      // An empty field means a full refund; 0 goes through, so the API refuses it (MultiSafepay would refund everything).
      return api("POST", `/orders/${refund[1]}/refunds`, { currency: order?.currency ?? "EUR", ...(amount === undefined ? {} : { amount }), description: "Refund from the sandbox page" });
    }
    const cancelRefund = /^\/sandbox\/orders\/([^/]+)\/refunds\/([^/]+)\/cancel$/.exec(url.pathname);
    if (cancelRefund) return api("PATCH", `/orders/${cancelRefund[1]}/refunds/${cancelRefund[2]}`, { status: "void" });
    return undefined;
  }

  return { mock, handle };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function toRequest(req, url) {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(url, { method: req.method, headers, body });
}

async function send(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json", "content-length": body.length });
  res.end(body);
}
