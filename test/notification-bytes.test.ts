// Notification bytes as MultiSafepay writes them (src/mock/php-json.ts): the mock and the HTTP sandbox sign
// compact PHP-style JSON, so the classic mistake (parse, then JSON.stringify, then verify) fails locally as it
// does in production, while MultiSafepay's own SDKs (Python: re-serializes; PHP: raw body) verify.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { createMultiSafepayMock, type PaymentOutcome } from "../src/mock/index.js";
import { phpFloat, phpJson } from "../src/mock/php-json.js";
import { readEmptyObjects } from "../src/notification-shape.js";
import { SignatureVerificationError } from "../src/webhooks.js";
import {
  HAS_PHP,
  HAS_PYTHON,
  phpSdkVerifies,
  phpWritesBytes,
  pythonKeepsBytes,
  pythonSdkVerifies,
  type Signed,
} from "./helpers/official-verifiers.js";
import { API_KEY, TEST_BASE, redirectOrder } from "./helpers/orders.js";
import { readFixture } from "./helpers/spec.js";
import { webhooks } from "./helpers/webhooks.js";

const { verifyNotification } = webhooks;
const PHP_ABSENT = "php is not installed: MultiSafepay's PHP SDK check (raw body) is skipped";
const PYTHON_ABSENT = "python3 is not installed: MultiSafepay's Python SDK check is skipped";
if (!HAS_PHP) console.warn(PHP_ABSENT);
if (!HAS_PYTHON) console.warn(PYTHON_ABSENT);

async function verdict(signed: Signed): Promise<string> {
  try {
    await verifyNotification({ ...signed, toleranceSeconds: Infinity });
    return "verified";
  } catch (error) {
    if (error instanceof SignatureVerificationError) return error.reason;
    throw error;
  }
}

/** What every signed sandbox notification must show: raw verifies, re-serialized fails, both SDKs verify. */
async function expectAsMultiSafepaySends(signed: Signed[], { reserializedDiffers = true } = {}) {
  for (const one of signed) {
    expect(await verdict(one)).toBe("verified");
    const reserialized = JSON.stringify(JSON.parse(one.body));
    if (reserializedDiffers) {
      // express.json() and then JSON.stringify(req.body): other bytes, so the signature no longer matches.
      expect(reserialized).not.toBe(one.body);
      expect(await verdict({ ...one, body: reserialized })).toBe("mismatch");
    }
  }
  if (HAS_PYTHON) expect(pythonSdkVerifies(signed)).toEqual(signed.map(() => true));
  if (HAS_PHP) expect(phpSdkVerifies(signed)).toEqual(signed.map(() => true));
}

describe("the serializer", () => {
  it.each(["php-sdk-visa-gbp-completed.body", "python-sdk-visa-gbp-completed.body"])(
    "writes MultiSafepay's real body %s byte for byte",
    (file) => {
      const body = readFixture(`webhook/${file}`);
      expect(phpJson(JSON.parse(body))).toBe(body);
    },
  );

  it("writes floats as PHP does (serialize_precision -1, JSON_PRESERVE_ZERO_FRACTION)", () => {
    // Each right-hand side is what PHP 8.2's json_encode wrote for the float.
    const php: [number, string][] = [
      [1, "1.0"],
      [0.25, "0.25"],
      [7.04, "7.04"],
      [100, "100.0"],
      [-1, "-1.0"],
      [0, "0.0"],
      [-0, "-0.0"],
      [1e15, "1000000000000000.0"],
      [1e16, "10000000000000000.0"],
      [1e17, "1.0e+17"],
      [1.25e20, "1.25e+20"],
      // biome-ignore lint/correctness/noPrecisionLoss: the literal is the double PHP would print, imprecise on purpose.
      [123456789012345678, "1.2345678901234568e+17"],
      [1e21, "1.0e+21"],
      [0.0001, "0.0001"],
      [1e-5, "1.0e-5"],
      [1.5e-5, "1.5e-5"],
      [0.000123, "0.000123"],
      [5e-324, "5.0e-324"],
      [1.7976931348623157e308, "1.7976931348623157e+308"],
      [0.1 + 0.2, "0.30000000000000004"],
    ];
    for (const [value, text] of php) expect(phpFloat(value), String(value)).toBe(text);
    expect(() => phpFloat(Number.NaN)).toThrow(TypeError);
  });

  it("takes float fields from the spec, writes empty maps as [] and keeps slashes and UTF-8 raw", () => {
    const order = {
      order_id: "o/1",
      amount: 100,
      costs: [{ amount: 1, transaction_id: 4 }],
      order_total: 12,
      customer: {},
      custom_info: { custom_1: "€ é 😀 </b>" },
    };
    expect(phpJson(order)).toBe(
      '{"order_id":"o/1","amount":100,"costs":[{"amount":1.0,"transaction_id":4}],"order_total":12.0,"customer":[],"custom_info":{"custom_1":"€ é 😀 </b>"}}',
    );
    expect(() => phpJson({ description: "\ud800" })).toThrow(TypeError);
  });
});

