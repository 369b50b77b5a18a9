// Type-level tests for issue 19's public names: .withResponse() keeps each method's data type exactly, `await`
// alone is the data, and msp.on types each event by its name.
import { describe, expectTypeOf, it } from "vitest";
import {
  createMultiSafepay,
  type ApiPromise,
  type DirectOrderCreated,
  type Gateway,
  type Order,
  type RedirectOrderCreated,
  type RefundCreated,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  type TransactionPage,
  type WithResponse,
} from "../src/index.js";
import { instrument } from "../src/otel.js";

const msp = createMultiSafepay({
  apiKey: "key-12345",
  environment: "test",
  logLevel: "debug",
  logger: console,
  appInfo: { name: "my-shop", version: "2.1.0" },
});
const base = { order_id: "o-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "Test" } as const;

describe(".withResponse()", () => {
  it("resolves { data, response, requestId } with each method's own data type", () => {
    expectTypeOf(msp.orders.get("o-1")).toEqualTypeOf<ApiPromise<Order>>();
    expectTypeOf(msp.orders.get("o-1")).resolves.toEqualTypeOf<Order>();
    expectTypeOf(msp.orders.get("o-1").withResponse()).resolves.toEqualTypeOf<WithResponse<Order>>();
    expectTypeOf<WithResponse<Order>>().toEqualTypeOf<{
      data: Order;
      response: { status: number; headers: Headers };
      requestId: string;
    }>();
    expectTypeOf(msp.orders.create({ ...base, type: "redirect" }).withResponse()).resolves.toEqualTypeOf<
      WithResponse<RedirectOrderCreated>
    >();
    expectTypeOf(msp.orders.create({ ...base, type: "direct", manual: false }).withResponse()).resolves.toEqualTypeOf<
      WithResponse<DirectOrderCreated>
    >();
    expectTypeOf(msp.orders.cancel("o-1").withResponse()).resolves.toEqualTypeOf<WithResponse<void>>();
    expectTypeOf(msp.refunds.create("o-1", { currency: "EUR", amount: 100 }).withResponse()).resolves.toEqualTypeOf<
      WithResponse<RefundCreated>
    >();
    expectTypeOf(msp.transactions.list().withResponse()).resolves.toEqualTypeOf<WithResponse<TransactionPage>>();
    expectTypeOf(msp.gateways.list().withResponse()).resolves.toEqualTypeOf<WithResponse<Gateway[]>>();
  });
});

describe("msp.on", () => {
  it("types the event by its name and returns off()", () => {
    expectTypeOf(msp.on("request", (e) => expectTypeOf(e).toEqualTypeOf<RequestEvent>())).toEqualTypeOf<() => void>();
    msp.on("response", (e) => {
      expectTypeOf(e).toEqualTypeOf<ResponseEvent>();
      expectTypeOf(e.status).toEqualTypeOf<number | null>();
    });
    msp.on("retry", (e) => expectTypeOf(e).toEqualTypeOf<RetryEvent>());
    // @ts-expect-error: not an event
    msp.on("answer", () => {});
  });

  it("takes per-call headers, and instrument() takes a client", () => {
    msp.orders.get("o-1", { headers: { traceparent: "00-…" } });
    // @ts-expect-error: header values are strings
    msp.orders.get("o-1", { headers: { "x-n": 1 } });
    expectTypeOf(instrument(msp)).toEqualTypeOf<() => void>();
    // @ts-expect-error: not a log level
    createMultiSafepay({ apiKey: "key-12345", environment: "test", logLevel: "verbose" });
  });
});
