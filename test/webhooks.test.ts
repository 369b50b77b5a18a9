// Notification verification: MultiSafepay's real vectors verify; hostile input only ever yields a
// SignatureVerificationError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { notificationOutcome, SignatureVerificationError } from "../src/webhooks.js";
import { caught } from "./helpers/caught.js";
import { HMAC, webhooks } from "./helpers/webhooks.js";
import { readFixture } from "./helpers/spec.js";

interface Vector {
  name: string;
  body_file: string;
  api_key: string;
  auth_header: string;
  decoded_timestamp: number;
}
const vectors = JSON.parse(readFixture("webhook/vectors.json")) as Vector[];
const KEY = "test-key-5f2c9a1e7d";
const BODY = readFixture("webhook/docs-ideal-initialized.body");
const NOW = 1_700_000_000;
const at = (seconds: number) => seconds * 1000;
const { acknowledgeNotification, readNotification, signNotification, verifyNotification } = webhooks;

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SignatureVerificationError);
    expect((error as SignatureVerificationError).code).toBe("signature_verification_error");
    return (error as SignatureVerificationError).reason;
  }
  return "verified";
}

describe(`MultiSafepay's own vectors (${HMAC})`, () => {
  it.each(vectors.map((v) => [v.name, v] as const))("%s verifies over the raw body", async (_name, v) => {
    const body = readFixture(`webhook/${v.body_file}`);
    const order = await verifyNotification({
      body,
      auth: v.auth_header,
      apiKey: v.api_key,
      toleranceSeconds: Infinity,
    });
    expect(order.order_id).toBeDefined();
    // As bytes, too.
    await verifyNotification({
      body: new TextEncoder().encode(body),
      auth: v.auth_header,
      apiKey: ` ${v.api_key}\n`,
      toleranceSeconds: Infinity,
    });
  });

  it.each(vectors.map((v) => [v.name, v] as const))(
    "%s is refused when stale, with a wrong key, or tampered",
    async (_name, v) => {
      const body = readFixture(`webhook/${v.body_file}`);
      expect(await reason(verifyNotification({ body, auth: v.auth_header, apiKey: v.api_key }))).toBe("expired");
      expect(
        await reason(
          verifyNotification({ body, auth: v.auth_header, apiKey: "a-fake-API-key", toleranceSeconds: Infinity }),
        ),
      ).toBe("mismatch");
      const tampered = body.replace(/"amount":\s*(\d+)/, (_m, n) => `"amount":${Number(n) + 1}`);
      expect(tampered).not.toBe(body);
      expect(
        await reason(
          verifyNotification({ body: tampered, auth: v.auth_header, apiKey: v.api_key, toleranceSeconds: Infinity }),
        ),
      ).toBe("mismatch");
    },
  );

  it("fails when the docs body is re-serialized (the classic webhook bug)", async () => {
    const v = vectors.find((x) => x.name === "docs-ideal-initialized")!;
    const reserialized = JSON.stringify(JSON.parse(BODY));
    expect(
      await reason(
        verifyNotification({ body: reserialized, auth: v.auth_header, apiKey: v.api_key, toleranceSeconds: Infinity }),
      ),
    ).toBe("mismatch");
    expect(
      await reason(verifyNotification({ body: JSON.parse(BODY), auth: v.auth_header, apiKey: v.api_key } as never)),
    ).toBe("invalid_body");
  });
});

