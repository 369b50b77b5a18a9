// What a reader gets back, pinned under the settings of a strict consumer project: `strict`,
// `noUncheckedIndexedAccess` and `exactOptionalPropertyTypes` (tsconfig.strict.json; `npm run typecheck` runs
// it). The fields MultiSafepay always sends (the spec's `x-always-sent`, scripts/typed-spec.mjs) are required
// and non-null, so the usual reads need no `!` or `??`; statuses and other open enums are literal unions that
// still take any other string; what MultiSafepay may leave out stays optional.
import { describe, expectTypeOf, it } from "vitest";
import {
  createMultiSafepay,
  type DirectOrderCreated,
  type Gateway,
  type Order,
  type OrderStatus,
  type RedirectOrderCreated,
  type RefundCreated,
  type Transaction,
} from "../src/index.js";
import type { components } from "../src/types.js";

type Schemas = components["schemas"];
/** The literal members of an open enum, without its `(string & {})` fallback and `null`. */
type Known<T> = T extends string ? (string extends T ? never : T) : never;
/** `T` without null and undefined. Not NonNullable (`T & {}`): that intersection lets TypeScript reduce the
 * literals into `string & {}`, and the union's autocomplete is gone. */
type Present<T> = Exclude<T, null | undefined>;
/** Whether `T` still takes a string MultiSafepay may add later. */
type TakesAnyString<T> = string extends T ? true : false;

const msp = createMultiSafepay({ apiKey: "key-12345", environment: "test" });
const base = { order_id: "o-1", gateway: "KBC", currency: "EUR", amount: 1000, description: "Test" } as const;

describe("an order", () => {
  it("reads status, amount, currency and order_id without `!`", async () => {
    const order = await msp.orders.get("o-1");
    expectTypeOf(order).toEqualTypeOf<Order>();
    const paid: boolean = order.status === "completed";
    const euros: number = order.amount / 100;
    const currency: string = order.currency.toUpperCase();
    // MultiSafepay echoes the order id, as a number when it is only digits (the spec's OrderId).
    expectTypeOf(order.order_id).toEqualTypeOf<string | number>();
    expectTypeOf(order.amount).toEqualTypeOf<number>();
    expectTypeOf(order.currency).toEqualTypeOf<string>();
    expectTypeOf(paid).toBeBoolean();
    expectTypeOf(euros).toBeNumber();
    expectTypeOf(currency).toBeString();
  });

  it("keeps optional what MultiSafepay may leave out or send as null", () => {
    // A pre-transaction has no transaction_id; financial_status can be null; amount_refunded is absent at times.
    expectTypeOf<Order["transaction_id"]>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<undefined>().toMatchTypeOf<Order["financial_status"]>();
    expectTypeOf<null>().toMatchTypeOf<Order["financial_status"]>();
    expectTypeOf<Order["amount_refunded"]>().toEqualTypeOf<number | null | undefined>();
    // @ts-expect-error amount_refunded may be missing or null: a reader has to say what that means
    const refunded: number = ({} as Order).amount_refunded;
    expectTypeOf(refunded).toBeNumber();
  });

  it("has a status that is a literal union with an open fallback, never null", () => {
    expectTypeOf<Order["status"]>().toEqualTypeOf<OrderStatus>();
    expectTypeOf<Known<OrderStatus>>().toEqualTypeOf<
      | "initialized"
      | "completed"
      | "uncleared"
      | "declined"
      | "cancelled"
      | "void"
      | "expired"
      | "refunded"
      | "partial_refunded"
      | "reserved"
      | "shipped"
      | "chargeback"
      | "chargedback"
    >();
    expectTypeOf<TakesAnyString<OrderStatus>>().toEqualTypeOf<true>();
    expectTypeOf<"a_status_added_later">().toMatchTypeOf<OrderStatus>();
    expectTypeOf<null>().not.toMatchTypeOf<OrderStatus>();
    expectTypeOf<undefined>().not.toMatchTypeOf<Order["status"]>();
  });

  it("has a financial status with the same kind of union, optional and nullable", () => {
    type Financial = Present<Order["financial_status"]>;
    expectTypeOf<Known<Financial>>().toEqualTypeOf<
      | "initialized"
      | "completed"
      | "uncleared"
      | "declined"
      | "cancelled"
      | "void"
      | "expired"
      | "refunded"
      | "partial_refunded"
      | "reserved"
    >();
    expectTypeOf<TakesAnyString<Financial>>().toEqualTypeOf<true>();
  });

  it("names the gateway of each payment with MultiSafepay's gateway ids", () => {
    type PaymentType = Present<Present<Order["payment_details"]>["type"]>;
    expectTypeOf<"KBC" | "CBC" | "IDEAL" | "VISA">().toMatchTypeOf<Known<PaymentType>>();
    expectTypeOf<TakesAnyString<PaymentType>>().toEqualTypeOf<true>();
    type RelatedStatus = Present<Present<Order["related_transactions"]>[number]["status"]>;
    expectTypeOf<"reserved" | "completed" | "initialized">().toMatchTypeOf<Known<RelatedStatus>>();
  });

  it("reads a notification's order the same way", async () => {
    const { verifyNotification } = await import("../src/webhooks.js");
    const order = await verifyNotification({ body: "{}", auth: "x", apiKey: "key-12345" });
    const cents: number = order.amount;
    expectTypeOf(order.status).toEqualTypeOf<OrderStatus>();
    expectTypeOf(cents).toBeNumber();
  });
});

