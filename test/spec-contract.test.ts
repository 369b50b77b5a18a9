// The contract's own promises: strict requests, tolerant responses, header-only keys, precise money.
import { describe, expect, it } from "vitest";
import { schemaRef, spec, validateAt } from "./helpers/spec.js";

const redirect = {
  type: "redirect",
  order_id: "order-1",
  gateway: "KBC",
  currency: "EUR",
  amount: 1000,
  description: "Test order",
  payment_options: { notification_url: "https://shop.example/notify", redirect_url: "https://shop.example/ok" },
  customer: { locale: "nl_BE" },
};
const direct = { ...redirect, type: "direct", manual: false };
const order = schemaRef("OrderRequest");

describe("order requests are strict", () => {
  it("accepts a minimal redirect and direct order", () => {
    expect(validateAt(order, redirect).valid).toBe(true);
    expect(validateAt(order, direct).valid).toBe(true);
    expect(validateAt(order, { ...redirect, gateway: "CBC", customer: { locale: "fr_BE" } }).valid).toBe(true);
  });

  it("accepts a payment link, and the whole banking order body", () => {
    const examples: Record<string, any> = { kbcPaymentLink: spec.components.examples.KbcPaymentLinkOrderRequest, kbcRedirectFullBody: spec.components.examples.KbcFullRedirectOrderRequest };
    for (const name of ["kbcPaymentLink", "kbcRedirectFullBody"]) expect(validateAt(order, examples[name].value), name).toEqual({ valid: true, errors: [] });
    expect(validateAt(order, { ...redirect, type: "paymentlink" }).valid).toBe(true);
  });

  it("refuses a misspelt field instead of dropping it", () => {
    expect(validateAt(order, { ...redirect, redirect_ulr: "https://x.example" }).valid).toBe(false);
    expect(validateAt(order, { ...redirect, payment_options: { redirect_ulr: "https://x.example" } }).valid).toBe(false);
    expect(validateAt(order, { ...redirect, customer: { locale: "nl_BE", phone1: "1" } }).valid).toBe(false);
  });

  it.each([
    ["amount 0", { amount: 0 }],
    ["amount in euros", { amount: 10.5 }],
    ["amount as a string", { amount: "1000" }],
    ["another currency", { currency: "USD" }],
    ["another gateway", { gateway: "IDEAL" }],
    ["an empty description", { description: "" }],
    ["a 201-character description", { description: "x".repeat(201) }],
    ["a 51-character order id", { order_id: "x".repeat(51) }],
    ["an unknown flow", { type: "qr" }],
    ["null in an optional field (leave it out instead)", { var1: null }],
    ["unit_price as a string", { shopping_cart: { items: [{ name: "Backpack", unit_price: "16.49", quantity: 1 }] } }],
    ["a misspelt shopping cart field", { shopping_cart: { items: [{ name: "Backpack", unit_prise: 16.49, quantity: 1 }] } }],
    ["a misspelt checkout option", { checkout_options: { validate_chart: true } }],
    ["a misspelt template setting", { payment_options: { template: { settings: { hide_logos: true } } } }],
    ["an unknown recurring model", { recurring: { model: "monthly" } }],
    ["a relative notification URL", { payment_options: { notification_url: "/notify" } }],
    ["an unknown locale", { customer: { locale: "xx_XX" } }],
    ["second_chance.send_mail (the official spec's typo)", { second_chance: { send_mail: true } }],
    ["manual on a redirect order", { manual: false }],
  ])("refuses %s", (_name, change) => {
    expect(validateAt(order, { ...redirect, ...change }).valid).toBe(false);
  });

  it("requires the fields MultiSafepay requires", () => {
    for (const field of ["order_id", "gateway", "currency", "amount", "description", "type"]) {
      const { [field]: _, ...rest } = redirect as Record<string, unknown>;
      expect(validateAt(order, rest).valid, field).toBe(false);
    }
  });
});

