// Conformance: the client against two independent implementations of the spec (our mock, and Prism started
// from generated/openapi.json), and property-based agreement between the client's validator, the mock,
// Prism and Ajv on the bundled spec.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay } from "./helpers/client.js";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { arbitraryFor, mutation, validOrder } from "./helpers/arbitraries.js";
import { bin } from "./helpers/consumer.js";
import { acknowledgeNotifications, directOrder, redirectOrder } from "./helpers/orders.js";
import { schemaRef, spec, specPath, validateAt, validateGuardAt } from "./helpers/spec.js";

const KEY = "conformance-key-1";
let prism: ChildProcess;
let prismBase: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  prismBase = `http://127.0.0.1:${port}`;
  prism = spawn(bin("prism"), ["mock", "-h", "127.0.0.1", "-p", String(port), specPath], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${prismBase}/gateways`, { headers: { api_key: KEY } }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("Prism did not start");
}, 30_000);

afterAll(() => {
  prism?.kill();
});

/** The client against Prism; `prefer` picks Prism's answer (an example name or a status code). */
const prismClient = (prefer?: string) =>
  createMultiSafepay({
    apiKey: KEY,
    baseUrl: prismBase,
    maxRetries: 0,
    fetch: (request) => {
      if (prefer) request.headers.set("prefer", prefer);
      return fetch(request);
    },
  });

describe.each([
  [
    "the mock",
    () => {
      const mock = createMultiSafepayMock({ apiKey: KEY, fetch: acknowledgeNotifications });
      const client = createMultiSafepay({ apiKey: KEY, environment: "test", fetch: mock.fetch });
      return { redirect: client, direct: client, plain: client };
    },
  ],
  [
    "Prism",
    () => ({
      redirect: prismClient("example=kbcRedirect"),
      direct: prismClient("example=kbcDirect"),
      plain: prismClient(),
    }),
  ],
])("both flows against %s", (_name, make) => {
  it("creates a redirect and a direct order, and reads one back", async () => {
    const { redirect, direct, plain } = make();
    const r = await redirect.orders.create(redirectOrder());
    expect(r.payment_url).toMatch(/^https:\/\/testpayv2\.multisafepay\.com\/connect\//);
    expect(validateAt(schemaRef("RedirectOrderCreated"), r).valid).toBe(true);
    const d = await direct.orders.create(directOrder());
    expect(d.payment_url).toMatch(/^https:\/\/www\.kbc\.be\//);
    expect(validateAt(schemaRef("DirectOrderCreated"), d).valid).toBe(true);
    expect((await plain.orders.get(String(d.order_id))).order_id).toBe(d.order_id);
    expect((await plain.gateways.list()).length).toBeGreaterThan(0);
  });
});

describe("documented errors from Prism reach the caller as typed errors", () => {
  it.each([
    ["code=401", { code: "authentication_error", status: 401, errorCode: 1032 }],
    ["code=404", { code: "api_error", status: 404, errorCode: 1006 }],
    ["code=400", { code: "api_error", status: 400, errorCode: 1001 }],
    ["code=500", { code: "api_error", status: 500, errorCode: 9999 }],
  ])("Prefer %s", async (prefer, expected) => {
    expect(await caught(prismClient(prefer).orders.create(redirectOrder()))).toMatchObject(expected);
  });

  it("a request without the api_key header is refused by Prism's security check", async () => {
    const response = await fetch(`${prismBase}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(redirectOrder()),
    });
    expect(response.status).toBe(401);
  });
});

describe("property: valid orders are accepted everywhere", () => {
  it("by the client's validator, the mock and Prism", async () => {
    const mock = createMultiSafepayMock({ apiKey: KEY, fetch: acknowledgeNotifications });
    const viaMock = createMultiSafepay({ apiKey: KEY, environment: "test", fetch: mock.fetch, maxRetries: 0 });
    const viaPrism = prismClient();
    await fc.assert(
      fc.asyncProperty(validOrder(), async (order) => {
        expect(validateAt(schemaRef("OrderRequest"), order).errors).toEqual([]);
        mock.reset();
        await expect(viaMock.orders.create(order as never)).resolves.toMatchObject({ payment_url: expect.any(String) });
        const response = await viaPrism.api.POST("/orders", { body: order as never, parseAs: "text" });
        expect(response.response.status).toBe(200);
      }),
      { numRuns: 60 },
    );
  });
});

