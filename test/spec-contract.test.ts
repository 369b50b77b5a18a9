// The contract's own promises: requests as MultiSafepay takes them (and the client's strict guard derived from
// them), tolerant responses, header-only keys, precise money.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { guardRefusals } from "../scripts/guard-spec.mjs";
import { schemaRef, spec, validateAt, validateGuardAt } from "./helpers/spec.js";

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

describe("order requests: the spec takes what MultiSafepay takes (fidelity.md), the client's guard is strict", () => {
  it("accepts a minimal redirect and direct order", () => {
    for (const check of [validateAt, validateGuardAt]) {
      expect(check(order, redirect).valid).toBe(true);
      expect(check(order, direct).valid).toBe(true);
      expect(check(order, { ...redirect, gateway: "CBC", customer: { locale: "fr_BE" } }).valid).toBe(true);
    }
  });

  it("accepts a payment link, and the whole banking order body", () => {
    const examples: Record<string, any> = {
      kbcPaymentLink: spec.components.examples.KbcPaymentLinkOrderRequest,
      kbcRedirectFullBody: spec.components.examples.KbcFullRedirectOrderRequest,
    };
    for (const name of ["kbcPaymentLink", "kbcRedirectFullBody"])
      expect(validateGuardAt(order, examples[name].value), name).toEqual({ valid: true, errors: [] });
    expect(validateGuardAt(order, { ...redirect, type: "paymentlink" }).valid).toBe(true);
  });

  // Each a value MultiSafepay documents or its SDKs send and its API takes (fidelity.md, "Request bodies").
  it.each([
    [
      "feed_url, empty URLs and settings: [] (the PHP SDK)",
      {
        payment_options: {
          notification_url: "",
          feed_url: "",
          redirect_url: "",
          cancel_url: "",
          close_window: true,
          settings: [],
        },
      },
    ],
    [
      "FastCheckout settings and allowed_countries",
      {
        payment_options: {
          feed_url: "https://shop.example/feed",
          allowed_countries: ["BE", "NL"],
          settings: {
            fco: { redirect_mode: "redirect" },
            gateways: { coupons: { allow: ["EDENCO"], disabled: false } },
          },
        },
      },
    ],
    ["a locale outside MultiSafepay's list of 14", { customer: { locale: "en_GB" } }],
    ["de_BE", { customer: { locale: "de_BE" } }],
    [
      "a province longer than 6 characters",
      { customer: { state: "West-Vlaanderen" }, delivery: { state: "Antwerpen" } },
    ],
    ["the SDKs' gender values", { customer: { gender: "male" } }],
    [
      "company_name on customer and delivery",
      { customer: { company_name: "Brouwerij NV" }, delivery: { company_name: "Brouwerij NV" } },
    ],
    [
      "the customer object passed as delivery (both SDKs)",
      {
        delivery: {
          locale: "nl_BE",
          ip_address: "203.0.113.7",
          forwarded_ip: "",
          referrer: "https://shop.example",
          user_agent: "Mozilla/5.0",
          reference: "c-1",
        },
      },
    ],
    [
      "MultiSafepay's own empty strings",
      {
        delivery: { country: "", email: "" },
        var1: "",
        checkout_options: { tax_tables: { alternate: [{ name: "BTW21", rules: [{ rate: 0.21, country: "" }] }] } },
      },
    ],
    [
      "cart items' extra fields, quantity 0 and a string weight",
      {
        shopping_cart: {
          items: [
            {
              name: "Mug",
              unit_price: 9.5,
              quantity: 0,
              currency: "EUR",
              weight: [],
              cashback: "",
              image: "",
              options: [],
              product_url: "",
            },
            { name: "Box", unit_price: 1, quantity: 1, weight: { unit: "KG", value: "1.5" } },
          ],
        },
      },
    ],
    [
      "recurring fields at top level, google_analytics, plugin.sdk_version and an empty shop_root_url",
      {
        recurring_id: "tok-1",
        recurring_model: "cardOnFile",
        google_analytics: { account: "UA-1" },
        plugin: { sdk_version: "5.21.0", shop_root_url: "" },
      },
    ],
    ["second_chance.send_email", { second_chance: { send_email: true } }],
  ])("accepts %s, in the spec and in the client's guard", (_name, change) => {
    expect(validateAt(order, { ...redirect, ...change })).toEqual({ valid: true, errors: [] });
    expect(validateGuardAt(order, { ...redirect, ...change })).toEqual({ valid: true, errors: [] });
  });

  it("takes unknown names as MultiSafepay does; the guard refuses them", () => {
    for (const value of [
      { ...redirect, redirect_ulr: "https://x.example" },
      { ...redirect, payment_options: { redirect_ulr: "https://x.example" } },
      { ...redirect, customer: { locale: "nl_BE", firstname: "Jan" } },
      { ...redirect, shopping_cart: { items: [{ name: "Backpack", unit_prise: 16.49, quantity: 1 }] } },
      { ...redirect, checkout_options: { validate_chart: true } },
      { ...redirect, payment_options: { template: { settings: { hide_logos: true } } } },
      { ...redirect, second_chance: { send_mail: true } },
      { ...redirect, manual: false },
    ]) {
      expect(validateAt(order, value).valid, JSON.stringify(value)).toBe(true);
      expect(validateGuardAt(order, value).valid, JSON.stringify(value)).toBe(false);
    }
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
    ["null in an optional field (the sandbox drops it first)", { var1: null }],
    ["unit_price as a string", { shopping_cart: { items: [{ name: "Backpack", unit_price: "16.49", quantity: 1 }] } }],
    ["an unknown recurring model", { recurring: { model: "monthly" } }],
    ["a relative notification URL", { payment_options: { notification_url: "/notify" } }],
    ["a locale not of the ab_CD form", { customer: { locale: "dutch" } }],
  ])("refuses %s, in the spec and in the client's guard", (_name, change) => {
    expect(validateAt(order, { ...redirect, ...change }).valid).toBe(false);
    expect(validateGuardAt(order, { ...redirect, ...change }).valid).toBe(false);
  });

  it("requires the fields MultiSafepay requires", () => {
    for (const field of ["order_id", "gateway", "currency", "amount", "description", "type"]) {
      const { [field]: _, ...rest } = redirect as Record<string, unknown>;
      expect(validateAt(order, rest).valid, field).toBe(false);
    }
  });
});

