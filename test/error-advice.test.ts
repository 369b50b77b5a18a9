// Errors that say what to do: the client names what MultiSafepay's terse texts leave out (the order_id, the
// environment and host, how to send cents), and MultiSafepay's own text stays on `errorInfo`. Over both
// transports: MultiSafepay's test and live hosts through msw, a loopback server as a custom baseUrl.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpResponse, http, passthrough } from "msw";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS, isMultiSafepayError } from "../src/index.js";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay } from "./helpers/client.js";
import { loopback } from "./helpers/loopback.js";
import { useMswServer } from "./helpers/msw.js";
import { API_KEY, redirectOrder } from "./helpers/orders.js";

const { server } = useMswServer();
/** msw lets loopback requests (the custom baseUrl cases) through to the real sockets. */
const toLoopback = () => server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
const hostOf = (environment: keyof typeof ENVIRONMENTS) => new URL(ENVIRONMENTS[environment]).host;
const refusal = (errorCode: number, errorInfo: string, status: number) =>
  HttpResponse.json({ success: false, data: {}, error_code: errorCode, error_info: errorInfo }, { status });

/** The error's own texts, as a log line or an error tracker would show them: none may carry the key. */
function keyFree(error: unknown): void {
  for (const text of [String(error), JSON.stringify(error), (error as Error).message])
    expect(text).not.toContain(API_KEY);
}

describe("1006 on create names the order_id", () => {
  it("says the order_id is already used on this website, with MultiSafepay's text kept on errorInfo", async () => {
    server.use(http.post(`${ENVIRONMENTS.test}/orders`, () => refusal(1006, "Invalid transaction ID", 404)));
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test" });
    const order = { ...redirectOrder(), order_id: "shop-2026-0042" };
    const error = await caught(msp.orders.create(order));
    expect(error).toMatchObject({
      code: "api_error",
      status: 404,
      errorCode: 1006,
      errorInfo: "Invalid transaction ID",
    });
    expect(error.message).toContain('order_id "shop-2026-0042" is already used on this website');
    expect(error.message).toContain('orders.get("shop-2026-0042")');
    // MultiSafepay's words follow, so a search for them in the logs still finds the error.
    expect(error.message).toMatch(/\(MultiSafepay answered error 1006, HTTP 404: Invalid transaction ID\)$/);
    keyFree(error);
  });

  it("says the same through msp.api", async () => {
    server.use(http.post(`${ENVIRONMENTS.test}/orders`, () => refusal(1006, "Invalid transaction ID", 404)));
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test" });
    const error = await caught(msp.api.POST("/orders", { body: { ...redirectOrder(), order_id: 4711 } }));
    expect(error).toMatchObject({ code: "api_error", errorCode: 1006, errorInfo: "Invalid transaction ID" });
    expect(error.message).toContain('order_id "4711" is already used on this website');
  });

  it("on reading an order says there is none, naming the environment and host", async () => {
    server.use(http.get(`${ENVIRONMENTS.live}/orders/:id`, () => refusal(1006, "Invalid transaction ID", 404)));
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "live" });
    const error = await caught(msp.orders.get("a b/c"));
    expect(error).toMatchObject({ code: "api_error", errorCode: 1006, errorInfo: "Invalid transaction ID" });
    expect(error.message).toContain(
      `No order "a b/c" on this website in MultiSafepay's live environment (${hostOf("live")})`,
    );
  });

  it("leaves other 1006s and other codes in MultiSafepay's words", async () => {
    server.use(
      http.post(`${ENVIRONMENTS.test}/orders/:id/refunds`, () => refusal(1006, "Invalid transaction ID", 404)),
      http.get(`${ENVIRONMENTS.test}/gateways`, () => refusal(1023, "No gateway", 404)),
    );
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test" });
    const refund = await caught(msp.refunds.create("o-1", { currency: "EUR", amount: 100 }));
    expect(refund.message).toBe("MultiSafepay error 1006 (HTTP 404): Invalid transaction ID");
    const gateways = await caught(msp.gateways.list());
    expect(gateways.message).toBe("MultiSafepay error 1023 (HTTP 404): No gateway");
  });
});

describe("a refused key names the environment and host", () => {
  it.each([
    ["live", "a test key on live?", 'environment: "test"'],
    ["test", "a live key on test?", 'environment: "live"'],
  ] as const)("on %s", async (environment, hint, other) => {
    server.use(http.get(`${ENVIRONMENTS[environment]}/gateways`, () => refusal(1032, "Invalid API key", 401)));
    const msp = createMultiSafepay({ apiKey: API_KEY, environment });
    const error = await caught(msp.gateways.list());
    expect(error).toMatchObject({
      code: "authentication_error",
      status: 401,
      errorCode: 1032,
      errorInfo: "Invalid API key",
    });
    expect(error.message).toContain(
      `MultiSafepay's ${environment} environment (${hostOf(environment)}) refused the API key: ${hint}`,
    );
    expect(error.message).toContain(other);
    expect(error.message).toContain("Invalid API key");
    keyFree(error);
  });

  it("on a custom baseUrl, names its host", async () => {
    toLoopback();
    const { base, origin } = await loopback((_req, res) => {
      res.writeHead(403, { "content-type": "application/json" });
      res.end('{"success":false,"data":{},"error_code":1032,"error_info":"Invalid API key"}');
    });
    const msp = createMultiSafepay({ apiKey: API_KEY, baseUrl: base });
    const error = await caught(msp.orders.get("o-1"));
    expect(error).toMatchObject({ code: "authentication_error", errorInfo: "Invalid API key" });
    expect(error.message).toContain(`The server at ${new URL(origin).host} (your baseUrl) refused the API key`);
    keyFree(error);
    await msp.close();
  });

  it("on a refund, a definite refusal (not outcome_unknown), with the same advice", async () => {
    server.use(http.post(`${ENVIRONMENTS.live}/orders/:id/refunds`, () => refusal(1032, "Invalid API key", 401)));
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "live" });
    const error = await caught(msp.refunds.create("o-1", { currency: "EUR", amount: 100 }));
    expect(error.code).toBe("authentication_error");
    expect(error.message).toContain("a test key on live?");
  });
});