describe("property: invalid orders are refused before sending", () => {
  it("with the verdict of the client's guard; sent anyway, the mock and Prism give the spec's (MultiSafepay's) verdict", async () => {
    const mock = createMultiSafepayMock({ apiKey: KEY, fetch: acknowledgeNotifications });
    const sent = vi.fn(mock.fetch);
    const client = createMultiSafepay({ apiKey: KEY, environment: "test", fetch: sent, maxRetries: 0 });
    await fc.assert(
      fc.asyncProperty(validOrder(), mutation, async (order, [, mutate]) => {
        const bad = mutate(order);
        expect(validateGuardAt(schemaRef("OrderRequest"), bad).valid).toBe(false);
        expect(await caught(client.orders.create(bad as never))).toMatchObject({ code: "validation_error" });
        expect(sent).not.toHaveBeenCalled();
        // Sent anyway (bypassing the client's check): MultiSafepay's layer decides. A misspelt field is ignored
        // there, not refused; everything else is refused by both servers.
        const acceptedBySpec = validateAt(schemaRef("OrderRequest"), bad).valid;
        mock.reset();
        const fromMock = await mock.fetch(
          new Request("https://testapi.multisafepay.com/v1/json/orders", {
            method: "POST",
            headers: { api_key: KEY },
            body: JSON.stringify(bad),
          }),
        );
        // The sandbox files a refusal under 404, as MultiSafepay's spec does; Prism plays the contract's 400.
        expect(fromMock.status).toBe(acceptedBySpec ? 200 : 404);
        const fromPrism = await fetch(`${prismBase}/orders`, {
          method: "POST",
          headers: { api_key: KEY, "content-type": "application/json" },
          body: JSON.stringify(bad),
        });
        expect(fromPrism.status).toBe(acceptedBySpec ? 200 : 400);
        await fromPrism.body?.cancel();
      }),
      { numRuns: 60 },
    );
  });
});

describe("reconciliation operations against the mock and Prism", () => {
  const mock = createMultiSafepayMock({ apiKey: KEY, fetch: acknowledgeNotifications });
  const servers: [name: string, send: (path: string) => Promise<Response>][] = [
    [
      "the mock",
      (path) =>
        mock.fetch(new Request(`https://testapi.multisafepay.com/v1/json${path}`, { headers: { api_key: KEY } })),
    ],
    ["Prism", (path) => fetch(`${prismBase}${path}`, { headers: { api_key: KEY } })],
  ];

  it.each(servers)("%s answers each new operation with its documented schema", async (_name, send) => {
    const cases: [path: string, schema: string][] = [
      [
        "/transactions?limit=2&payment_method=KBC&status=completed&completed_from=2026-11-24&completed_until=2026-11-25",
        "TransactionListResponse",
      ],
      ["/transactions", "TransactionListResponse"],
      [
        "/payment-methods?country=BE&currency=EUR&amount=1000&include_coupons=false&group_cards=true",
        "PaymentMethodListResponse",
      ],
      ["/payment-methods/KBC", "PaymentMethodResponse"],
    ];
    for (const [path, schema] of cases) {
      const response = await send(path);
      expect(response.status, path).toBe(200);
      expect(validateAt(schemaRef(schema), await response.json()).errors, path).toEqual([]);
    }
  });

  it.each(servers)("%s refuses a limit outside 1–1000 and a malformed cursor or filter", async (_name, send) => {
    for (const path of [
      "/transactions?limit=0",
      "/transactions?limit=1001",
      "/transactions?after=not%20a%20cursor",
      "/transactions?created_from=yesterday",
      "/payment-methods?amount=0",
      "/payment-methods?country=be",
    ]) {
      const response = await send(path);
      expect(response.status, path).toBe(400);
      await response.body?.cancel();
    }
  });
});