describe("refund and cancel requests are strict", () => {
  const refund = schemaRef("RefundRequest");
  it("accepts a full refund (no amount), a partial one and an empty description", () => {
    expect(validateAt(refund, { currency: "EUR" }).valid).toBe(true);
    expect(validateAt(refund, { currency: "EUR", amount: 1, description: "", refund_order_id: "r-1", var1: "x" }).valid).toBe(true);
  });

  it.each([
    ["amount 0 (MultiSafepay would refund everything)", { currency: "EUR", amount: 0 }],
    ["amount in euros", { currency: "EUR", amount: 5.5 }],
    ["amount as a string", { currency: "EUR", amount: "500" }],
    ["no currency", { amount: 500 }],
    ["another currency", { currency: "USD", amount: 500 }],
    ["a 51-character refund_order_id", { currency: "EUR", refund_order_id: "x".repeat(51) }],
    ["a misspelt field", { currency: "EUR", ammount: 500 }],
    ["the BNPL form", { currency: "EUR", checkout_data: { items: [] } }],
  ])("refuses a refund with %s", (_name, body) => {
    expect(validateAt(refund, body).valid).toBe(false);
  });

  it("cancels a refund with status void only, and an order with status cancelled and exclude_order true only", () => {
    expect(validateAt(schemaRef("CancelRefundRequest"), { status: "void", description: "mistake" }).valid).toBe(true);
    expect(validateAt(schemaRef("CancelRefundRequest"), { status: "cancelled" }).valid).toBe(false);
    expect(validateAt(schemaRef("CancelRefundRequest"), { status: "void", reason: "x" }).valid).toBe(false);
    expect(validateAt(schemaRef("CancelOrderRequest"), { status: "cancelled", exclude_order: true }).valid).toBe(true);
    expect(validateAt(schemaRef("CancelOrderRequest"), { status: "cancelled" }).valid).toBe(false);
    expect(validateAt(schemaRef("CancelOrderRequest"), { status: "shipped", exclude_order: true }).valid).toBe(false);
  });
});

describe("responses are tolerant", () => {
  it("accepts unknown fields, unknown statuses and nulls in an order", () => {
    const value = { transaction_id: 1, order_id: "a", status: "some_new_status", financial_status: null, brand_new: { x: 1 }, customer: null };
    expect(validateAt(schemaRef("Order"), value).valid).toBe(true);
  });

  it("keeps a redirect answer apart from a direct one", () => {
    const redirectAnswer = { order_id: "a", payment_url: "https://testpayv2.multisafepay.com/connect/x", session_id: "x" };
    expect(validateAt(schemaRef("CreateOrderResponse"), { success: true, data: redirectAnswer }).valid).toBe(true);
    const directAnswer = { ...redirectAnswer, transaction_id: 5, status: "initialized" };
    expect(validateAt(schemaRef("RedirectOrderCreated"), directAnswer).valid).toBe(false);
    expect(validateAt(schemaRef("CreateOrderResponse"), { success: true, data: directAnswer }).valid).toBe(true);
  });

  it("accepts both forms of the refund answer, and an update answer whose data is {} or []", () => {
    for (const data of [{ transaction_id: 1, refund_id: 2 }, { order_id: "a", transaction_id: 3 }, { refund_id: "17472052901237122", extra: true }, {}]) {
      expect(validateAt(schemaRef("RefundResponse"), { success: true, data }).valid).toBe(true);
    }
    for (const data of [{}, []]) expect(validateAt(schemaRef("EmptyResponse"), { success: true, data }).valid).toBe(true);
  });

  it("accepts an error envelope whose data is {} or []", () => {
    for (const data of [{}, []]) {
      expect(validateAt(schemaRef("ErrorResponse"), { success: false, data, error_code: 1006, error_info: "Invalid transaction ID" }).valid).toBe(true);
    }
  });
});

describe("the contract's shape", () => {
  it("lists the test and the live server", () => {
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual([
      "https://testapi.multisafepay.com/v1/json",
      "https://api.multisafepay.com/v1/json",
    ]);
  });

  it("sends the API key in the api_key header only", () => {
    expect(Object.values(spec.components.securitySchemes)).toEqual([expect.objectContaining({ type: "apiKey", in: "header", name: "api_key" })]);
    expect(JSON.stringify(spec)).not.toMatch(/"in":\s*"query",\s*"name":\s*"api_key"/);
  });

  it("discriminates the request body on type with a mapping", () => {
    const schema = spec.components.schemas.OrderRequest;
    expect(schema.discriminator).toEqual({
      propertyName: "type",
      mapping: { redirect: schemaRef("RedirectOrderRequest"), direct: schemaRef("DirectOrderRequest"), paymentlink: schemaRef("PaymentLinkOrderRequest") },
    });
  });

  it("documents costs in decimal euros and transaction ids beyond 2^53", () => {
    expect(spec.components.schemas.Cost.properties.amount.description).toMatch(/decimal euros/);
    expect(spec.components.schemas.TransactionId.description).toMatch(/2\^53/);
    expect(validateAt(schemaRef("Cost"), { amount: 0.44 }).valid).toBe(true);
  });
});

describe("what the code branches on comes from the spec", () => {
  it("names every error code in the ErrorResponse table, and only those", () => {
    const { description, properties } = spec.components.schemas.ErrorResponse;
    const tabled = [...description.matchAll(/^\| (\d+) \|/gm)].map((m: RegExpMatchArray) => Number(m[1]));
    expect(Object.values(properties.error_code["x-error-codes"]).every((code) => tabled.includes(code as number))).toBe(true);
  });

  it("names the test and live servers", () => {
    expect(spec.servers.map((s: { "x-environment"?: string }) => s["x-environment"])).toEqual(expect.arrayContaining(["test", "live"]));
  });
});
