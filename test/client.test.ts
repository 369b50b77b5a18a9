// The client against msw handlers that check requests and answers against the spec.
import { inspect } from "node:util";
import { HttpResponse, delay, http } from "msw";
import { describe, expect, it } from "vitest";
import { ApiError, AuthenticationError, type MultiSafepayError } from "../src/index.js";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay } from "./helpers/client.js";
import { useMswServer, specChecked } from "./helpers/msw.js";
import {
  API_KEY,
  LIVE_BASE,
  TEST_BASE,
  completedOrder,
  directCreated,
  directOrder,
  errorBody,
  gatewayList,
  redirectCreated,
  redirectOrder,
} from "./helpers/orders.js";
import { schemaRef } from "./helpers/spec.js";

const { server, sent } = useMswServer();
const msp = () => createMultiSafepay({ apiKey: API_KEY, environment: "test" });

describe("orders.create", () => {
  it("creates a redirect order and returns the payment page", async () => {
    server.use(
      http.post(`${TEST_BASE}/orders`, async ({ request }) => {
        specChecked(schemaRef("OrderRequest"), await request.json());
        return HttpResponse.json(specChecked(schemaRef("CreateOrderResponse"), redirectCreated()));
      }),
    );
    const created = await msp().orders.create(redirectOrder());
    expect(created).toEqual(redirectCreated().data);
    expect(created.payment_url).toMatch(/^https:\/\/testpayv2\.multisafepay\.com\/connect\//);

    const [request] = sent;
    expect(request?.method).toBe("POST");
    expect(request?.url.href).toBe(`${TEST_BASE}/orders`);
    expect(request?.headers.get("api_key")).toBe(API_KEY);
    expect(request?.headers.get("accept")).toBe("application/json");
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(request?.body).toEqual(redirectOrder());
  });

  it("creates a direct order and returns the full order with the bank's payment_url", async () => {
    server.use(
      http.post(`${TEST_BASE}/orders`, () =>
        HttpResponse.json(specChecked(schemaRef("CreateOrderResponse"), directCreated())),
      ),
    );
    const created = await msp().orders.create(directOrder());
    expect(created.payment_url).toMatch(/^https:\/\/www\.kbc\.be\//);
    expect(created.status).toBe("initialized");
    expect(created.transaction_id).toBe(123456789);
  });

  it("talks to the live server only when asked", async () => {
    server.use(http.post(`${LIVE_BASE}/orders`, () => HttpResponse.json(redirectCreated())));
    await createMultiSafepay({ apiKey: API_KEY, environment: "live" }).orders.create(redirectOrder());
    expect(sent[0]?.url.origin).toBe("https://api.multisafepay.com");
  });

  it("uses a custom baseUrl", async () => {
    server.use(http.post("http://127.0.0.1:4010/v1/json/orders", () => HttpResponse.json(redirectCreated())));
    const client = createMultiSafepay({ apiKey: API_KEY, baseUrl: "http://127.0.0.1:4010/v1/json/" });
    await client.orders.create(redirectOrder());
    expect(sent[0]?.url.href).toBe("http://127.0.0.1:4010/v1/json/orders");
  });

  it("refuses bad input with every offending field named, and sends nothing", async () => {
    const order = {
      ...redirectOrder(),
      amount: 10.5,
      currency: "USD",
      redirect_ulr: "https://x.example",
      customer: { locale: "xx" },
    };
    const error = await caught(msp().orders.create(order as never));
    expect(error.code).toBe("validation_error");
    expect((error as unknown as { issues: unknown[] }).issues).toEqual(
      expect.arrayContaining([
        { path: "/amount", message: expect.any(String) },
        { path: "/currency", message: 'must be "EUR"' },
        { path: "/redirect_ulr", message: expect.stringMatching(/^is not a field MultiSafepay knows here/) },
        { path: "/customer/locale", message: expect.stringContaining("nl_BE") },
      ]),
    );
    expect(sent).toEqual([]);
  });

  it("names the closest known field for a misspelt one, at any depth", async () => {
    const order = {
      ...redirectOrder(),
      customer: { firstname: "Jan", locale: "nl_BE" },
      payment_options: { notification_ulr: "https://shop.example/n" },
      shopping_cart: { items: [{ name: "Mug", unit_prise: 1, quantity: 1 }] },
    };
    const error = await caught(msp().orders.create(order as never));
    expect(error.message).toContain('/customer/firstname is not a field; did you mean "first_name"?');
    expect((error as unknown as { issues: unknown[] }).issues).toEqual([
      { path: "/payment_options/notification_ulr", message: 'is not a field; did you mean "notification_url"?' },
      { path: "/customer/firstname", message: 'is not a field; did you mean "first_name"?' },
      { path: "/shopping_cart/items/0/unit_prise", message: 'is not a field; did you mean "unit_price"?' },
    ]);
    const swapped = await caught(
      msp().orders.create({ ...redirectOrder(), customer: { locale: "nl_BE", emial: "a@b.example" } } as never),
    );
    expect(swapped.message).toContain('did you mean "email"?');
    const unlike = await caught(msp().orders.create({ ...redirectOrder(), zzz_flag: true } as never));
    expect(unlike.message).toContain(
      "/zzz_flag is not a field MultiSafepay knows here, so it would ignore it (check the spelling, or pass { allowUnknownFields: true } to send a field MultiSafepay documents that this package does not know yet)",
    );
    expect(sent).toEqual([]);
  });

  /** Answers every create, keeping each body it received. */
  const receiving = () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(
        `${TEST_BASE}/orders`,
        async ({ request }) => (bodies.push(await request.json()), HttpResponse.json(redirectCreated())),
      ),
    );
    return bodies;
  };

  it("sends a field the spec does not know when the call allows it, and still checks every other rule", async () => {
    const bodies = receiving();
    const order = { ...redirectOrder(), new_field: { x: 1 }, customer: { locale: "nl_BE", firstname: "Jan" } };
    await msp().orders.create(order as never, { allowUnknownFields: true });
    expect(bodies).toEqual([order]);
    const still = await caught(msp().orders.create({ ...order, amount: 10.5 } as never, { allowUnknownFields: true }));
    expect((still as unknown as { issues: unknown[] }).issues).toEqual([
      { path: "/amount", message: "must be integer cents: for €24.50 send 2450" },
    ]);
    expect(sent).toHaveLength(1);
  });

  it("allows unknown fields per call through msp.api too (withOptions), and refuses them without", async () => {
    const bodies = receiving();
    const client = msp();
    const order = { ...redirectOrder(), new_field: "x" };
    const refused = await caught(client.api.POST("/orders", { body: order as never }));
    expect(refused.code).toBe("validation_error");
    expect(sent).toEqual([]);
    const { data } = await client.api
      .withOptions({ allowUnknownFields: true })
      .POST("/orders", { body: order as never });
    expect(data?.data).toEqual(redirectCreated().data);
    expect(bodies).toEqual([order]);
  });

  it.each([
    ["no type", { type: undefined }, "/type"],
    ["a missing description", { description: undefined }, "/description"],
    ["an order id over 50 characters", { order_id: "x".repeat(51) }, "/order_id"],
  ])("refuses %s", async (_name, change, path) => {
    const error = await caught(msp().orders.create(JSON.parse(JSON.stringify({ ...redirectOrder(), ...change }))));
    expect(error.code).toBe("validation_error");
    expect((error as unknown as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    expect(sent).toEqual([]);
  });
});

describe("orders.get and gateways.list", () => {
  it("reads an order by a URL-encoded order id, keeping ids beyond 2^53 exact", async () => {
    server.use(
      http.get(
        `${TEST_BASE}/orders/:id`,
        () =>
          new HttpResponse(
            JSON.stringify(specChecked(schemaRef("OrderResponse"), completedOrder())).replace(
              "17472052901237122,",
              "17472052901237123,",
            ),
            {
              headers: { "content-type": "application/json" },
            },
          ),
      ),
    );
    const order = await msp().orders.get("order/1 #ä");
    expect(sent[0]?.url.pathname).toBe("/v1/json/orders/order%2F1%20%23%C3%A4");
    expect(order.status).toBe("completed");
    expect(order.transaction_id).toBe("17472052901237123");
  });

  it("reads an integer order id, and refuses a bad one before sending", async () => {
    server.use(http.get(`${TEST_BASE}/orders/:id`, () => HttpResponse.json(completedOrder())));
    await msp().orders.get(1001);
    expect(sent[0]?.url.pathname).toBe("/v1/json/orders/1001");
    for (const bad of ["", "x".repeat(51), -1, 1.5, null]) {
      expect(await caught(msp().orders.get(bad as never))).toMatchObject({
        code: "validation_error",
        issues: [{ path: "/order_id" }],
      });
    }
    expect(sent).toHaveLength(1);
  });

  it("turns 404 / 1006 into an ApiError to branch on", async () => {
    server.use(
      http.get(`${TEST_BASE}/orders/:id`, () =>
        HttpResponse.json(errorBody("ErrorInvalidTransactionId"), { status: 404 }),
      ),
    );
    const error = await caught(msp().orders.get("nope"));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "api_error",
      status: 404,
      errorCode: 1006,
      errorInfo: "Invalid transaction ID",
    });
  });

  it("lists gateways with query parameters", async () => {
    server.use(
      http.get(`${TEST_BASE}/gateways`, () =>
        HttpResponse.json(specChecked(schemaRef("GatewayListResponse"), gatewayList())),
      ),
    );
    const gateways = await msp().gateways.list({ country: "BE" });
    expect(gateways.map((g) => g.id)).toContain("KBC");
    expect(sent[0]?.url.search).toBe("?country=BE");
  });
});

