// msp.api: the typed openapi-fetch client over the same pipeline: exact ids, the same typed errors.
import { describe, expect, it } from "vitest";
import { caught } from "./helpers/caught.js";
import { createMultiSafepay } from "./helpers/client.js";
import { API_KEY, TEST_BASE } from "./helpers/orders.js";
import { isMultiSafepayError } from "../src/index.js";

const answering = (body: string, status = 200, contentType = "application/json") => {
  const sent: Request[] = [];
  const msp = createMultiSafepay({
    apiKey: API_KEY,
    environment: "test",
    maxRetries: 0,
    fetch: async (request) => (
      sent.push(request), new Response(body, { status, headers: { "content-type": contentType } })
    ),
  });
  return { msp, sent };
};

describe("msp.api", () => {
  it("keeps ids beyond 2^53 exact", async () => {
    const { msp, sent } = answering('{"success":true,"data":{"order_id":"a","transaction_id":9007199254740993}}');
    const { data } = await msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "a" } } });
    expect(data?.data.transaction_id).toBe("9007199254740993");
    expect(sent[0]!.url).toBe(`${TEST_BASE}/orders/a`);
    expect(sent[0]!.headers.get("api_key")).toBe(API_KEY);
  });

  it("rejects with errors isMultiSafepayError recognises, and nothing else is one", async () => {
    const error = await caught(answering("<html>", 502, "text/html").msp.api.GET("/gateways", {}));
    expect(isMultiSafepayError(error)).toBe(true);
    expect(isMultiSafepayError(new Error("x"))).toBe(false);
    expect(isMultiSafepayError(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(false);
    expect(isMultiSafepayError({ code: "api_error" })).toBe(false);
  });

  it("rejects with the same typed errors as the resource methods", async () => {
    const notFound = '{"success":false,"data":{},"error_code":1006,"error_info":"Invalid transaction ID"}';
    expect(
      await caught(answering(notFound, 404).msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "a" } } })),
    ).toMatchObject({ code: "api_error", status: 404, errorCode: 1006 });
    // MultiSafepay's error envelope with HTTP 200 is an error too.
    expect(await caught(answering(notFound, 200).msp.api.GET("/gateways", {}))).toMatchObject({
      code: "api_error",
      status: 200,
      errorCode: 1006,
    });
    expect(await caught(answering("<html>502</html>", 502, "text/html").msp.api.GET("/gateways", {}))).toMatchObject({
      code: "invalid_response",
      status: 502,
    });
    expect(await caught(answering('{"success":true,"da', 200).msp.api.GET("/gateways", {}))).toMatchObject({
      code: "invalid_response",
    });
  });
});

describe("msp.api gets every protection the resource methods have", () => {
  const order = {
    type: "redirect",
    order_id: "api-1",
    gateway: "KBC",
    currency: "EUR",
    amount: 1000,
    description: "via msp.api",
  } as const;

  it("refuses an unsafe payment_url on a create", async () => {
    const { msp } = answering('{"success":true,"data":{"order_id":"api-1","payment_url":"javascript:alert(1)"}}');
    expect(await caught(msp.api.POST("/orders", { body: order }))).toMatchObject({ code: "invalid_response" });
  });

  it("recovers its own order after a lost create answer, as orders.create does", async () => {
    const replies = [
      () => Promise.reject(new TypeError("fetch failed")),
      () =>
        Promise.resolve(
          new Response('{"success":false,"data":{},"error_code":1006,"error_info":"Invalid transaction ID"}', {
            status: 404,
          }),
        ),
      () =>
        Promise.resolve(
          Response.json({
            success: true,
            data: {
              ...order,
              type: undefined,
              status: "initialized",
              payment_details: { type: "KBC" },
              payment_url: "https://www.kbc.be/x",
            },
          }),
        ),
    ];
    const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch: () => replies.shift()!() });
    const { data } = await msp.api.POST("/orders", { body: { ...order, type: "direct" } });
    expect(data?.data).toMatchObject({ order_id: "api-1", payment_url: "https://www.kbc.be/x" });
  });

  it('refuses "." and ".." in any path parameter before sending', async () => {
    const { msp, sent } = answering("{}");
    const cancelRefund = msp.api.PATCH("/orders/{order_id}/refunds/{refund_id}", {
      params: { path: { order_id: "o1", refund_id: ".." } },
      body: { status: "void" },
    });
    expect(await caught(cancelRefund)).toMatchObject({ code: "validation_error", issues: [{ path: "/refund_id" }] });
    expect(await caught(msp.api.GET("/orders/{order_id}", { params: { path: { order_id: "." } } }))).toMatchObject({
      code: "validation_error",
    });
    expect(sent).toEqual([]);
  });

  it("keeps the key out of an echoed error page", async () => {
    const { msp } = answering(`<html>bad gateway; your headers: api_key=${API_KEY}</html>`, 502, "text/html");
    const error = await caught(msp.api.GET("/gateways", {}));
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(JSON.stringify(error)).toContain("[api_key]");
  });
});
