// A body with a lone UTF-16 surrogate (which has no UTF-8 form) is refused before sending, in a value or a key,
// at any depth; a well-formed pair and text that only spells an escape ("\\ud800") are sent. validation.ts
// walks the body for them only when its JSON text has a \ud escape: these are the cases either side of that.
import { describe, expect, it } from "vitest";
import { createMultiSafepay } from "../src/index.js";
import { API_KEY } from "./helpers/orders.js";

const CREATED =
  '{"success":true,"data":{"order_id":"o-1","payment_url":"https://testpayv2.multisafepay.com/connect/x"}}';

function client() {
  const sent: string[] = [];
  const msp = createMultiSafepay({
    apiKey: API_KEY,
    environment: "test",
    maxRetries: 0,
    fetch: async (request) => (sent.push(await request.text()), new Response(CREATED)),
  });
  return { msp, sent };
}

const order = (extra: Record<string, unknown>) => ({
  type: "redirect" as const,
  order_id: "o-1",
  gateway: "KBC" as const,
  currency: "EUR" as const,
  amount: 1000,
  description: "d",
  ...extra,
});

describe("a lone surrogate in a body", () => {
  it.each([
    ["a value", { description: "ab\ud800c" }, "/description"],
    ["a nested value", { customer: { first_name: "\udc00" } }, "/customer/first_name"],
    [
      "an array item",
      { shopping_cart: { items: [{ name: "ok" }, { name: "x\udbff" }] } },
      "/shopping_cart/items/1/name",
    ],
    ["a key", { custom_info: { "k\ud800": "v" } }, "/custom_info/k\ud800"],
  ])("in %s is refused, naming where, and nothing is sent", async (_what, extra, path) => {
    const { msp, sent } = client();
    await expect(msp.orders.create(order(extra) as never, { allowUnknownFields: true })).rejects.toMatchObject({
      code: "validation_error",
      issues: [{ path, message: expect.stringContaining("lone UTF-16 surrogate") }],
    });
    expect(sent).toEqual([]);
  });

  it("a well-formed pair, and text that only spells an escape, are sent as given", async () => {
    const { msp, sent } = client();
    await msp.orders.create(order({ description: "smile \ud83d\ude00 and \\ud800" }));
    expect(JSON.parse(sent[0]!).description).toBe("smile \ud83d\ude00 and \\ud800");
  });

  it("in a refund's description is refused too", async () => {
    const { msp, sent } = client();
    await expect(
      msp.refunds.create("o-1", { currency: "EUR", amount: 100, description: "r\ud800" }),
    ).rejects.toMatchObject({ code: "validation_error", issues: [{ path: "/description" }] });
    expect(sent).toEqual([]);
  });
});