describe("a created order", () => {
  it("direct: order_id, transaction_id and payment_url without `!`", async () => {
    const created = await msp.orders.create({ ...base, type: "direct" });
    expectTypeOf(created).toEqualTypeOf<DirectOrderCreated>();
    expectTypeOf(created.order_id).toEqualTypeOf<string | number>();
    expectTypeOf(created.transaction_id).toEqualTypeOf<string | number>();
    expectTypeOf(created.payment_url).toEqualTypeOf<string>();
    expectTypeOf(created.status).toEqualTypeOf<OrderStatus>();
    const cents: number = created.amount;
    expectTypeOf(cents).toBeNumber();
  });

  it("redirect: order_id and payment_url without `!`", async () => {
    const created = await msp.orders.create({ ...base, type: "redirect" });
    expectTypeOf(created).toEqualTypeOf<RedirectOrderCreated>();
    expectTypeOf(created.order_id).toEqualTypeOf<string | number>();
    expectTypeOf(created.payment_url).toEqualTypeOf<string>();
  });
});

describe("a refund", () => {
  it("gives the refund_id that cancels it, without `!`", async () => {
    const refund = await msp.refunds.create("o-1", { currency: "EUR", amount: 500 });
    expectTypeOf(refund).toEqualTypeOf<RefundCreated>();
    expectTypeOf(refund.refund_id).toEqualTypeOf<string | number>();
    expectTypeOf(refund.transaction_id).toEqualTypeOf<string | number>();
    expectTypeOf(msp.refunds.cancel("o-1", refund.refund_id)).resolves.toBeVoid();
    // Which order the refund is filed under is not in every answer.
    expectTypeOf<RefundCreated["order_id"]>().toEqualTypeOf<string | number | null | undefined>();
  });
});

describe("the transaction list and the gateways", () => {
  it("a transaction: id, type, amount and currency without `!`", async () => {
    const page = await msp.transactions.list();
    const first = page.data[0];
    // noUncheckedIndexedAccess: an index may be past the end, so the element is `| undefined`.
    expectTypeOf(first).toEqualTypeOf<Transaction | undefined>();
    for (const line of page.data) {
      const net: number = line.amount;
      const refund: boolean = line.type === "refund";
      expectTypeOf(net).toBeNumber();
      expectTypeOf(refund).toBeBoolean();
      expectTypeOf(line.currency).toBeString();
      expectTypeOf(line.transaction_id).toEqualTypeOf<string | number>();
    }
    expectTypeOf<Known<Transaction["type"]>>().toMatchTypeOf<string>();
    expectTypeOf<"payment" | "refund" | "chargeback">().toMatchTypeOf<Known<Transaction["type"]>>();
    expectTypeOf<TakesAnyString<Transaction["type"]>>().toEqualTypeOf<true>();
    // Not always sent, so still optional and nullable.
    expectTypeOf<null>().toMatchTypeOf<Transaction["status"]>();
    expectTypeOf<Transaction["order_id"]>().toEqualTypeOf<string | number | null | undefined>();
  });

  it("a gateway: id with autocomplete of MultiSafepay's ids, and its name", async () => {
    const gateways = await msp.gateways.list();
    for (const gateway of gateways) {
      expectTypeOf(gateway).toEqualTypeOf<Gateway>();
      const kbc: boolean = gateway.id === "KBC";
      const name: string = gateway.description;
      expectTypeOf(kbc).toBeBoolean();
      expectTypeOf(name).toBeString();
    }
    expectTypeOf<"KBC" | "CBC" | "IDEAL" | "MISTERCASH">().toMatchTypeOf<Known<Gateway["id"]>>();
    expectTypeOf<TakesAnyString<Gateway["id"]>>().toEqualTypeOf<true>();
  });

  it("a payment method: id and name", async () => {
    for (const method of await msp.paymentMethods.list()) {
      const name: string = method.name;
      expectTypeOf(name).toBeString();
      expectTypeOf(method.id).toEqualTypeOf<Gateway["id"]>();
    }
  });
});

describe("the spec's other open enums", () => {
  it("cost and related transaction types, debit_credit, fastcheckout", () => {
    type CostType = Present<Schemas["Cost"]["type"]>;
    expectTypeOf<Known<CostType>>().toEqualTypeOf<"SYSTEM" | "internal" | "withdraw">();
    type RelatedType = Present<Schemas["RelatedTransaction"]["type"]>;
    expectTypeOf<"refund" | "capture" | "chargeback">().toMatchTypeOf<Known<RelatedType>>();
    expectTypeOf<Known<Present<Transaction["debit_credit"]>>>().toEqualTypeOf<"C" | "D">();
    expectTypeOf<Known<Present<Order["fastcheckout"]>>>().toEqualTypeOf<"YES" | "NO">();
    expectTypeOf<TakesAnyString<CostType>>().toEqualTypeOf<true>();
  });
});
