// Real MultiSafepay payloads (docs, official SDKs; see test/fixtures/README.md) validate against the
// matching schema, and the ones known to be wrong are refused.
import { describe, expect, it } from "vitest";
import { readFixture, schemaRef, validateAt } from "./helpers/spec.js";

const NOTIFICATION = "#/webhooks/orderNotification/post/requestBody/content/application~1json/schema";

const accepted: [fixture: string, pointer: string][] = [
  ["docs/requests_post-orders_cbc-kbc-redirect.json", schemaRef("OrderRequest")],
  ["docs/requests_post-orders_cbc-kbc-direct.json", schemaRef("OrderRequest")],
  ["docs/legacy-kbc-redirect-request.json", schemaRef("OrderRequest")],
  ["docs/legacy-kbc-direct-request.json", schemaRef("OrderRequest")],
  ["docs/legacy-kbc-redirect-response.json", schemaRef("CreateOrderResponse")],
  ["docs/legacy-kbc-direct-response.json", schemaRef("CreateOrderResponse")],
  ["docs/responses_postOrdersRedirect.json", schemaRef("CreateOrderResponse")],
  ["docs/responses_postOrdersDirectIdeal.json", schemaRef("CreateOrderResponse")],
  ["node-wrapper/createOrder.stub.json", schemaRef("CreateOrderResponse")],
  ["docs/responses_getOrder.json", schemaRef("OrderResponse")],
  ["docs/responses_getOrder3DS.json", schemaRef("OrderResponse")],
  ["docs/responses_getOrderFailed3DS.json", schemaRef("OrderResponse")],
  ["php-sdk/credit-card-order.json", schemaRef("OrderResponse")],
  ["php-sdk/order.json", schemaRef("Order")],
  ["docs/responses_listGateways.json", schemaRef("GatewayListResponse")],
  ["php-sdk/gateways.json", schemaRef("GatewayListResponse")],
  ["docs/responses_listTransactions.json", schemaRef("TransactionListResponse")],
  ["docs/responses_listPaymentMethods.json", schemaRef("PaymentMethodListResponse")],
  ["php-sdk/payment-methods.json", schemaRef("PaymentMethodListResponse")],
  ["php-sdk/payment-methods-empty.json", schemaRef("PaymentMethodListResponse")],
  ["php-sdk/payment-method-mistercash.json", schemaRef("PaymentMethodResponse")],
  ["php-sdk/generic-fail.json", schemaRef("ErrorResponse")],
  ["docs/requests_refunds_refund.json", schemaRef("RefundRequest")],
  ["docs/responses_refundOrder.json", schemaRef("RefundResponse")],
  ["node-wrapper/createRefund.stub.json", schemaRef("RefundResponse")],
  ["docs/requests_patch-orders_cancelOrder.json", schemaRef("CancelOrderRequest")],
  ["docs/responses_patchOrdersCancel.json", schemaRef("EmptyResponse")],
  ["php-sdk/tokens-single-not-found.json", schemaRef("ErrorResponse")],
  ["webhook/docs-ideal-initialized.body", NOTIFICATION],
  ["webhook/php-sdk-visa-gbp-completed.body", NOTIFICATION],
  ["webhook/python-sdk-visa-gbp-completed.body", NOTIFICATION],
];

describe("real payloads validate", () => {
  it.each(accepted)("%s against %s", (fixture, pointer) => {
    const { valid, errors } = validateAt(pointer, JSON.parse(readFixture(fixture)));
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  const derived = JSON.parse(readFixture("docs/errors-derived-from-openapi.json")).cases as {
    case: string;
    body: unknown;
  }[];
  it.each(derived.map((c) => [c.case, c.body] as const))("error envelope: %s", (_name, body) => {
    expect(validateAt(schemaRef("ErrorResponse"), body).valid).toBe(true);
  });
});

describe("create-order answers stay distinguishable", () => {
  const branch = (fixture: string) => {
    const { data } = JSON.parse(readFixture(fixture));
    return {
      redirect: validateAt(schemaRef("RedirectOrderCreated"), data).valid,
      direct: validateAt(schemaRef("DirectOrderCreated"), data).valid,
    };
  };
  it.each([
    ["docs/legacy-kbc-redirect-response.json", { redirect: true, direct: false }],
    ["docs/responses_postOrdersRedirect.json", { redirect: true, direct: false }],
    ["docs/legacy-kbc-direct-response.json", { redirect: false, direct: true }],
    ["docs/responses_postOrdersDirectIdeal.json", { redirect: false, direct: true }],
  ])("%s matches exactly one flow", (fixture, expected) => {
    expect(branch(fixture)).toEqual(expected);
  });
});

describe("known-bad payloads are refused", () => {
  it("the seed's broken direct response is not JSON at all", () => {
    const text = readFixture("docs/legacy-kbc-direct-response.INVALID-2021-08-03.json.txt");
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it("the official node wrapper's mock order (amount as a string, empty gateway) is refused", () => {
    const { valid, errors } = validateAt(
      schemaRef("OrderRequest"),
      JSON.parse(readFixture("node-wrapper/createOrder.mock.json")),
    );
    expect(valid).toBe(false);
    expect(errors.map((e) => e.instancePath)).toEqual(expect.arrayContaining(["/amount", "/gateway"]));
  });

  it("the PHP SDK's BNPL refund (items, no currency) is refused: KBC orders carry no such cart", () => {
    const { valid, errors } = validateAt(
      schemaRef("RefundRequest"),
      JSON.parse(readFixture("php-sdk/refund-request.json")),
    );
    expect(valid).toBe(false);
    expect(errors.map((e) => e.params)).toEqual(expect.arrayContaining([{ missingProperty: "currency" }]));
  });
});