describe("the time check", () => {
  it("accepts within the tolerance either way and refuses beyond it", async () => {
    const auth = await signNotification({ body: BODY, apiKey: KEY, timestamp: NOW });
    const verify = (nowSeconds: number, toleranceSeconds?: number) =>
      reason(
        verifyNotification({
          body: BODY,
          auth,
          apiKey: KEY,
          now: at(nowSeconds),
          ...(toleranceSeconds === undefined ? {} : { toleranceSeconds }),
        }),
      );
    expect(await verify(NOW)).toBe("verified");
    expect(await verify(NOW + 600)).toBe("verified");
    expect(await verify(NOW - 600)).toBe("verified");
    expect(await verify(NOW + 601)).toBe("expired");
    expect(await verify(NOW - 601)).toBe("expired");
    // 0 is not "off" (Stripe's trap): it allows the same second only.
    expect(await verify(NOW, 0)).toBe("verified");
    expect(await verify(NOW + 1, 0)).toBe("expired");
    expect(await verify(NOW, -5)).toBe("expired");
    expect(await verify(NOW, Number.NaN)).toBe("expired");
    expect(await verify(NOW + 10 ** 9, Infinity)).toBe("verified");
  });

  it("accepts a Date as now", async () => {
    const auth = await signNotification({ body: BODY, apiKey: KEY, timestamp: NOW });
    expect(await reason(verifyNotification({ body: BODY, auth, apiKey: KEY, now: new Date(at(NOW + 30)) }))).toBe(
      "verified",
    );
  });
});

describe(`malformed input (${HMAC})`, () => {
  const sign = (text: string) => btoa(text);
  const sig = "a".repeat(128);
  it.each([
    ["no header", undefined, "missing"],
    ["null", null, "missing"],
    ["an empty header", "", "missing"],
    ["whitespace", "   ", "missing"],
    ["not base64", "%%%not-base64%%%", "malformed"],
    ["base64 without a colon", sign(`${NOW}${sig}`), "malformed"],
    ["a short signature", sign(`${NOW}:${sig.slice(1)}`), "malformed"],
    ["a non-hex signature", sign(`${NOW}:${"z".repeat(128)}`), "malformed"],
    ["a non-numeric time", sign(`soon:${sig}`), "malformed"],
    ["a huge header", "A".repeat(100_000), "malformed"],
    ["a well-formed but wrong signature", sign(`${NOW}:${sig}`), "mismatch"],
  ])("%s → %s", async (_name, auth, expected) => {
    expect(await reason(verifyNotification({ body: BODY, auth: auth as string, apiKey: KEY, now: at(NOW) }))).toBe(
      expected,
    );
  });

  it("refuses a validly signed body that is not an order", async () => {
    for (const body of ["not json", "[1,2]", '{"amount":"ten"}', "\u00ff\u00fe"]) {
      const auth = await signNotification({ body, apiKey: KEY, timestamp: NOW });
      expect(await reason(verifyNotification({ body, auth, apiKey: KEY, now: at(NOW) }))).toBe("invalid_body");
    }
    const invalidUtf8 = new Uint8Array([0x7b, 0xff, 0x7d]);
    const auth = await signNotification({ body: invalidUtf8, apiKey: KEY, timestamp: NOW });
    expect(await reason(verifyNotification({ body: invalidUtf8, auth, apiKey: KEY, now: at(NOW) }))).toBe(
      "invalid_body",
    );
  });

  it("refuses signed bodies that are not an order notification", async () => {
    const nulls = JSON.stringify({ ...MINIMAL_ORDER, status: null, amount: null, currency: null, created: null });
    for (const body of [
      '{"hello":"world"}',
      '{"order_id":"x"}',
      JSON.stringify({ ...MINIMAL_ORDER, status: undefined }),
      nulls,
      JSON.stringify({ ...MINIMAL_ORDER, order_id: " " }),
    ]) {
      const auth = await signNotification({ body, apiKey: KEY, timestamp: NOW });
      expect(await reason(verifyNotification({ body, auth, apiKey: KEY, now: at(NOW) })), body).toBe("invalid_body");
    }
  });

  it("keeps ids beyond 2^53 exact", async () => {
    const body =
      '{"order_id":"o-1","transaction_id":17472052901237122,"status":"completed","financial_status":"completed","amount":1000,"currency":"EUR","created":"2026-11-25T10:00:00"}';
    const auth = await signNotification({ body, apiKey: KEY, timestamp: NOW });
    expect((await verifyNotification({ body, auth, apiKey: KEY, now: at(NOW) })).transaction_id).toBe(
      "17472052901237122",
    );
  });

  it("never throws anything but a SignatureVerificationError (fuzzed header and body)", async () => {
    const auth = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.base64String({ maxLength: 400 }),
      fc
        .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 140 }))
        .map(([t, s]) => btoa(unescape(encodeURIComponent(`${t}:${s}`)))),
      fc.constantFrom(undefined, null, ""),
    );
    const body = fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.json(), fc.anything());
    await fc.assert(
      fc.asyncProperty(auth, body, async (a, b) => {
        const outcome = await reason(
          verifyNotification({ body: b as string, auth: a as string, apiKey: KEY, now: at(NOW) }),
        );
        expect(["missing", "malformed", "mismatch", "expired", "invalid_body", "verified"]).toContain(outcome);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips any body through sign and verify", async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), fc.integer({ min: 0, max: 2 ** 40 }), async (json, ts) => {
        const body = JSON.stringify({ ...MINIMAL_ORDER, extra: JSON.parse(json) });
        const auth = await signNotification({ body, apiKey: KEY, timestamp: ts });
        expect(await reason(verifyNotification({ body, auth, apiKey: KEY, now: at(ts) }))).toBe("verified");
      }),
      { numRuns: 100 },
    );
  });
});