// Values shaped like orders: decimal-euro floats where the spec has them, empty maps, text with slashes,
// quotes, control characters and non-ASCII.
const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("", "/", "</font>", "é", "€", "😀", '"', "\\", "\n\t", "\u0001", "\u2028"),
);
// Decimal euros, whole euros, and any double from 1e-4 to 1e15 either way. Outside that PHP and Python write
// different exponent forms (PHP `1.0e-5`, Python `1e-05`), so MultiSafepay's Python SDK would refuse such a
// body: they are not fees MultiSafepay sends.
const euros = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100),
  fc.integer({ min: 0, max: 1000 }),
  fc.tuple(fc.double({ min: 1e-4, max: 1e15, noNaN: true }), fc.boolean()).map(([x, negative]) => (negative ? -x : x)),
);
const maybeEmpty = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant({}));
const orderLike = fc.record(
  {
    order_id: fc.oneof(text, fc.integer({ min: 0, max: 2 ** 53 - 1 })),
    transaction_id: fc.integer({ min: 1, max: 2 ** 53 - 1 }),
    status: fc.constantFrom("completed", "void", "expired", "initialized"),
    financial_status: fc.option(fc.constantFrom("completed", "cancelled"), { nil: null }),
    amount: fc.integer({ min: 1, max: 10_000_000 }),
    currency: fc.constant("EUR"),
    description: text,
    costs: fc.array(
      fc.record({
        amount: euros,
        transaction_id: fc.integer({ min: 1, max: 2 ** 40 }),
        description: text,
        type: fc.constant("SYSTEM"),
      }),
      { maxLength: 3 },
    ),
    customer: maybeEmpty(
      fc.record({
        first_name: fc.option(text, { nil: null }),
        city: text,
        house_number: fc.oneof(text, fc.integer({ min: 0, max: 999 })),
      }),
    ),
    payment_details: maybeEmpty(fc.record({ type: fc.constant("KBC"), external_transaction_id: text })),
    custom_info: maybeEmpty(fc.record({ custom_1: fc.option(text, { nil: null }) })),
    checkout_options: fc.record({ default: maybeEmpty(fc.record({ rate: euros, shipping_taxed: fc.boolean() })) }),
    order_total: euros,
    related_transactions: fc.constant(null),
  },
  { requiredKeys: ["order_id", "status"] },
);

/** The value as PHP holds it: every empty map is an empty array. */
function asPhp(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asPhp);
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, asPhp(v)] as const);
    return entries.length ? Object.fromEntries(entries) : [];
  }
  return value;
}