describe("the client's deliberate refusals", () => {
  it("are each marked in the spec with a reason, and listed with that reason in docs/creating-orders.md", () => {
    const refusals = guardRefusals(spec);
    expect(refusals.map(([pointer]) => pointer)).toEqual(["#/components/schemas/RefundRequest/properties/amount"]);
    const page = readFileSync(new URL("../docs/creating-orders.md", import.meta.url), "utf8");
    for (const [pointer, reason] of refusals) expect(page, pointer).toContain(reason);
  });
});

describe("refund and cancel requests", () => {
  const refund = schemaRef("RefundRequest");
  it("accepts a full refund (no amount), a partial one and an empty description", () => {
    for (const check of [validateAt, validateGuardAt]) {
      expect(check(refund, { currency: "EUR" }).valid).toBe(true);
      expect(
        check(refund, { currency: "EUR", amount: 1, description: "", refund_order_id: "r-1", var1: "x" }).valid,
      ).toBe(true);
    }
  });

  it("takes amount 0 as MultiSafepay does (a full refund); the guard refuses it on purpose", () => {
    expect(validateAt(refund, { currency: "EUR", amount: 0 }).valid).toBe(true);
    expect(validateGuardAt(refund, { currency: "EUR", amount: 0 }).errors).toMatchObject([
      { instancePath: "/amount", keyword: "minimum" },
    ]);
  });

  it.each([
    ["amount in euros", { currency: "EUR", amount: 5.5 }],
    ["amount as a string", { currency: "EUR", amount: "500" }],
    ["no currency", { amount: 500 }],
    ["another currency", { currency: "USD", amount: 500 }],
    ["a 51-character refund_order_id", { currency: "EUR", refund_order_id: "x".repeat(51) }],
  ])("refuses a refund with %s", (_name, body) => {
    expect(validateAt(refund, body).valid).toBe(false);
    expect(validateGuardAt(refund, body).valid).toBe(false);
  });

  it("takes a misspelt field, the BNPL form and the SDKs' plugin object as MultiSafepay does; the guard refuses the unknown names", () => {
    for (const body of [
      { currency: "EUR", ammount: 500 },
      { currency: "EUR", checkout_data: { items: [] } },
    ]) {
      expect(validateAt(refund, body).valid).toBe(true);
      expect(validateGuardAt(refund, body).valid).toBe(false);
    }
    expect(validateGuardAt(refund, { currency: "EUR", plugin: { shop: "x" } }).valid).toBe(true);
  });

  it("cancels a refund with status void, and an order with status cancelled, exclude_order optional (true, or the legacy 1/0)", () => {
    for (const check of [validateAt, validateGuardAt]) {
      expect(check(schemaRef("CancelRefundRequest"), { status: "void", description: "mistake" }).valid).toBe(true);
      expect(check(schemaRef("CancelRefundRequest"), { status: "void", plugin: { shop: "x" } }).valid).toBe(true);
      expect(check(schemaRef("CancelRefundRequest"), { status: "cancelled" }).valid).toBe(false);
      for (const body of [
        { status: "cancelled" },
        { status: "cancelled", exclude_order: true },
        { status: "cancelled", exclude_order: 1 },
        { status: "cancelled", exclude_order: 0 },
        { status: "cancelled", plugin: { shop: "x" } },
      ]) {
        expect(check(schemaRef("CancelOrderRequest"), body).valid, JSON.stringify(body)).toBe(true);
      }
      expect(check(schemaRef("CancelOrderRequest"), { status: "shipped", exclude_order: true }).valid).toBe(false);
      expect(check(schemaRef("CancelOrderRequest"), { status: "cancelled", exclude_order: 2 }).valid).toBe(false);
    }
    expect(validateAt(schemaRef("CancelRefundRequest"), { status: "void", reason: "x" }).valid).toBe(true);
    expect(validateGuardAt(schemaRef("CancelRefundRequest"), { status: "void", reason: "x" }).valid).toBe(false);
  });
});