/** The fields every real notification body carries (test/fixtures/webhook). */
const MINIMAL_ORDER = {
  order_id: "o",
  transaction_id: 4000000001,
  status: "completed",
  financial_status: "completed",
  amount: 1000,
  currency: "EUR",
  created: "2026-11-25T10:00:00",
};

describe(`readNotification and the acknowledgement (${HMAC})`, () => {
  const url = "https://shop.example/notify?type=notification&transactionid=my-order-id&timestamp=1641218884";

  it("verifies a POST from a Fetch API Request", async () => {
    const auth = await signNotification({ body: BODY, apiKey: KEY });
    const request = new Request(url, {
      method: "POST",
      body: BODY,
      headers: { auth, "content-type": "application/json" },
    });
    const notification = await readNotification(request, { apiKey: KEY });
    expect(notification).toMatchObject({
      orderId: "my-order-id",
      source: "signature",
      order: { order_id: "my-order-id", status: "initialized" },
    });
  });

  it("refuses a signed body replayed under another order's transactionid", async () => {
    const auth = await signNotification({ body: BODY, apiKey: KEY });
    const forged = new Request(url.replace("my-order-id", "someone-elses-order"), {
      method: "POST",
      body: BODY,
      headers: { auth },
    });
    const error = await caught(readNotification(forged, { apiKey: KEY }));
    expect(error).toMatchObject({ code: "signature_verification_error", reason: "mismatch" });
    expect(String((error as Error).message)).not.toContain("someone-elses-order");
  });

  it("takes the order id from the signed body when the URL has none", async () => {
    const auth = await signNotification({ body: BODY, apiKey: KEY });
    const request = new Request("https://shop.example/notify", { method: "POST", body: BODY, headers: { auth } });
    expect((await readNotification(request, { apiKey: KEY })).orderId).toBe("my-order-id");
  });

  it("refuses an unsigned POST", async () => {
    const request = new Request(url, { method: "POST", body: BODY });
    expect(await reason(readNotification(request, { apiKey: KEY }))).toBe("missing");
  });

  it("fetches the order for a GET notification", async () => {
    const asked: string[] = [];
    const order = { status: "completed", amount: 1000, currency: "EUR" };
    const client = { orders: { get: async (id: string) => (asked.push(id), { order_id: id, ...order }) } };
    const notification = await readNotification(new Request(url), { apiKey: KEY, client });
    expect(notification).toEqual({
      orderId: "my-order-id",
      source: "api",
      order: { order_id: "my-order-id", ...order },
    });
    expect(asked).toEqual(["my-order-id"]);
  });

  it("acknowledges with 200 OK", async () => {
    const response = acknowledgeNotification();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("OK");
  });
});

