// Type-level tests (vitest typecheck): the result type narrows by flow, and bad orders do not compile.
import { describe, expectTypeOf, it } from "vitest";
import {
  createMultiSafepay,
  isMultiSafepayError,
  type DirectOrderCreated,
  type Gateway,
  type MultiSafepayErrorCode,
  type Order,
  type RedirectOrderCreated,
  type ValidationIssue,
} from "../src/index.js";
import type { OrderRequest } from "../src/types.js";

const msp = createMultiSafepay({ apiKey: "key-12345", environment: "test" });
const base = { order_id: "o-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "Test" } as const;

describe("orders.create", () => {
  it("narrows the result by type", () => {
    expectTypeOf(msp.orders.create({ ...base, type: "redirect" })).resolves.toEqualTypeOf<RedirectOrderCreated>();
    expectTypeOf(
      msp.orders.create({ ...base, type: "direct", manual: false }),
    ).resolves.toEqualTypeOf<DirectOrderCreated>();
    expectTypeOf(
      msp.orders.create({ ...base, type: "paymentlink", days_active: 7 }),
    ).resolves.toEqualTypeOf<RedirectOrderCreated>();
    expectTypeOf(msp.orders.create({} as OrderRequest)).resolves.toEqualTypeOf<
      RedirectOrderCreated | DirectOrderCreated
    >();
    expectTypeOf<DirectOrderCreated["payment_url"]>().toEqualTypeOf<string>();
    expectTypeOf<RedirectOrderCreated["payment_url"]>().toEqualTypeOf<string>();
  });

  it("accepts the whole banking order body", () => {
    const full = {
      ...base,
      type: "redirect",
      items: "<ol><li>Backpack</li></ol>",
      shopping_cart: { items: [{ name: "Backpack", unit_price: 16.49, quantity: 1, tax_table_selector: "reduced" }] },
      checkout_options: {
        validate_cart: true,
        tax_tables: {
          default: { shipping_taxed: true, rate: 0.21 },
          alternate: [{ name: "reduced", rules: [{ rate: 0.06, country: "BE" }] }],
        },
      },
      delivery: { first_name: "Jan", country: "BE" },
      gateway_info: { qr_enabled: false },
      recurring: { model: "cardOnFile" },
      affiliate: { split_payments: [{ merchant: "1001001", percentage: 10 }] },
      payment_options: {
        template_id: "t",
        template: { version: "1.0", settings: { hide_logo: true } },
        settings: { coupons: { allow: ["EDENCO"] } },
      },
    } as const satisfies OrderRequest;
    expectTypeOf(msp.orders.create(full)).resolves.toEqualTypeOf<RedirectOrderCreated>();
  });

  it("takes the values MultiSafepay documents or its SDKs send, and offers the common locales", () => {
    const order: OrderRequest = {
      ...base,
      type: "redirect",
      customer: { locale: "en_GB", state: "West-Vlaanderen", gender: "male", company_name: "Brouwerij NV" },
      delivery: { locale: "de_BE", country: "", email: "" },
      payment_options: { feed_url: "", notification_url: "", settings: [], allowed_countries: ["BE"] },
      shopping_cart: { items: [{ name: "Mug", unit_price: 9.5, quantity: 0, currency: "EUR", weight: [] }] },
      recurring_id: "tok",
      recurring_model: "cardOnFile",
      plugin: { sdk_version: "1" },
    };
    expectTypeOf(msp.orders.create(order)).resolves.toEqualTypeOf<RedirectOrderCreated>();
    type Locale = NonNullable<NonNullable<OrderRequest["customer"]>["locale"]>;
    expectTypeOf<"nl_BE">().toMatchTypeOf<Locale>();
    expectTypeOf<"xx_YY">().toMatchTypeOf<Locale>();
    expectTypeOf(msp.api.withOptions({ allowUnknownFields: true }).POST).toEqualTypeOf(msp.api.POST);
  });

  it("rejects orders the API would refuse", () => {
    // @ts-expect-error gateway is required
    void msp.orders.create({ type: "redirect", order_id: "o", currency: "EUR", amount: 1, description: "d" });
    // @ts-expect-error amount is integer cents, not a string
    void msp.orders.create({ ...base, type: "redirect", amount: "10.00" });
    // @ts-expect-error KBC takes euros only
    void msp.orders.create({ ...base, type: "redirect", currency: "USD" });
    // @ts-expect-error no such gateway for this client
    void msp.orders.create({ ...base, type: "redirect", gateway: "IDEAL" });
    // @ts-expect-error unknown flow
    void msp.orders.create({ ...base, type: "qr" });
    // @ts-expect-error type is explicit in the client (MultiSafepay would default a missing one to redirect)
    void msp.orders.create({ ...base });
    // @ts-expect-error null is not "unset": leave the field out
    void msp.orders.create({ ...base, type: "redirect", var1: null });
    // @ts-expect-error unit_price is decimal euros, a number
    void msp.orders.create({
      ...base,
      type: "redirect",
      shopping_cart: { items: [{ name: "x", unit_price: "1.00", quantity: 1 }] },
    });
    // @ts-expect-error a typo is not a field
    void msp.orders.create({ ...base, type: "redirect", payment_options: { redirect_ulr: "https://x" } });
    // @ts-expect-error a typo at the top level is not a field either
    void msp.orders.create({ ...base, type: "redirect", redirect_ulr: "https://x" });
    // @ts-expect-error nor beside a valid field
    void msp.orders.create({
      ...base,
      type: "direct",
      payment_options: { notification_url: "https://x", redirect_ulr: "https://x" },
    });
  });
});

describe("the rest of the surface", () => {
  it("types get, list, errors and the raw client", () => {
    expectTypeOf(msp.orders.get("o-1")).resolves.toEqualTypeOf<Order>();
    expectTypeOf(msp.gateways.list({ country: "BE" })).resolves.toEqualTypeOf<Gateway[]>();
    expectTypeOf<MultiSafepayErrorCode>().toExtend<string>();
    expectTypeOf(msp.api.GET).toBeFunction();
    // @ts-expect-error environment must be "test" or "live"
    createMultiSafepay({ apiKey: "key-12345", environment: "staging" });
  });
});

describe("isMultiSafepayError", () => {
  it("narrows a catch variable so that code picks the class", () => {
    const error: unknown = new Error("x");
    if (isMultiSafepayError(error)) {
      if (error.code === "api_error") expectTypeOf(error.errorCode).toEqualTypeOf<number | null>();
      if (error.code === "validation_error") expectTypeOf(error.issues).toEqualTypeOf<ValidationIssue[]>();
      if (error.code === "order_exists") expectTypeOf(error.order).toEqualTypeOf<Order | null>();
      // @ts-expect-error a timeout has no errorCode
      if (error.code === "timeout_error") void error.errorCode;
    }
  });
});
