// The operation table (generated/operations.js, from the spec) drives the client: every operation of the spec
// has a retry class, a resource method or an `msp.api` route that sends exactly it, and the retry rule and the
// query check read it; the mock routes every operation to a handler of its own (src/mock/operations/).
import { describe, expect, expectTypeOf, it } from "vitest";
import { createMultiSafepay } from "./helpers/client.js";
import { API_KEY, TEST_BASE } from "./helpers/orders.js";
import spec from "../generated/openapi.json" with { type: "json" };
import { matchOperation, OPERATION_LIST, OPERATIONS, type OperationId } from "../src/operations.js";
import { repeatRule } from "../src/retry.js";
import type { Call, Pipeline } from "../src/pipeline.js";
import { HANDLERS } from "../src/mock/operations/index.js";
import { createMultiSafepayMock } from "../src/mock/index.js";
import { idForPath } from "../src/validation.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const specOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => m in item).map((m) => ({
    id: (item as Record<string, { operationId: string }>)[m]!.operationId,
    method: m.toUpperCase(),
    path,
  })),
);

function recording() {
  const sent: Request[] = [];
  const ok = {
    success: true,
    data: {
      order_id: "o-1",
      payment_url: "https://testpayv2.multisafepay.com/connect/x",
      transaction_id: 1,
      refund_id: 2,
    },
  };
  const list = (request: Request) =>
    matchOperation(
      request.method,
      new URL(request.url).pathname.slice(new URL(TEST_BASE).pathname.length),
    )?.operation.id.startsWith("list");
  const answer = (request: Request) => Response.json(list(request) ? { success: true, data: [] } : ok);
  const msp = createMultiSafepay({
    apiKey: API_KEY,
    environment: "test",
    maxRetries: 0,
    fetch: async (request) => (sent.push(request), answer(request)),
  });
  return { msp, sent };
}
type Msp = ReturnType<typeof recording>["msp"];

/** The resource method of each operation that deserves one. Typed by the table: a new operation must be listed. */
const RESOURCES: Record<OperationId, ((msp: Msp) => Promise<unknown>) | "msp.api only"> = {
  createOrder: (msp) =>
    msp.orders.create({
      type: "redirect",
      order_id: "o-1",
      gateway: "KBC",
      currency: "EUR",
      amount: 1000,
      description: "x",
    }),
  getOrder: (msp) => msp.orders.get("o-1"),
  cancelOrder: (msp) => msp.orders.cancel("o-1"),
  refundOrder: (msp) => msp.refunds.create("o-1", { currency: "EUR", amount: 100 }),
  cancelRefund: (msp) => msp.refunds.cancel("o-1", "2"),
  listGateways: (msp) => msp.gateways.list(),
  getGateway: (msp) => msp.gateways.get("KBC"),
  listTransactions: (msp) => msp.transactions.list({ limit: 10 }),
  listPaymentMethods: (msp) => msp.paymentMethods.list({ country: "BE" }),
  getPaymentMethod: (msp) => msp.paymentMethods.get("KBC"),
};

/** A filled-in path of an operation, and a body its validator accepts. */
const sample = (path: string) =>
  path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === "refund_id" ? "2" : "KBC"));