describe(`every body MultiSafepay could sign is read; a body that is not an order is not (${HMAC})`, () => {
  const signed = async (body: string) => ({
    body,
    auth: await signNotification({ body, apiKey: KEY, timestamp: NOW }),
    apiKey: KEY,
    now: at(NOW),
  });
  const PRE_TRANSACTION = {
    order_id: "abandoned-1",
    status: "void",
    financial_status: "cancelled",
    amount: 1000,
    currency: "EUR",
    created: "2026-11-25T10:00:00",
    costs: [],
    customer: [],
    payment_details: [],
    custom_info: [],
    related_transactions: null,
  };

  it.each(["docs-ideal-initialized.body", "php-sdk-visa-gbp-completed.body", "python-sdk-visa-gbp-completed.body"])(
    "reads MultiSafepay's real body %s, signed anew",
    async (file) => {
      const body = readFixture(`webhook/${file}`);
      const order = await verifyNotification(await signed(body));
      expect(order).toMatchObject({ order_id: expect.anything(), status: expect.any(String) });
    },
  );

  it.each([
    ["a cancelled pre-transaction without transaction_id (docs webhook.md, Pre-transactions)", PRE_TRANSACTION],
    ["financial_status null (docs smartpos-solutions.md)", { ...MINIMAL_ORDER, financial_status: null }],
    [
      "[] for customer, payment_details and custom_info (PHP's empty array)",
      { ...MINIMAL_ORDER, customer: [], payment_details: [], custom_info: [] },
    ],
    [
      "[] for checkout_options.default (php-sdk NotificationTest)",
      { ...MINIMAL_ORDER, checkout_options: { default: [], alternate: [] } },
    ],
    ["only order_id and status", { order_id: "o-2", status: "expired" }],
    ["a numeric order_id", { order_id: 182, status: "completed" }],
  ])("reads %s", async (_name, value) => {
    const order = await verifyNotification(await signed(JSON.stringify(value)));
    expect(order.order_id).toBe(value.order_id);
    // PHP's [] where the order has an object comes back as {}, as the types say.
    for (const field of ["customer", "payment_details", "custom_info"] as const)
      if (field in value) expect(order[field]).toEqual({});
  });

  it("reads a pre-transaction through readNotification (the URL's transactionid is the order_id) as cancelled", async () => {
    const body = JSON.stringify(PRE_TRANSACTION);
    const auth = await signNotification({ body, apiKey: KEY, timestamp: NOW });
    const request = new Request(`https://shop.example/notify?transactionid=abandoned-1&timestamp=${NOW}`, {
      method: "POST",
      body,
      headers: { auth },
    });
    const notification = await readNotification(request, { apiKey: KEY, now: at(NOW) });
    expect(notification).toMatchObject({ orderId: "abandoned-1", source: "signature" });
    expect(notification.order.transaction_id).toBeUndefined();
    expect(notificationOutcome(notification.order)).toMatchObject({
      kind: "cancelled",
      orderId: "abandoned-1",
      financialStatus: "cancelled",
    });
    expect(notificationOutcome({ ...notification.order, financial_status: null })).toMatchObject({
      kind: "cancelled",
      financialStatus: null,
    });
  });

  it.each([
    "{}",
    "[]",
    '"a string"',
    "42",
    "null",
    "true",
    '{"foo":1}',
    '{"status":"completed"}',
    '{"order_id":"o-1"}',
    '{"order_id":"o-1","status":null}',
    '{"order_id":"","status":"completed"}',
    '[{"order_id":"o-1","status":"completed"}]',
  ])("refuses the signed body %s with invalid_body", async (body) => {
    expect(await reason(verifyNotification(await signed(body)))).toBe("invalid_body");
  });
});