describe("a connection error names the host", () => {
  it("a refused connection to a custom baseUrl", async () => {
    toLoopback();
    // A port nothing listens on: listen, note it, close.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const msp = createMultiSafepay({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}/v1/json`, maxRetries: 0 });
    const error = await caught(msp.gateways.list());
    expect(error.code).toBe("connection_error");
    expect(error.message).toBe(
      `Could not reach the server at 127.0.0.1:${port} (your baseUrl) (ECONNREFUSED): is it running, and is the baseUrl right?`,
    );
    keyFree(error);
    await msp.close();
  });

  it("MultiSafepay's environments by name and host", async () => {
    for (const environment of ["test", "live"] as const) {
      // A lookup failure as a fetch reports it: nothing leaves the machine.
      const fetch = () =>
        Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } }));
      const msp = createMultiSafepay({ apiKey: API_KEY, environment, fetch, maxRetries: 0 });
      const error = await caught(msp.orders.get("o-1"));
      expect(isMultiSafepayError(error) && error.code).toBe("connection_error");
      expect(error.message).toBe(
        `Could not reach MultiSafepay's ${environment} environment (${hostOf(environment)}) (ENOTFOUND): check the network, DNS and any proxy or firewall between this process and it`,
      );
    }
  });

  it("a timeout names who did not answer", async () => {
    toLoopback();
    // Never answers: the attempt's own timeout ends it.
    const { base, origin } = await loopback(() => {});
    const msp = createMultiSafepay({ apiKey: API_KEY, baseUrl: base, timeoutMs: 50, maxRetries: 0 });
    const error = await caught(msp.gateways.list());
    expect(error).toMatchObject({ code: "timeout_error", timeoutMs: 50 });
    expect(error.message).toBe(`The server at ${new URL(origin).host} (your baseUrl) did not answer within 50 ms`);
    await msp.close();
  });

  it("without a system code, still the host", async () => {
    const msp = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: () => Promise.reject(new TypeError("fetch failed")),
      maxRetries: 0,
    });
    expect((await caught(msp.orders.get("o-1"))).message).toBe(
      `Could not reach MultiSafepay's test environment (${hostOf("test")}): check the network, DNS and any proxy or firewall between this process and it`,
    );
  });
});

describe("an amount that is not integer cents says how to send it", () => {
  const msp = () => createMultiSafepay({ apiKey: API_KEY, environment: "test" });
  const CENTS = "must be integer cents: for €24.50 send 2450";

  it.each([24.5, "24.50", "2450"])("an order's amount %j", async (amount) => {
    const error = await caught(msp().orders.create({ ...redirectOrder(), amount } as never));
    expect(error).toMatchObject({ code: "validation_error", issues: [{ path: "/amount", message: CENTS }] });
    expect(error.message).toContain("/amount must be integer cents: for €24.50 send 2450");
  });

  it("a refund's amount, through the resource and msp.api", async () => {
    const refund = await caught(msp().refunds.create("o-1", { currency: "EUR", amount: 9.99 }));
    expect(refund).toMatchObject({ issues: [{ path: "/amount", message: CENTS }] });
    const api = await caught(
      msp().api.POST("/orders/{order_id}/refunds", {
        params: { path: { order_id: "o-1" } },
        body: { currency: "EUR", amount: 9.99 },
      }),
    );
    expect(api).toMatchObject({ code: "validation_error", issues: [{ path: "/amount", message: CENTS }] });
  });

  it("the other cents fields, and not the one in euros", async () => {
    const order = {
      ...redirectOrder(),
      affiliate: { split_payments: [{ merchant: "m-1", fixed: 24.5 }] },
      shopping_cart: { items: [{ name: "x", unit_price: 24.5, quantity: 1.5 }] },
    };
    const error = await caught(msp().orders.create(order as never));
    expect((error as unknown as { issues: unknown[] }).issues).toEqual(
      expect.arrayContaining([
        { path: "/affiliate/split_payments/0/fixed", message: CENTS },
        { path: "/shopping_cart/items/0/quantity", message: "must be integer" },
      ]),
    );
    // unit_price is decimal euros: 24.5 is fine there.
    expect(JSON.stringify(error)).not.toContain("unit_price");
  });
});