describe("the serializer, on values shaped like orders", () => {
  it("parses back to the same value (an empty map as [], read back as {} where the order has an object)", () => {
    fc.assert(
      fc.property(orderLike, (order) => {
        const parsed = JSON.parse(phpJson(order));
        expect(parsed).toEqual(asPhp(order));
        const read = readEmptyObjects(structuredClone(parsed)) as Record<string, unknown>;
        for (const field of ["customer", "payment_details", "custom_info"])
          if (field in order) expect(read[field]).toEqual((order as Record<string, unknown>)[field]);
      }),
    );
  });

  it.skipIf(!HAS_PYTHON)("is given back byte for byte by Python's re-serialization (the Python SDK's check)", () => {
    fc.assert(
      fc.property(fc.array(orderLike, { minLength: 1, maxLength: 40 }), (orders) => {
        const bodies = orders.map((o) => phpJson(o));
        expect(pythonKeepsBytes(bodies)).toEqual(bodies.map(() => true));
      }),
      { numRuns: 15 },
    );
  });

  it.skipIf(!HAS_PHP)("is what PHP's json_encode writes for it", () => {
    fc.assert(
      fc.property(fc.array(orderLike, { minLength: 1, maxLength: 40 }), (orders) => {
        const bodies = orders.map((o) => phpJson(o));
        expect(phpWritesBytes(bodies)).toEqual(bodies.map(() => true));
      }),
      { numRuns: 15 },
    );
  });
});

const notified = (url: string) => ({
  ...redirectOrder(),
  payment_options: { ...redirectOrder().payment_options, notification_url: url, notification_method: "POST" as const },
});

describe("the mock's notifications", () => {
  async function notificationsFor(outcome: PaymentOutcome): Promise<Signed[]> {
    const received: Signed[] = [];
    const mock = createMultiSafepayMock({
      apiKey: API_KEY,
      fetch: async (request) => {
        received.push({ body: await request.text(), auth: request.headers.get("auth") ?? "", apiKey: API_KEY });
        return new Response("OK");
      },
    });
    const order = notified("https://shop.example/notify");
    const created = await mock.fetch(
      new Request(`${TEST_BASE}/orders`, {
        method: "POST",
        headers: { api_key: API_KEY, "content-type": "application/json" },
        body: JSON.stringify(order),
      }),
    );
    expect(created.status).toBe(200);
    await mock.pay(String(order.order_id), { status: outcome });
    expect(received).toHaveLength(1);
    return received;
  }

  it("a completed payment: verifies raw and with both SDKs, fails once re-serialized", async () => {
    const signed = await notificationsFor("completed");
    // The illustrative whole-euro KBC fee, written the PHP way: JSON.stringify makes it `1`.
    expect(signed[0]!.body).toContain('"costs":[{"transaction_id":4000000001,"amount":1.0,');
    await expectAsMultiSafepaySends(signed);
  });

  it.each(["void", "cancelled", "expired", "declined"] as const)(
    "%s: verifies raw and with both SDKs",
    async (outcome) => {
      // No float in these bodies (no fee is charged), so re-serializing happens to give the same bytes: the
      // mistake goes unseen here, as it would in production for the same body (docs/notifications.md, "Verify the raw bytes").
      await expectAsMultiSafepaySends(await notificationsFor(outcome), { reserializedDiffers: false });
    },
  );
});

describe("the HTTP sandbox's notifications", () => {
  let sandbox: Server;
  let merchant: Server;
  let sandboxBase: string;
  let notifyUrl: string;
  const received: Signed[] = [];

  beforeAll(async () => {
    const routes = createSandboxRoutes();
    sandbox = createServer(async (req, res) => {
      if (!(await routes.handle(req, res))) res.writeHead(404).end();
    });
    // The merchant keeps the raw bytes, as a correct handler does.
    merchant = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        auth: String(req.headers.auth ?? ""),
        apiKey: API_KEY,
      });
      res.writeHead(200, { "content-type": "text/plain" }).end("OK");
    });
    await Promise.all([sandbox, merchant].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
    sandboxBase = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`;
    notifyUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/notify`;
  });
  afterAll(() => Promise.all([sandbox, merchant].map((s) => new Promise((r) => s?.close(r)))));

  it("a completed payment over HTTP: verifies raw and with both SDKs, fails once re-serialized", async () => {
    const order = { ...notified(notifyUrl), order_id: "http-bytes-1" };
    const created = await fetch(`${sandboxBase}/v1/json/orders`, {
      method: "POST",
      headers: { api_key: API_KEY, "content-type": "application/json" },
      body: JSON.stringify(order),
    });
    expect(created.status).toBe(200);
    const paid = await fetch(`${sandboxBase}/sandbox/orders/http-bytes-1/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "completed" }),
    });
    expect(paid.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toContain('"amount":1.0,');
    await expectAsMultiSafepaySends(received);
  });
});
