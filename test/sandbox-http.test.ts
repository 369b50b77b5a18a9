// The sandbox over real HTTP (the node:http server `npm start` and the bin serve, on an ephemeral port),
// spoken to the way other languages' clients speak to MultiSafepay: every way of sending the API key, and
// every documented KBC order shape, checked against the spec on the wire.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyProblem } from "../src/api-key.js";
import { createMultiSafepay, type OrderRequest } from "../src/index.js";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { SANDBOX_ROUTES } from "../src/mock/server.js";
import { validOrder } from "./helpers/arbitraries.js";
import { expectConformingAnswer } from "./helpers/conformance.js";
import { projectRoot } from "./helpers/consumer.js";
import { redirectOrder } from "./helpers/orders.js";
import { spec } from "./helpers/spec.js";

const KEY = "sandbox-http-key";
let server: Server;
let base: string;
let routes: ReturnType<typeof createSandboxRoutes>;

beforeAll(async () => {
  routes = createSandboxRoutes();
  server = createServer(async (req, res) => {
    if (!(await routes.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/json`;
});
afterAll(() => new Promise((r) => server?.close(r)));

/** Sends a request and checks the answer against the spec for its operation. */
async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const request = new Request(`${base}${path}`, init);
  const response = await fetch(request.clone());
  return { status: response.status, body: await expectConformingAnswer(request, response) };
}
const postOrder = (order: unknown, headers: Record<string, string> = { api_key: KEY }) =>
  call("/orders", {
    method: "POST",
    body: JSON.stringify(order),
    headers: { "content-type": "application/json", ...headers },
  });
const examples = {
  kbcPaymentLink: spec.components.examples.KbcPaymentLinkOrderRequest,
  kbcRedirectFullBody: spec.components.examples.KbcFullRedirectOrderRequest,
};
const fixture = (name: string) => JSON.parse(readFileSync(join(projectRoot, "test/fixtures/docs", name), "utf8"));
let sequence = 0;
const fresh = <T extends Record<string, unknown>>(order: T): T => ({ ...order, order_id: `http-${++sequence}` });

describe("the API key, in every place MultiSafepay's clients put it", () => {
  it.each([
    ["the api_key header (docs, PHP SDK, node wrapper)", "/gateways", { api_key: KEY }],
    ["the api_key query parameter (MultiSafepay's published spec)", `/gateways?api_key=${KEY}`, {}],
    ["Authorization: Bearer (the Python SDK)", "/gateways", { authorization: `Bearer ${KEY}` }],
    ["the same key twice", `/gateways?api_key=${KEY}`, { api_key: KEY }],
  ])("accepts %s", async (_name, path, headers) => {
    expect(await call(path, { headers })).toMatchObject({ status: 200, body: { success: true } });
  });

  it("accepts all three forms from curl", async () => {
    const curl = async (...args: string[]) => JSON.parse((await promisify(execFile)("curl", ["-s", ...args])).stdout);
    expect(await curl(`${base}/gateways`, "-H", `api_key: ${KEY}`)).toMatchObject({ success: true });
    expect(await curl(`${base}/gateways?api_key=${KEY}`)).toMatchObject({ success: true });
    expect(await curl(`${base}/gateways`, "-H", `Authorization: Bearer ${KEY}`)).toMatchObject({ success: true });
  });

  it.each([
    ["no key at all", "/gateways", {}, /^No API key: send the api_key header, \?api_key= or Authorization: Bearer/],
    [
      "a key in X-Api-Key",
      "/gateways",
      { "x-api-key": KEY },
      /X-Api-Key header; MultiSafepay reads the api_key header/,
    ],
    [
      "a key in Api-Key (hyphen)",
      "/gateways",
      { "api-key": KEY },
      /Api-Key header; MultiSafepay reads the api_key header \(with an underscore\)/,
    ],
    ["?apikey=", `/gateways?apikey=${KEY}`, {}, /query parameter is spelt api_key/],
    [
      "Authorization without Bearer",
      "/gateways",
      { authorization: KEY },
      /Authorization header must be "Bearer <API key>"/,
    ],
    [
      "two different keys",
      `/gateways?api_key=other-key-1`,
      { api_key: KEY },
      /^Different API keys in the api_key header and api_key query parameter$/,
    ],
    ["an empty key", "/gateways", { api_key: " " }, /^The API key is empty, sent in the api_key header$/],
    [
      "a short key",
      "/gateways?api_key=abcd",
      {},
      /^The API key is too short \(at least 5 characters\), sent in the api_key query parameter$/,
    ],
  ])("refuses %s, saying what is wrong", async (_name, path, headers, message) => {
    const { status, body } = await call(path, { headers });
    expect(status).toBe(401);
    expect(body).toMatchObject({ success: false, error_code: 1032 });
    expect(body.error_info).toMatch(message);
    // A misplaced key is a placement problem: the answer does not call the key invalid.
    if (!/short|empty/.test(body.error_info)) expect(body.error_info).not.toMatch(/invalid/i);
  });

  it("says 'Invalid API key' only for a well-sent key that is not the configured one", async () => {
    const only = createSandboxRoutes({ apiKey: "the-only-key" });
    const answer = await only.sandbox.handle(
      new Request("http://sandbox.local/v1/json/gateways", { headers: { authorization: `Bearer ${KEY}` } }),
    );
    expect(await answer!.json()).toMatchObject({ error_code: 1032, error_info: "Invalid API key" });
    const right = await only.sandbox.handle(new Request("http://sandbox.local/v1/json/gateways?api_key=the-only-key"));
    expect(right!.status).toBe(200);
  });

  it("refuses a key an HTTP header cannot carry, in the client too (not as a connection error)", async () => {
    expect(apiKeyProblem("abc\ndef12")).toMatch(/cannot carry/);
    expect(() => createMultiSafepay({ apiKey: "abc\ndef12", baseUrl: base })).toThrow(
      expect.objectContaining({ code: "validation_error" }),
    );
  });

  it("applies the same key rule as the client (src/api-key.ts)", async () => {
    const { sandbox } = createSandboxRoutes();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^\s{0,2}[a-z0-9]{0,7}\s{0,2}$/)),
        async (key) => {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: keys with control characters are left out on purpose.
          fc.pre(!/[\0-\x1f\x7f]/.test(key) && key === key.replace(/[^\x20-\x7e]/g, ""));
          const answer = await sandbox.handle(
            new Request("http://sandbox.local/v1/json/gateways", { headers: { api_key: key } }),
          );
          const clientRefuses = (() => {
            try {
              createMultiSafepay({ apiKey: key, environment: "test" });
              return false;
            } catch {
              return true;
            }
          })();
          const rule = apiKeyProblem(key) !== null;
          expect(answer!.status === 401).toBe(rule);
          expect(clientRefuses).toBe(rule);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("GET /gateways/{gateway_id}, over HTTP", () => {
  it("answers KBC and CBC in any case, and an unknown id (or a malformed escape) with 404 / 1023", async () => {
    expect(await call("/gateways/KBC", { headers: { api_key: KEY } })).toEqual({
      status: 200,
      body: { success: true, data: { id: "KBC", description: "KBC" } },
    });
    expect(await call("/gateways/cbc", { headers: { api_key: KEY } })).toMatchObject({
      status: 200,
      body: { data: { id: "CBC" } },
    });
    for (const id of ["IDEAL", "%E0%A4%A"]) {
      expect(await call(`/gateways/${id}`, { headers: { api_key: KEY } }), id).toMatchObject({
        status: 404,
        body: { success: false, error_code: 1023 },
      });
    }
  });

  it("is what msp.gateways.get reads", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
    expect(await msp.gateways.get("KBC")).toEqual({ id: "KBC", description: "KBC" });
  });
});

describe("the transaction pager's links, over HTTP", () => {
  it.each(["127.0.0.1", "localhost"])(
    "point at the origin and base path the sandbox was called on (%s), and lead to the next page",
    async (host) => {
      for (let i = 0; i < 3; i++) expect((await postOrder(fresh(redirectOrder()))).status).toBe(200);
      const reached = base.replace("127.0.0.1", host);
      const onReached = new RegExp(`^${reached.replaceAll(".", "\\.")}/transactions\\?`);
      const first = await (await fetch(`${reached}/transactions?limit=1`, { headers: { api_key: KEY } })).json();
      expect(first.pager.after).toMatch(onReached);
      const second = await (await fetch(first.pager.after, { headers: { api_key: KEY } })).json();
      expect(second.pager.before).toMatch(onReached);
      // The link is the same request as the cursor, and its answer is one the spec allows.
      const viaCursor = await call(`/transactions?limit=1&after=${first.pager.cursor.after}`, {
        headers: { api_key: KEY },
      });
      expect(second.data).toEqual(viaCursor.body.data);
    },
  );
});

describe("malformed %-escapes in API paths, over HTTP", () => {
  it.each([
    ["GET", "/orders/%E0%A4%A", 404],
    ["POST", "/orders/%E0%A4%A/refunds", 404],
    ["PATCH", "/orders/%zz", 404],
    ["PATCH", "/orders/%zz/refunds/1", 404],
    ["PATCH", "/orders/a/refunds/%E0%A4%A", 404],
    ["GET", "/payment-methods/%zz", 404],
  ])("%s %s is an unknown order (%i), not a server error", async (method, path, status) => {
    const body =
      method === "GET"
        ? undefined
        : JSON.stringify(
            method === "POST"
              ? { currency: "EUR" }
              : path.includes("/refunds/")
                ? { status: "void" }
                : { status: "cancelled", exclude_order: true },
          );
    const answer = await call(path, { method, body, headers: { api_key: KEY, "content-type": "application/json" } });
    expect(answer).toMatchObject({ status, body: { success: false } });
    expect(answer.body.error_code).not.toBe(9999);
  });

  it.each([
    ["/sandbox/orders/%zz/pay", { status: "completed" }],
    ["/sandbox/orders/%zz/cancel", {}],
    ["/sandbox/orders/%E0%A4%A/refunds", { amount: 100 }],
    ["/sandbox/orders/%zz/refunds/1/cancel", {}],
    ["/sandbox/orders/a/refunds/%zz/cancel", {}],
  ])("POST %s (the sandbox page's route) is 404 in MultiSafepay's error envelope", async (path, body) => {
    const response = await fetch(`${new URL(base).origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 404,
      body: { success: false, data: {}, error_code: expect.any(Number), error_info: expect.any(String) },
    });
  });
});

describe("the sandbox page's routes", () => {
  it("answer each route of SANDBOX_ROUTES (what --help lists), and nothing else under /sandbox", async () => {
    const origin = new URL(base).origin;
    const orderId = (await postOrder(fresh(redirectOrder()))).body.data.order_id;
    const fill = (path: string) =>
      path.replace("{order_id}", orderId).replace("{refund_id}", "1").replace("{session_id}", "nope");
    // This file's server answers an unrouted request with an empty 404; every route says something.
    for (const { method, path } of SANDBOX_ROUTES) {
      const response = await fetch(`${origin}${fill(path)}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(await response.text(), `${method} ${path}`).not.toBe("");
    }
    for (const [method, path] of [
      ["GET", "/sandbox/orders/x/pay"],
      ["POST", "/sandbox/orders"],
      ["GET", "/sandbox/refunds/settle"],
      ["POST", "/sandbox/nothing"],
    ]) {
      const response = await fetch(`${origin}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect({ status: response.status, body: await response.text() }, `${method} ${path}`).toEqual({
        status: 404,
        body: "",
      });
    }
  });

  it("answers a payment link with a malformed escape with the page's 404, not a server error", async () => {
    const response = await fetch(`${new URL(base).origin}/sandbox/pay/%E0%A4%A`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("refuse a POST from another site, and one that is not JSON", async () => {
    const origin = new URL(base).origin;
    const created = await postOrder(fresh(redirectOrder()));
    const orderId = created.body.data.order_id;
    const pay = (headers: Record<string, string>) =>
      fetch(`${origin}/sandbox/orders/${orderId}/pay`, {
        method: "POST",
        headers,
        body: JSON.stringify({ status: "completed" }),
      });
    expect((await pay({ "content-type": "text/plain", origin: "http://evil.example" })).status).toBe(403);
    expect((await pay({ "content-type": "application/json", origin: "http://evil.example" })).status).toBe(403);
    expect((await pay({ "content-type": "text/plain" })).status).toBe(403);
    expect(routes.mock.orders.get(orderId)?.status).toBe("initialized");
    expect((await pay({ "content-type": "application/json", origin })).status).toBe(200);
  });
});

describe("every documented KBC order shape, over HTTP", () => {
  it.each([
    ["the full banking order body (built from MultiSafepay's Banking.yaml)", () => examples.kbcRedirectFullBody.value],
    ["a payment link", () => examples.kbcPaymentLink.value],
    ["MultiSafepay's official CBC/KBC redirect request", () => fixture("requests_post-orders_cbc-kbc-redirect.json")],
    ["MultiSafepay's official CBC/KBC direct request", () => fixture("requests_post-orders_cbc-kbc-direct.json")],
  ])("accepts %s", async (_name, order) => {
    const body = fresh(order());
    const { status, body: answer } = await postOrder(body);
    expect(status).toBe(200);
    expect(answer.data.order_id).toBe(body.order_id);
    expect(answer.data.payment_url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/sandbox/pay/${answer.data.session_id ?? "\\w+"}`),
    );

    // The typed client sends the same order (validated against the same spec) and gets the same kind of answer.
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
    const viaClient = await msp.orders.create(fresh(order()) as OrderRequest);
    expect(viaClient.payment_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/pay\//);
  });

  it("answers a payment link like a redirect order, with the sandbox's own payment page", async () => {
    const { body } = await postOrder(fresh(examples.kbcPaymentLink.value));
    expect(Object.keys(body.data).sort()).toEqual(["order_id", "payment_url", "session_id"]);
    expect(body.data.transaction_id).toBeUndefined();
  });

  it("treats a missing type as redirect, as MultiSafepay does", async () => {
    const { type: _, ...untyped } = fresh(redirectOrder() as unknown as Record<string, unknown>);
    const { status, body } = await postOrder(untyped);
    expect(status).toBe(200);
    expect(Object.keys(body.data).sort()).toEqual(["order_id", "payment_url", "session_id"]);
  });

  it("accepts null in optional fields (dropped before validating), at any depth", async () => {
    const order = fresh({
      ...redirectOrder(),
      var1: null,
      items: null,
      customer: { locale: "nl_BE", email: null },
      payment_options: { redirect_url: "https://shop.example/ok", cancel_url: null },
    });
    expect((await postOrder(order)).status).toBe(200);
    const stored = routes.mock.orders.get(String(order.order_id))!;
    expect(stored.var1).toBeNull();
  });

  it.each([
    [
      "a misspelt top-level field",
      { redirect_ulr: "https://x.example" },
      "ignored redirect_ulr: not a field MultiSafepay documents; it ignores such names, so this value is likely lost",
    ],
    [
      "a misspelt cart field",
      { shopping_cart: { items: [{ name: "Backpack", unit_prise: 16.49, quantity: 1 }] } },
      'ignored shopping_cart.items.0.unit_prise: not a field MultiSafepay documents; it ignores such names, so this value is likely lost; did you mean "unit_price"?',
    ],
    [
      "a misspelt template setting",
      { payment_options: { template: { settings: { hide_logos: true } } } },
      'ignored payment_options.template.settings.hide_logos: not a field MultiSafepay documents; it ignores such names, so this value is likely lost; did you mean "hide_logo"?',
    ],
    [
      "the PHP SDK's customer.firstname",
      { customer: { locale: "nl_BE", firstname: "Jan" } },
      'ignored customer.firstname: not a field MultiSafepay documents; it ignores such names, so this value is likely lost; did you mean "first_name"?',
    ],
  ])("takes %s as MultiSafepay does (ignored), and shows it in the order view", async (_name, change, line) => {
    const order = fresh({ ...redirectOrder(), ...change });
    const { status } = await postOrder(order);
    expect(status).toBe(200);
    const view = (await (await fetch(`${new URL(base).origin}/sandbox/orders`)).json()) as {
      order_id: string;
      ignored_fields: string[];
    }[];
    expect(view.find((o) => o.order_id === order.order_id)?.ignored_fields).toEqual([line]);
  });

  it("still refuses a null required field", async () => {
    const { status, body } = await postOrder(fresh({ ...redirectOrder(), description: null }));
    expect(status).toBe(404); // where MultiSafepay files POST /orders errors (docs openapi/paths/orders.yaml)
    expect(body).toMatchObject({ success: false, error_code: 1008 });
  });

  it("accepts the orders the spec allows (fast-check), and the client sends them too", async () => {
    const msp = createMultiSafepay({ apiKey: KEY, baseUrl: base, maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(validOrder(), async (generated) => {
        const order = fresh(generated);
        const created = await msp.orders.create(order as OrderRequest);
        expect(created.order_id).toBe(order.order_id);
      }),
      { numRuns: 40 },
    );
  });

  it("names every field of MultiSafepay's banking and payment page orders", () => {
    const msp = (name: string) =>
      load(readFileSync(join(projectRoot, "test/fixtures/msp-openapi", name), "utf8")) as {
        properties: Record<string, any>;
      };
    const ours = spec.components.schemas;
    const orderFields = new Set(["type", ...Object.keys(ours.OrderRequestFields.properties)]);
    for (const file of ["Banking.yaml", "PaymentPage.yaml"])
      expect(
        Object.keys(msp(file).properties).filter((f) => !orderFields.has(f)),
        file,
      ).toEqual([]);
    expect(
      Object.keys(msp("PaymentOptions.yaml").properties).filter((f) => !(f in ours.PaymentOptions.properties)),
    ).toEqual([]);
    expect(
      Object.keys(msp("CheckoutOptions.yaml").properties).filter((f) => !(f in ours.CheckoutOptions.properties)),
    ).toEqual([]);
    expect(
      Object.keys(msp("ShoppingCart.yaml").properties).filter((f) => !(f in ours.ShoppingCart.properties)),
    ).toEqual([]);
  });
});