describe("refunds and cancellation: Prism and the mock follow the same contract", () => {
  const OPERATIONS = [
    ["POST", "/orders/my-order-id-1/refunds", "RefundRequest"],
    ["PATCH", "/orders/my-order-id-1/refunds/3326969", "CancelRefundRequest"],
    ["PATCH", "/orders/my-order-id-1", "CancelOrderRequest"],
  ] as const;
  const send = (base: string, method: string, path: string, body: unknown, prefer?: string) =>
    fetch(`${base}${path}`, {
      method,
      headers: { api_key: KEY, "content-type": "application/json", ...(prefer ? { prefer } : {}) },
      body: JSON.stringify(body),
    });

  it.each(OPERATIONS)(
    "%s %s: Prism accepts bodies generated from the schema and answers as documented",
    async (method, path, schema) => {
      await fc.assert(
        fc.asyncProperty(arbitraryFor(spec.components.schemas[schema]), async (body) => {
          const response = await send(prismBase, method, path, body);
          expect(response.status).toBe(200);
          const answer = await response.json();
          const pointer = method === "POST" ? schemaRef("RefundResponse") : schemaRef("EmptyResponse");
          expect(validateAt(pointer, answer).errors).toEqual([]);
        }),
        { numRuns: 15 },
      );
    },
  );

  it.each([
    ["a refund without currency", "POST", "/orders/a/refunds", { amount: 100 }],
    ["a refund in another currency", "POST", "/orders/a/refunds", { currency: "USD", amount: 100 }],
    ["a refund cancelled with another status", "PATCH", "/orders/a/refunds/1", { status: "cancelled" }],
    ["an order shipped (not modelled)", "PATCH", "/orders/a", { status: "shipped", exclude_order: true }],
  ])("both refuse %s with 400", async (_name, method, path, body) => {
    const mock = createMultiSafepayMock({ apiKey: KEY, fetch: acknowledgeNotifications });
    await mock.fetch(
      new Request("https://testapi.multisafepay.com/v1/json/orders", {
        method: "POST",
        headers: { api_key: KEY },
        body: JSON.stringify({ ...redirectOrder(), order_id: "a" }),
      }),
    );
    await mock.pay("a", { status: "completed" });
    const refunded = await mock.fetch(
      new Request("https://testapi.multisafepay.com/v1/json/orders/a/refunds", {
        method: "POST",
        headers: { api_key: KEY },
        body: JSON.stringify({ currency: "EUR", amount: 1 }),
      }),
    );
    const refundId = ((await refunded.json()) as { data: { refund_id: number } }).data.refund_id;
    // An existing order and refund, so the mock's answer is about the body (it checks state after the body).
    const mockPath = path.replace("/refunds/1", `/refunds/${refundId}`);
    const fromMock = await mock.fetch(
      new Request(`https://testapi.multisafepay.com/v1/json${mockPath}`, {
        method,
        headers: { api_key: KEY },
        body: JSON.stringify(body),
      }),
    );
    expect(fromMock.status).toBe(400);
    const fromPrism = await send(prismBase, method, path, body);
    expect(fromPrism.status).toBe(400);
    await fromPrism.body?.cancel();
  });

  it.each([
    ["POST", "/orders/a/refunds", "404", 1034],
    ["PATCH", "/orders/a/refunds/1", "410", 1000],
    ["PATCH", "/orders/a", "410", 1000],
  ])("Prism plays %s %s's documented %s", async (method, path, code, errorCode) => {
    const body =
      method === "POST"
        ? { currency: "EUR", amount: 100 }
        : path.includes("refunds")
          ? { status: "void" }
          : { status: "cancelled", exclude_order: true };
    const response = await send(prismBase, method, path, body, `code=${code}`);
    expect(response.status).toBe(Number(code));
    const answer = await response.json();
    expect(answer).toMatchObject({ success: false, error_code: errorCode });
    expect(validateAt(schemaRef("ErrorResponse"), answer).valid).toBe(true);
  });
});
