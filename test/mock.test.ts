// multisafepay-kbc/mock: behaves like MultiSafepay, answers only what the spec allows, pays and notifies.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay } from "./helpers/client.js";
import { createMultiSafepayMock, type PaymentOutcome } from "../src/mock/index.js";
import { verifyNotification } from "../src/webhooks.js";
import { expectConformingAnswer } from "./helpers/conformance.js";
import { API_KEY, TEST_BASE, directOrder, redirectOrder } from "./helpers/orders.js";

const mock = createMultiSafepayMock({ apiKey: API_KEY });
const server = setupServer(...mock.handlers);
const answers: Promise<unknown>[] = [];
let checked = 0;
// Every answer the mock gives in this file is checked against the spec.
server.events.on("response:mocked", ({ request, response }) => {
  if (request.url.startsWith(TEST_BASE)) answers.push(expectConformingAnswer(request, response).then(() => checked++));
});
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  await Promise.all(answers.splice(0));
  server.resetHandlers();
  mock.reset();
});
afterAll(() => {
  server.close();
  // Guards the guard: the spec check above must actually have seen the scenarios.
  expect(checked).toBeGreaterThanOrEqual(30);
});

const msp = () => createMultiSafepay({ apiKey: API_KEY, environment: "test", maxRetries: 0 });
const post = (body: string, apiKey = API_KEY) =>
  fetch(`${TEST_BASE}/orders`, {
    method: "POST",
    body,
    headers: { api_key: apiKey, "content-type": "application/json" },
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe("the API", () => {
  it("creates a redirect order on the test payment host and reads it back", async () => {
    const created = await msp().orders.create(redirectOrder());
    expect(created).toEqual({
      order_id: "my-order-id-1",
      payment_url: expect.stringMatching(/^https:\/\/testpayv2\.multisafepay\.com\/connect\/\w+\/\?lang=nl_BE$/),
      session_id: expect.any(String),
    });
    const order = await msp().orders.get("my-order-id-1");
    expect(order).toMatchObject({
      order_id: "my-order-id-1",
      status: "initialized",
      financial_status: "initialized",
      amount: 1000,
      currency: "EUR",
    });
    expect(order.customer?.locale).toBe("nl_BE");
    expect(mock.orders.list()).toHaveLength(1);
  });

  it("creates a direct order with a kbc.be payment_url and the full order", async () => {
    const created = await msp().orders.create(directOrder());
    expect(created.payment_url).toMatch(/^https:\/\/www\.kbc\.be\/olpayment\?/);
    expect(created).toMatchObject({
      order_id: "my-order-id-2",
      status: "initialized",
      customer: { phone1: "0208500500", country_name: "The Netherlands" },
    });
    expect(typeof created.transaction_id).toBe("number");
  });

  it("lists KBC and CBC", async () => {
    expect((await msp().gateways.list({ country: "BE" })).map((g) => g.id)).toEqual(["KBC", "CBC"]);
  });

  it("reads one gateway by id, not case-sensitive, and answers an unknown one with 404 / 1023", async () => {
    expect(await msp().gateways.get("KBC")).toEqual({ id: "KBC", description: "KBC" });
    expect(await msp().gateways.get("cbc")).toEqual({ id: "CBC", description: "CBC" });
    expect(await caught(msp().gateways.get("IDEAL"))).toMatchObject({
      code: "api_error",
      status: 404,
      errorCode: 1023,
    });
    expect(await caught(msp().gateways.get(""))).toMatchObject({ code: "validation_error" });
  });

  it("refuses a wrong key with 401 / 1032", async () => {
    const error = await caught(
      createMultiSafepay({ apiKey: "another-key", environment: "test" }).orders.create(redirectOrder()),
    );
    expect(error).toMatchObject({ code: "authentication_error", status: 401, errorCode: 1032 });
  });

  it("refuses a reused order id with 1006, and an unknown order with 404 / 1006", async () => {
    await msp().orders.create(redirectOrder());
    expect(await caught(msp().orders.create(redirectOrder()))).toMatchObject({ code: "api_error", errorCode: 1006 });
    expect(await caught(msp().orders.get("unknown"))).toMatchObject({
      code: "api_error",
      status: 404,
      errorCode: 1006,
    });
  });

  it.each([
    ["a string amount", 1001, { amount: "1000" }],
    ["a zero amount", 1001, { amount: 0 }],
    ["another currency", 1002, { currency: "USD" }],
    ["a missing description", 1008, { description: undefined }],
    ["a 201-character description", 1008, { description: "x".repeat(201) }],
    ["another gateway", 1023, { gateway: "IDEAL" }],
    ["a bad country", 1018, { customer: { locale: "nl_BE", country: "Belgium" } }],
    ["a bad IP address", 1007, { customer: { locale: "nl_BE", ip_address: "999.1.1.1" } }],
  ])(
    "answers %s with error %i under 404, where MultiSafepay files POST /orders errors (sent past the client's own check)",
    async (_name, errorCode, change) => {
      const { status, body } = await post(JSON.stringify({ ...redirectOrder(), ...change }));
      expect(status).toBe(404);
      expect(body).toMatchObject({ success: false, error_code: errorCode });
    },
  );

  it("ignores an unknown field as MultiSafepay does, and says which (order view and log)", async () => {
    const lines: string[] = [];
    const logged = createMultiSafepayMock({ apiKey: API_KEY, log: (line) => lines.push(line) });
    const order = {
      ...redirectOrder(),
      order_id: "ignored-1",
      redirect_ulr: "https://x.example",
      customer: { locale: "nl_BE", firstname: "Jan" },
    };
    const response = await logged.fetch(
      new Request(`${TEST_BASE}/orders`, {
        method: "POST",
        headers: { api_key: API_KEY },
        body: JSON.stringify(order),
      }),
    );
    expect(response.status).toBe(200);
    const expected = [
      "ignored redirect_ulr: not a field MultiSafepay documents; it ignores such names, so this value is likely lost",
      'ignored customer.firstname: not a field MultiSafepay documents; it ignores such names, so this value is likely lost; did you mean "first_name"?',
    ];
    expect(logged.orders.ignoredFields("ignored-1").sort()).toEqual(expected.sort());
    expect(lines.sort()).toEqual(expected.map((line) => `order ignored-1: ${line}`).sort());
  });

  describe("validate_cart (1027; MultiSafepay's rounding is not documented, the sandbox's tolerant rule is a guess)", () => {
    // €10 + €2.10 VAT (21 %) on one line, €5.00 untaxed on the other: 1710 cents.
    const cart = {
      shopping_cart: {
        items: [
          { name: "Mug", unit_price: 5, quantity: 2, tax_table_selector: "BTW21" },
          { name: "Box", unit_price: 5, quantity: 1 },
        ],
      },
      checkout_options: {
        validate_cart: true,
        tax_tables: { default: { rate: 0 }, alternate: [{ name: "BTW21", rules: [{ rate: 0.21 }] }] },
      },
    };
    const order = (id: string, amount: number, change: Record<string, unknown> = {}) =>
      JSON.stringify({ ...redirectOrder(), order_id: id, amount, ...cart, ...change });

    it("takes a cart that adds up to amount, VAT included, within half a cent a line", async () => {
      expect((await post(order("cart-1", 1710))).status).toBe(200);
      expect((await post(order("cart-2", 1711))).status).toBe(200);
    });

    it("refuses one that does not with 404 / 1027", async () => {
      expect(await post(order("cart-3", 1500))).toMatchObject({
        status: 404,
        body: { success: false, error_code: 1027, error_info: "Cart amount must equal order amount" },
      });
      expect(await post(order("cart-4", 1713))).toMatchObject({ status: 404, body: { error_code: 1027 } });
    });

    it("checks nothing without validate_cart, as MultiSafepay", async () => {
      expect(
        (await post(order("cart-5", 1500, { checkout_options: { ...cart.checkout_options, validate_cart: false } })))
          .status,
      ).toBe(200);
    });
  });

  it("refuses, as MultiSafepay's PHP json_decode does, a lone surrogate and nesting deeper than 512, as not JSON", async () => {
    expect(await post(JSON.stringify({ ...redirectOrder(), order_id: "lone-1", description: "\udfff" }))).toMatchObject(
      { status: 404, body: { error_code: 1016, error_info: "Missing data: the body is not JSON" } },
    );
    const deep = `${"[".repeat(600)}${"]".repeat(600)}`;
    expect(
      await post(JSON.stringify({ ...redirectOrder(), order_id: "deep-1" }).replace("}", `,"x":${deep}}`)),
    ).toMatchObject({ status: 404, body: { error_code: 1016 } });
    expect(
      (
        await post(
          JSON.stringify({ ...redirectOrder(), order_id: "deep-2" }).replace(
            "}",
            `,"x":${"[".repeat(500)}${"]".repeat(500)}}`,
          ),
        )
      ).status,
    ).toBe(200);
  });

  it("never takes an order's fields from a key named __proto__", async () => {
    const { type, gateway, currency, amount, description, ...rest } = redirectOrder();
    const body = JSON.stringify({ ...rest, order_id: "proto-1" }).replace(
      "{",
      `{"__proto__":${JSON.stringify({ type, gateway, currency, amount, description })},`,
    );
    expect(await post(body)).toMatchObject({ status: 404, body: { success: false } });
  });

  it("keeps at most 50 ignored-field lines an order, and escapes names in them", async () => {
    const lines: string[] = [];
    const logged = createMultiSafepayMock({ apiKey: API_KEY, log: (line) => lines.push(line) });
    const unknown = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`zz_${i}`, 1]));
    const order = { ...redirectOrder(), order_id: "many-1", ...unknown, "evil\nname": 1 };
    expect(
      (
        await logged.fetch(
          new Request(`${TEST_BASE}/orders`, {
            method: "POST",
            headers: { api_key: API_KEY },
            body: JSON.stringify(order),
          }),
        )
      ).status,
    ).toBe(200);
    const kept = logged.orders.ignoredFields("many-1");
    expect(kept).toHaveLength(50);
    expect(kept.at(-1)).toBe("and 1952 more ignored fields");
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
  });

  it("answers malformed JSON with an error envelope", async () => {
    expect(await post('{"type":"redirect",')).toMatchObject({
      status: 404,
      body: { success: false, error_code: 1016 },
    });
  });

  it("reads a refusal under 404 on create as the api_error it is, and does not send the order again", async () => {
    let sent = 0;
    const counting = async (request: Request) => {
      sent++;
      return mock.fetch(request);
    };
    const client = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch: counting, maxRetries: 3 });
    await client.orders.create(redirectOrder());
    sent = 0;
    // The same order_id again: 404 / 1006 on the first attempt, so no earlier attempt of this call made it.
    expect(await caught(client.orders.create(redirectOrder()))).toMatchObject({
      code: "api_error",
      status: 404,
      errorCode: 1006,
    });
    expect(sent).toBe(1);
    // A blocked website, as MultiSafepay files it (404, data: []): once, and not read as "no such order".
    let blocked = 0;
    const refusing = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      maxRetries: 3,
      fetch: async () => (
        blocked++,
        Response.json(
          { success: false, data: [], error_code: 1019, error_info: "The site is blocked in your account." },
          { status: 404 },
        )
      ),
    });
    expect(await caught(refusing.orders.create({ ...redirectOrder(), order_id: "blocked" }))).toMatchObject({
      code: "api_error",
      status: 404,
      errorCode: 1019,
    });
    expect(blocked).toBe(1);
  });

  it.each([
    ["GET", "/orders/%E0%A4%A", 404, 1006],
    ["POST", "/orders/%E0%A4%A/refunds", 404, 1006],
    ["PATCH", "/orders/%/refunds/%zz", 404, 1000],
    ["PATCH", "/orders/%E0%A4%A", 404, 1000],
    ["GET", "/gateways/%zz", 404, 1023],
    ["GET", "/payment-methods/%E0%A4%A", 404, 1023],
  ])(
    "answers %s %s (a malformed escape) as an unknown order, %i / %i, not a server error",
    async (method, path, status, errorCode) => {
      const body =
        method === "GET" ? undefined : JSON.stringify(method === "POST" ? { currency: "EUR" } : { status: "void" });
      const response = await fetch(`${TEST_BASE}${path}`, {
        method,
        body,
        headers: { api_key: API_KEY, "content-type": "application/json" },
      });
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status,
        body: { success: false, error_code: errorCode },
      });
    },
  );

  it("never reads a malformed escape as the id spelt so: an order whose id is literally %zz is reached only as %25zz", async () => {
    await msp().orders.create({ ...redirectOrder(), order_id: "%zz" });
    const get = (path: string, method = "GET", body?: unknown) =>
      fetch(`${TEST_BASE}${path}`, {
        method,
        headers: { api_key: API_KEY, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await get("/orders/%zz")).toMatchObject({ status: 404, body: { error_code: 1006 } });
    expect(await get("/orders/%zz", "PATCH", { status: "cancelled", exclude_order: true })).toMatchObject({
      status: 404,
      body: { error_code: 1000 },
    });
    expect(mock.orders.get("%zz")?.status).toBe("initialized");
    expect(await get("/orders/%25zz")).toMatchObject({ status: 200, body: { data: { order_id: "%zz" } } });
    expect((await msp().orders.get("%zz")).order_id).toBe("%zz");
  });

  it("accepts any key of at least 5 characters when none is configured, and covers live when asked", async () => {
    const open = createMultiSafepayMock({ environment: ["test", "live"] });
    const client = createMultiSafepay({ apiKey: "whatever-key", environment: "live", fetch: open.fetch });
    expect((await client.orders.create(redirectOrder())).payment_url).toMatch(/^https:\/\/testpayv2\./);
    const missingKey = await open.fetch(new Request(`${TEST_BASE}/gateways`));
    expect(missingKey.status).toBe(401);
    const shortKey = await open.fetch(new Request(`${TEST_BASE}/gateways`, { headers: { api_key: "abcd" } }));
    expect(await shortKey.json()).toMatchObject({
      error_code: 1032,
      error_info: "The API key is too short (at least 5 characters), sent in the api_key header",
    });
  });

  it("takes the key from ?api_key= and Authorization: Bearer too", async () => {
    const bearer = await fetch(`${TEST_BASE}/gateways`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(bearer.status).toBe(200);
    const query = await fetch(`${TEST_BASE}/gateways?api_key=${API_KEY}`);
    expect(query.status).toBe(200);
  });

  it("gives payment_urls on MultiSafepay's test host, or on its own origin when given a local base", async () => {
    const created = await msp().orders.create({ ...directOrder(), order_id: "url-1" });
    expect(created.payment_url).toMatch(/^https:\/\/www\.kbc\.be\//);
    const local = createMultiSafepayMock({ baseUrl: "http://127.0.0.1:4010/v1/json", environment: [] });
    const client = createMultiSafepay({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:4010/v1/json",
      fetch: local.fetch,
    });
    for (const type of ["redirect", "direct", "paymentlink"] as const) {
      const answer = await client.orders.create({ ...redirectOrder(), type, order_id: `local-${type}` });
      expect(answer.payment_url, type).toMatch(/^http:\/\/127\.0\.0\.1:4010\/sandbox\/pay\/\w+\?lang=nl_BE$/);
    }
  });

  it("creates a payment link, and a redirect order when type is missing", async () => {
    const link = await msp().orders.create({
      ...redirectOrder(),
      type: "paymentlink",
      order_id: "link-1",
      days_active: 7,
    });
    expect(Object.keys(link).sort()).toEqual(["order_id", "payment_url", "session_id"]);
    const { type: _, ...untyped } = { ...redirectOrder(), order_id: "untyped-1" };
    const answer = await post(JSON.stringify({ ...untyped, var2: null }));
    expect(answer).toMatchObject({
      status: 200,
      body: { success: true, data: { order_id: "untyped-1", session_id: expect.any(String) } },
    });
    expect(mock.orders.get("link-1")?.status).toBe("initialized");
  });
});

describe("pay() and notifications", () => {
  const NOTIFY = "https://shop.example/notify?source=msp";
  const withNotification = (method: "POST" | "GET") => ({
    ...redirectOrder(),
    payment_options: {
      notification_url: NOTIFY,
      notification_method: method,
      redirect_url: "https://shop.example/ok",
      cancel_url: "https://shop.example/ko",
    },
  });

  it.each<[PaymentOutcome, string, string]>([
    ["completed", "completed", "completed"],
    ["void", "void", "void"],
    ["cancelled", "void", "void"], // KBC's status table: cancelled is Void / Void
    ["expired", "expired", "expired"],
    ["declined", "declined", "declined"],
  ])("%s moves the order to status %s / financial_status %s", async (outcome, status, financial) => {
    const { payment_options: _, ...withoutNotification } = directOrder();
    await msp().orders.create(withoutNotification);
    const { notification } = await mock.pay("my-order-id-2", { status: outcome });
    const order = await msp().orders.get("my-order-id-2");
    expect(order).toMatchObject({ status, financial_status: financial });
    expect(notification).toBeNull();
    if (outcome === "completed")
      expect(order.costs).toEqual([expect.objectContaining({ amount: 1.0, type: "SYSTEM" })]);
  });

  it("delivers a signed POST notification the merchant can verify, and stops at OK", async () => {
    const received: { url: URL; order: unknown }[] = [];
    server.use(
      http.post("https://shop.example/notify", async ({ request }) => {
        const order = await verifyNotification({
          body: await request.text(),
          auth: request.headers.get("auth"),
          apiKey: API_KEY,
        });
        received.push({ url: new URL(request.url), order });
        return new HttpResponse("OK");
      }),
    );
    await msp().orders.create(withNotification("POST"));
    const { notification } = await mock.pay("my-order-id-1", { status: "completed" });
    expect(notification).toMatchObject({ method: "POST", attempts: 1, acknowledged: true });
    expect(received).toHaveLength(1);
    const [{ url, order }] = received as [{ url: URL; order: { status: string; order_id: string } }];
    expect(url.searchParams.get("source")).toBe("msp");
    expect(url.searchParams.get("transactionid")).toBe("my-order-id-1");
    expect(Math.abs(Number(url.searchParams.get("timestamp")) - Date.now() / 1000)).toBeLessThan(60);
    expect(order).toMatchObject({ order_id: "my-order-id-1", status: "completed" });
  });

  it("sends a GET notification without a body when asked", async () => {
    const methods: string[] = [];
    server.use(
      http.get("https://shop.example/notify", ({ request }) => (methods.push(request.method), new HttpResponse("OK"))),
    );
    await msp().orders.create(withNotification("GET"));
    expect((await mock.pay("my-order-id-1", { status: "void" })).notification).toMatchObject({
      method: "GET",
      acknowledged: true,
    });
    expect(methods).toEqual(["GET"]);
  });

  it("retries a notification that is not acknowledged with OK, up to 3 times", async () => {
    let calls = 0;
    server.use(
      http.post("https://shop.example/notify", () =>
        ++calls < 3 ? new HttpResponse("busy", { status: 503 }) : new HttpResponse("OK"),
      ),
    );
    await msp().orders.create(withNotification("POST"));
    expect((await mock.pay("my-order-id-1", { status: "completed" })).notification).toMatchObject({
      attempts: 3,
      acknowledged: true,
    });

    server.use(http.post("https://shop.example/notify", () => new HttpResponse(null, { status: 204 })));
    await msp().orders.create({ ...withNotification("POST"), order_id: "second" });
    expect((await mock.pay("second", { status: "completed" })).notification).toMatchObject({
      attempts: 4,
      acknowledged: false,
    });
  });

  it("refuses to pay an unknown or already paid order", async () => {
    await expect(mock.pay("nope", { status: "completed" })).rejects.toThrow(/No sandbox order/);
    const { payment_options: _, ...withoutNotification } = directOrder();
    await msp().orders.create(withoutNotification);
    await mock.pay("my-order-id-2", { status: "completed" });
    await expect(mock.pay("my-order-id-2", { status: "void" })).rejects.toThrow(/already completed/);
  });
});
