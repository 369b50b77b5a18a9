// scripts/typed-spec.mjs: the types say what MultiSafepay always sends, while the spec, and every validator made
// from it, stays as tolerant of answers as before.
import { describe, expect, it } from "vitest";
import { validateNotification } from "../generated/notification-validator.js";
import { typedSpec } from "../scripts/typed-spec.mjs";
import { schemaRef, spec, validateAt, validateTypedAt } from "./helpers/spec.js";

const typed = typedSpec(spec);
const schemas = typed.components.schemas;

describe("the types-only spec", () => {
  it("requires the always-sent fields and drops their null", () => {
    expect(schemas.Order.required).toEqual(["order_id", "status", "amount", "currency"]);
    expect(schemas.Order.properties.amount.type).toBe("integer");
    expect(schemas.Order.properties.currency.type).toBe("string");
    expect(schemas.RefundCreated.required).toEqual(["transaction_id", "refund_id"]);
    expect(schemas.Transaction.required).toEqual(["transaction_id", "type", "amount", "currency"]);
    expect(schemas.Gateway.required).toEqual(["id", "description"]);
    expect(schemas.DirectOrderCreated.allOf[1].required).toEqual(["order_id", "transaction_id", "payment_url"]);
    expect(JSON.stringify(typed)).not.toContain('"x-always-sent":');
  });

  it("makes a referenced status non-null where it is defined and `| null` wherever it is not always sent", () => {
    expect(schemas.OrderStatus).toMatchObject({
      type: "string",
      "x-suggested-values": expect.arrayContaining(["completed"]),
    });
    expect(schemas.OrderStatus.anyOf).toBeUndefined();
    expect(schemas.Order.properties.status).toEqual({ $ref: schemaRef("OrderStatus") });
    expect(schemas.Transaction.properties.status).toEqual({
      anyOf: [{ $ref: schemaRef("OrderStatus") }, { type: "null" }],
    });
  });

  it("turns an open enum into a string with suggested values, keeping its null", () => {
    const { enum: known } = spec.components.schemas.FinancialStatus.anyOf[0];
    expect(schemas.FinancialStatus).toMatchObject({ type: ["string", "null"], "x-suggested-values": known });
  });

  it("leaves the spec it is given alone", () => {
    expect(spec.components.schemas.Order.required).toBeUndefined();
    expect(spec.components.schemas.Order["x-always-sent"]).toEqual(["order_id", "status", "amount", "currency"]);
    expect(spec.components.schemas.OrderStatus.anyOf).toHaveLength(3);
  });

  it("refuses a field that is not declared where it is marked, and one it cannot make non-null", () => {
    const undeclared = structuredClone(spec);
    undeclared.components.schemas.Order["x-always-sent"].push("no_such_field");
    expect(() => typedSpec(undeclared)).toThrow(/no_such_field, not in its properties/);
    const nested = structuredClone(spec);
    nested.components.schemas.Order.properties.amount = { anyOf: [{ anyOf: [{ type: "integer" }, { type: "null" }] }] };
    expect(() => typedSpec(nested)).toThrow(/cannot make .*amount non-null/);
  });
});

describe("validation stays as tolerant as the spec", () => {
  // Less than MultiSafepay always sends, and null where the types say never null.
  const sparse = { order_id: "o-1", status: "a_status_added_later" };
  const nulls = {
    ...sparse,
    amount: null,
    currency: null,
    financial_status: null,
    payment_details: { type: "NEWPAY" },
  };

  it("an order answer", () => {
    expect(validateAt(schemaRef("Order"), sparse).valid).toBe(true);
    expect(validateAt(schemaRef("Order"), nulls).valid).toBe(true);
  });

  it("a refund without refund_id, a transaction line without amount, a gateway without description", () => {
    expect(validateAt(schemaRef("RefundCreated"), { order_id: "o-1", transaction_id: 1 }).valid).toBe(true);
    expect(validateAt(schemaRef("Transaction"), { order_id: "o-1", amount: null, currency: null }).valid).toBe(true);
    expect(validateAt(schemaRef("Gateway"), { id: "NEWPAY" }).valid).toBe(true);
  });

  it("while the typed variant, which test/helpers/conformance.ts holds the mock's answers to, refuses them", () => {
    expect(validateTypedAt(schemaRef("Order"), sparse).errors).toContainEqual(
      expect.objectContaining({ keyword: "required", params: { missingProperty: "amount" } }),
    );
    expect(validateTypedAt(schemaRef("Order"), nulls).valid).toBe(false);
    expect(validateTypedAt(schemaRef("Order"), { ...sparse, amount: 1000, currency: "EUR" }).valid).toBe(true);
    expect(validateTypedAt(schemaRef("RefundCreated"), { order_id: "o-1", transaction_id: 1 }).valid).toBe(false);
  });

  it("the notification the client reads", () => {
    expect(validateNotification(sparse)).toBe(true);
    expect(validateNotification(nulls)).toBe(true);
  });
});