const BODIES: Partial<Record<OperationId, unknown>> = {
  createOrder: { type: "redirect", order_id: "o-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "x" },
  cancelOrder: { status: "cancelled" },
  refundOrder: { currency: "EUR", amount: 100 },
  cancelRefund: { status: "void" },
};

describe("the operation table", () => {
  it("has every operation of the spec, by id, with its method and path template, and no other", () => {
    expect(OPERATION_LIST.map(({ id, method, path }) => ({ id, method, path }))).toEqual(specOperations);
  });

  it.each(OPERATION_LIST.map((o) => [o.id, o] as const))(
    "%s has a retry class, path parameter rules for its template and documented error codes",
    (_id, operation) => {
      expect(["read", "create", "money-moving"]).toContain(operation.retry);
      expect(repeatRule(operation)).toBe(operation.retry);
      expect(operation.pathParams.map((p) => p.name)).toEqual(
        [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
      );
      for (const rule of operation.pathParams)
        expect(rule).toMatchObject({ minLength: 1, maxLength: expect.any(Number), pattern: expect.any(String) });
      expect(Object.keys(operation.errors).length).toBeGreaterThan(0);
      expect("body" in operation).toBe(operation.method !== "GET");
    },
  );

  it("classes reads, the create and the money-moving calls as the spec says", () => {
    const by = (retry: string) =>
      OPERATION_LIST.filter((o) => o.retry === retry)
        .map((o) => o.id)
        .sort();
    expect(by("create")).toEqual(["createOrder"]);
    expect(by("money-moving")).toEqual(["cancelOrder", "cancelRefund", "refundOrder"]);
    expect(by("read")).toEqual(
      OPERATION_LIST.filter((o) => o.method === "GET")
        .map((o) => o.id)
        .sort(),
    );
    expect(OPERATIONS.cancelRefund.pathParams[1]).toMatchObject({ name: "refund_id", pattern: "^[0-9]+$" });
  });

  it.each(OPERATION_LIST.flatMap((o) => o.pathParams.map((rule) => [o.id, rule.name, rule] as const)))(
    "%s %s: the client's id check is the table's rule for it",
    (id, name, rule) => {
      const check = idForPath as (value: unknown, operation: OperationId, field: string) => string;
      expect(check("1".repeat(rule.maxLength), id, name)).toBe("1".repeat(rule.maxLength));
      expect(check(7, id, name)).toBe("7");
      for (const bad of [
        "",
        "1".repeat(rule.maxLength + 1),
        ...(new RegExp(rule.pattern, "u").test("a-1") ? [] : ["a-1"]),
      ]) {
        expect(() => check(bad, id, name), bad).toThrow(
          expect.objectContaining({
            code: "validation_error",
            issues: [expect.objectContaining({ path: `/${name}` })],
          }),
        );
      }
    },
  );

  it.each(Object.entries(RESOURCES))("%s: its resource method sends exactly that operation", async (id, call) => {
    if (call === "msp.api only") return;
    const { msp, sent } = recording();
    await call(msp);
    const request = sent[0]!;
    expect(request.url.startsWith(TEST_BASE)).toBe(true);
    const path = new URL(request.url).pathname.slice(new URL(TEST_BASE).pathname.length);
    expect(matchOperation(request.method, path)?.operation.id).toBe(id);
  });

  it.each(OPERATION_LIST.map((o) => [o.id, o] as const))(
    "%s: msp.api routes it through the same pipeline",
    async (id, operation) => {
      const { msp, sent } = recording();
      const api = msp.api as unknown as Record<string, (path: string, init: object) => Promise<{ error?: unknown }>>;
      const path = sample(operation.path);
      const body = BODIES[id];
      // openapi-fetch fills the template itself: the literal path, with no path parameters, is the same request.
      await api[operation.method]!(path, body === undefined ? {} : { body });
      expect(sent).toHaveLength(1);
      expect(sent[0]!.method).toBe(operation.method);
      expect(new URL(sent[0]!.url).pathname).toBe(`${new URL(TEST_BASE).pathname}${path}`);
    },
  );

  it("gives every operation of the spec a mock handler, and the mock none other", () => {
    expect(Object.keys(HANDLERS).sort()).toEqual(OPERATION_LIST.map((o) => o.id).sort());
    for (const operation of OPERATION_LIST) expect(typeof HANDLERS[operation.id]).toBe("function");
  });

  it.each(OPERATION_LIST.map((o) => [o.id, o] as const))(
    "%s: the mock routes it by the table (a request of its shape is answered by its handler)",
    async (_id, operation) => {
      const mock = createMultiSafepayMock();
      const answer = await mock.fetch(
        new Request(`${TEST_BASE}${sample(operation.path)}`, {
          method: operation.method,
          headers: { api_key: API_KEY, "content-type": "application/json" },
          ...(operation.method === "GET" ? {} : { body: "{}" }),
        }),
      );
      const body = (await answer.json()) as { success: boolean; error_code?: number; error_info?: string };
      // The router's own answer to a request that is no operation is 404 / 1000 "Not found"; a handler's differs.
      expect([answer.status, body.error_code, body.error_info]).not.toEqual([404, 1000, "Not found"]);
      const wrongMethod = await mock.fetch(
        new Request(`${TEST_BASE}${sample(operation.path)}`, { method: "DELETE", headers: { api_key: API_KEY } }),
      );
      expect(await wrongMethod.json()).toMatchObject({ success: false, error_code: 1000, error_info: "Not found" });
    },
  );

  it("types calls by operation id and by the spec's paths: a wrong path or parameter does not compile", () => {
    expectTypeOf<Pipeline["call"]>().toBeFunction();
    const call = (() => {}) as unknown as Pipeline["call"];
    // Compile-time only: these lines are type-checked, never run.
    if (Math.random() > 2) {
      void call("refundOrder", { path: { order_id: "o-1" }, body: { currency: "EUR", amount: 100 } });
      // @ts-expect-error not an operation id
      void call("refundOrders", { path: { order_id: "o-1" } });
      // @ts-expect-error a path parameter the operation does not have
      void call("refundOrder", { path: { refund_id: "o-1" }, body: { currency: "EUR" } });
      // @ts-expect-error the body is the operation's
      void call("refundOrder", { path: { order_id: "o-1" }, body: { currency: "EUR", amout: 1 } });
      // The id check takes the operation's own parameter names (its rule comes from the table).
      void idForPath("2", "cancelRefund", "refund_id");
      // @ts-expect-error getGateway has no order_id
      void idForPath("o-1", "getGateway", "order_id");
      // @ts-expect-error a path template that is not the spec's
      const wrong: Call = { method: "GET", path: "/order/{order_id}" };
      // @ts-expect-error a method the path does not have
      const patchGateways: Call = { method: "PATCH", path: "/gateways" };
      void wrong;
      void patchGateways;
    }
  });
});
