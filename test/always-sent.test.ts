// The fields the spec marks `x-always-sent` (required and non-null in the TypeScript types, scripts/typed-spec.mjs)
// are in every body MultiSafepay has published of that schema, with a value. A new mark needs its bodies here.
import { describe, expect, it } from "vitest";
import { readFixture, spec } from "./helpers/spec.js";

type Body = [file: string, body: Record<string, unknown>];

// Parsed JSON: an object or a list, depending on the file.
const data = (file: string): any => {
  const json = JSON.parse(readFixture(file));
  return json && typeof json === "object" && "success" in json ? json.data : json;
};

const ORDERS = [
  "docs/responses_getOrder.json",
  "docs/responses_getOrder3DS.json",
  "docs/responses_getOrderFailed3DS.json",
  "docs/responses_postOrdersDirectIdeal.json",
  "docs/legacy-kbc-direct-response.json",
  "php-sdk/order.json",
  "php-sdk/credit-card-order.json",
  "webhook/docs-ideal-initialized.body",
  "webhook/php-sdk-visa-gbp-completed.body",
  "webhook/python-sdk-visa-gbp-completed.body",
].map((file): Body => [file, data(file)]);
const DIRECT = ["docs/responses_postOrdersDirectIdeal.json", "docs/legacy-kbc-direct-response.json"];

/** JSON pointer of each schema that carries `x-always-sent` → MultiSafepay's bodies of that schema. */
const BODIES: Record<string, Body[]> = {
  "#/components/schemas/Order": ORDERS,
  "#/components/schemas/DirectOrderCreated/allOf/1": DIRECT.map((file): Body => [file, data(file)]),
  // Not docs `examples/responses/refundOrder.json` ({order_id, transaction_id}): the same body as its
  // partial-shipment refund example, a refund by items (see RefundCreated's description).
  "#/components/schemas/RefundCreated": [
    ["node-wrapper/createRefund.stub.json", data("node-wrapper/createRefund.stub.json")],
  ],
  "#/components/schemas/Transaction": data("docs/responses_listTransactions.json").map(
    (line: Record<string, unknown>, i: number): Body => [`docs/responses_listTransactions.json#${i}`, line],
  ),
  "#/components/schemas/PaymentMethodInfo": [
    "docs/responses_listPaymentMethods.json",
    "php-sdk/payment-methods.json",
    "php-sdk/payment-method-mistercash.json",
  ].flatMap((file) =>
    [data(file)].flat().map((method: Record<string, unknown>, i: number): Body => [`${file}#${i}`, method]),
  ),
  "#/components/schemas/Gateway": ["docs/responses_listGateways.json", "php-sdk/gateways.json"].flatMap((file) =>
    data(file).map((gateway: Record<string, unknown>, i: number): Body => [`${file}#${i}`, gateway]),
  ),
};

function marked(node: unknown, pointer = "#", found: Record<string, string[]> = {}): Record<string, string[]> {
  if (!node || typeof node !== "object") return found;
  const fields = (node as Record<string, unknown>)["x-always-sent"];
  if (Array.isArray(fields)) found[pointer] = fields;
  for (const [key, value] of Object.entries(node)) if (key !== "examples") marked(value, `${pointer}/${key}`, found);
  return found;
}

describe("x-always-sent", () => {
  const marks = marked(spec);

  it("has MultiSafepay's bodies for every schema that carries it", () => {
    expect(Object.keys(marks).sort()).toEqual(Object.keys(BODIES).sort());
  });

  for (const [pointer, fields] of Object.entries(marked(spec))) {
    it(`${pointer}: ${fields.join(", ")} in each of MultiSafepay's bodies, not null`, () => {
      const bodies = BODIES[pointer] ?? [];
      expect(bodies.length).toBeGreaterThan(0);
      for (const [file, body] of bodies)
        for (const field of fields) {
          expect(body, `${file}: ${field}`).toHaveProperty(field);
          expect(body[field], `${file}: ${field}`).not.toBeNull();
        }
    });
  }
});