describe("errors are values to branch on, whatever comes back", () => {
  const answer = (response: () => Response | Promise<Response>) =>
    server.use(http.post(`${TEST_BASE}/orders`, response));

  it("reads success:false even with HTTP 200", async () => {
    answer(() => HttpResponse.json(errorBody("ErrorGatewayUnavailable")));
    expect(await caught(msp().orders.create(redirectOrder()))).toMatchObject({
      code: "api_error",
      status: 200,
      errorCode: 1023,
    });
  });

  it("accepts data: [] in an error envelope", async () => {
    answer(() => HttpResponse.json(errorBody("ErrorSiteBlocked"), { status: 404 }));
    expect(await caught(msp().orders.create(redirectOrder()))).toMatchObject({ code: "api_error", errorCode: 1019 });
  });

  it("reports a refused key as an authentication error", async () => {
    answer(() => HttpResponse.json(errorBody("ErrorInvalidApiKey"), { status: 401 }));
    const error = await caught(msp().orders.create(redirectOrder()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "authentication_error", status: 401, errorCode: 1032 });
  });

  it.each([
    [
      "an HTML error page",
      () =>
        new HttpResponse("<html><body>502 Bad Gateway</body></html>", {
          status: 502,
          headers: { "content-type": "text/html" },
        }),
      502,
    ],
    ["an empty body", () => new HttpResponse(null, { status: 200 }), 200],
    [
      "truncated JSON",
      () => new HttpResponse('{"success":true,"data":{"order_id":"a","payment_', { status: 200 }),
      200,
    ],
    ["JSON that is not an envelope", () => HttpResponse.json([1, 2, 3]), 200],
    ["success without a payment_url", () => HttpResponse.json({ success: true, data: {} }), 200],
  ])("reports %s as invalid_response with the status", async (_name, response, status) => {
    answer(response);
    expect(await caught(msp().orders.create(redirectOrder()))).toMatchObject({ code: "invalid_response", status });
  });

  it("reports a failed connection after retrying it", async () => {
    answer(() => HttpResponse.error());
    const client = createMultiSafepay({ apiKey: API_KEY, environment: "test", maxRetries: 1 });
    expect(await caught(client.orders.create(redirectOrder()))).toMatchObject({ code: "connection_error" });
    expect(sent).toHaveLength(2);
  });

  it("times out", async () => {
    answer(async () => {
      await delay("infinite");
      return HttpResponse.json({});
    });
    const error = await caught(msp().orders.create(redirectOrder(), { timeoutMs: 50, maxRetries: 0 }));
    expect(error).toMatchObject({ code: "timeout_error", timeoutMs: 50 });
  });

  it("stops at once when the caller aborts", async () => {
    answer(async () => {
      await delay("infinite");
      return HttpResponse.json({});
    });
    const controller = new AbortController();
    const pending = caught(msp().orders.create(redirectOrder(), { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ code: "request_aborted" });
    expect(sent).toHaveLength(1);
  });
});

describe("the API key stays secret", () => {
  it("never appears in a URL, an error message, JSON or inspect output", async () => {
    server.use(
      http.post(`${TEST_BASE}/orders`, () => HttpResponse.json(errorBody("ErrorInvalidApiKey"), { status: 401 })),
    );
    const client = msp();
    const error = await caught(client.orders.create(redirectOrder()));
    expect(sent[0]?.url.href).not.toContain(API_KEY);
    for (const text of [
      error.message,
      error.stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      inspect(client, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(API_KEY);
    }
  });

  it("is not echoed when it is refused at construction", () => {
    try {
      createMultiSafepay({ apiKey: "abc", environment: "test" });
      throw new Error("expected a ValidationError");
    } catch (error) {
      expect((error as MultiSafepayError).code).toBe("validation_error");
      expect(JSON.stringify(error)).not.toContain('"abc"');
    }
  });
});

describe("construction", () => {
  it("never defaults to an environment", () => {
    expect(() => createMultiSafepay({ apiKey: API_KEY } as never)).toThrow(/environment.*is required/);
    expect(() => createMultiSafepay({ apiKey: API_KEY, environment: "prod" as never })).toThrow(/"test", "live"/);
    expect(() => createMultiSafepay({ apiKey: API_KEY, environment: "test", baseUrl: TEST_BASE })).toThrow(/not both/);
    expect(createMultiSafepay({ apiKey: API_KEY, environment: "live" }).baseUrl).toBe(LIVE_BASE);
  });

  it("refuses to start in a browser unless told to", () => {
    const g = globalThis as Record<string, unknown>;
    g.window = {};
    g.document = {};
    try {
      expect(() => msp()).toThrow(/dangerouslyAllowBrowser/);
      expect(
        createMultiSafepay({ apiKey: API_KEY, environment: "test", dangerouslyAllowBrowser: true }).environment,
      ).toBe("test");
    } finally {
      delete g.window;
      delete g.document;
    }
  });

  it("checks numeric options", () => {
    expect(() => createMultiSafepay({ apiKey: API_KEY, environment: "test", timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createMultiSafepay({ apiKey: API_KEY, environment: "test", maxRetries: -1 })).toThrow(/maxRetries/);
  });
});