describe("responses are tolerant", () => {
  it("accepts unknown fields, unknown statuses and nulls in an order", () => {
    const value = {
      transaction_id: 1,
      order_id: "a",
      status: "some_new_status",
      financial_status: null,
      brand_new: { x: 1 },
      customer: null,
    };
    expect(validateAt(schemaRef("Order"), value).valid).toBe(true);
  });

  it("keeps a redirect answer apart from a direct one", () => {
    const redirectAnswer = {
      order_id: "a",
      payment_url: "https://testpayv2.multisafepay.com/connect/x",
      session_id: "x",
    };
    expect(validateAt(schemaRef("CreateOrderResponse"), { success: true, data: redirectAnswer }).valid).toBe(true);
    const directAnswer = { ...redirectAnswer, transaction_id: 5, status: "initialized" };
    expect(validateAt(schemaRef("RedirectOrderCreated"), directAnswer).valid).toBe(false);
    expect(validateAt(schemaRef("CreateOrderResponse"), { success: true, data: directAnswer }).valid).toBe(true);
  });

  it("accepts both forms of the refund answer, and an update answer whose data is {} or []", () => {
    for (const data of [
      { transaction_id: 1, refund_id: 2 },
      { order_id: "a", transaction_id: 3 },
      { refund_id: "17472052901237122", extra: true },
      {},
    ]) {
      expect(validateAt(schemaRef("RefundResponse"), { success: true, data }).valid).toBe(true);
    }
    for (const data of [{}, []])
      expect(validateAt(schemaRef("EmptyResponse"), { success: true, data }).valid).toBe(true);
  });

  it("accepts an error envelope whose data is {} or []", () => {
    for (const data of [{}, []]) {
      expect(
        validateAt(schemaRef("ErrorResponse"), {
          success: false,
          data,
          error_code: 1006,
          error_info: "Invalid transaction ID",
        }).valid,
      ).toBe(true);
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
    expect(Object.values(spec.components.securitySchemes)).toEqual([
      expect.objectContaining({ type: "apiKey", in: "header", name: "api_key" }),
    ]);
    expect(JSON.stringify(spec)).not.toMatch(/"in":\s*"query",\s*"name":\s*"api_key"/);
  });

  it("discriminates the request body on type with a mapping", () => {
    const schema = spec.components.schemas.OrderRequest;
    expect(schema.discriminator).toEqual({
      propertyName: "type",
      mapping: {
        redirect: schemaRef("RedirectOrderRequest"),
        direct: schemaRef("DirectOrderRequest"),
        paymentlink: schemaRef("PaymentLinkOrderRequest"),
      },
    });
  });

  it("documents costs in decimal euros and transaction ids beyond 2^53", () => {
    expect(spec.components.schemas.Cost.properties.amount.description).toMatch(/^Decimal euros\./);
    expect(spec.components.schemas.TransactionId.description).toMatch(/2\^53/);
    expect(validateAt(schemaRef("Cost"), { amount: 0.44 }).valid).toBe(true);
  });
});

describe("what the code branches on comes from the spec", () => {
  it("names every error code in the ErrorResponse table, and only those", () => {
    const { description, properties } = spec.components.schemas.ErrorResponse;
    const tabled = [...description.matchAll(/^\| (\d+) \|/gm)].map((m: RegExpMatchArray) => Number(m[1]));
    expect(Object.values(properties.error_code["x-error-codes"]).every((code) => tabled.includes(code as number))).toBe(
      true,
    );
  });

  it("names the test and live servers", () => {
    expect(spec.servers.map((s: { "x-environment"?: string }) => s["x-environment"])).toEqual(
      expect.arrayContaining(["test", "live"]),
    );
  });
});
