// Key rotation and the Auth header as servers give it: a body signed with any of the keys verifies, every key
// is compared, node:http's array header is read; and a wrong call says how verifyNotification is called.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { bindWebhooks, type Hmac } from "../src/notifications.js";
import { SignatureVerificationError } from "../src/webhooks.js";
import { caught } from "./helpers/caught.js";
import { readFixture } from "./helpers/spec.js";
import { HMAC, webhooks } from "./helpers/webhooks.js";

const { readNotification, signNotification, verifyNotification } = webhooks;
const OLD = "old-website-key-7d1e";
const NEW = "new-website-key-3a9c";
const BODY = readFixture("webhook/docs-ideal-initialized.body");
const NOW = 1_700_000_000;
const now = NOW * 1000;

async function failure(promise: Promise<unknown>): Promise<SignatureVerificationError> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(SignatureVerificationError);
  return error as unknown as SignatureVerificationError;
}

describe(`key rotation (${HMAC})`, () => {
  it("verifies a body signed with any of the keys, in any order", async () => {
    for (const signer of [OLD, NEW]) {
      const auth = await signNotification({ body: BODY, apiKey: signer, timestamp: NOW });
      for (const apiKey of [[OLD, NEW], [NEW, OLD], [signer]]) {
        const order = await verifyNotification({ body: BODY, auth, apiKey, now });
        expect(order.order_id).toBe("my-order-id");
      }
      // A readonly tuple, as `as const` makes it.
      const keys = [NEW, OLD] as const;
      expect((await verifyNotification({ body: new TextEncoder().encode(BODY), auth, apiKey: keys, now })).status).toBe(
        "initialized",
      );
    }
  });

  it("refuses a body signed with neither key, saying how many were tried", async () => {
    const auth = await signNotification({ body: BODY, apiKey: "a-third-key-0000", timestamp: NOW });
    const error = await failure(verifyNotification({ body: BODY, auth, apiKey: [OLD, NEW], now }));
    expect(error).toMatchObject({ reason: "mismatch" });
    expect(error.message).toContain("any of the 2 API keys");
    expect(error.message).not.toContain(OLD);
    expect(error.message).not.toContain(NEW);
  });

  it("trims each key, as a single key is trimmed", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW, timestamp: NOW });
    expect((await verifyNotification({ body: BODY, auth, apiKey: [` ${OLD}`, `${NEW}\n`], now })).order_id).toBe(
      "my-order-id",
    );
  });

  it("refuses an empty list, and a list with an entry that is not a key, as missing", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW, timestamp: NOW });
    const empty = await failure(verifyNotification({ body: BODY, auth, apiKey: [], now }));
    expect(empty).toMatchObject({ reason: "missing" });
    expect(empty.message).toMatch(/empty list: give at least one website API key/);
    for (const bad of [
      [NEW, ""],
      [NEW, "  "],
      [NEW, 42],
      [NEW, null],
    ]) {
      const error = await failure(verifyNotification({ body: BODY, auth, apiKey: bad as string[], now }));
      expect(error).toMatchObject({ reason: "missing" });
      expect(error.message).toBe("apiKey[1] is not an API key (a non-empty string)");
    }
    expect((await failure(verifyNotification({ body: BODY, auth, apiKey: {} as never, now }))).reason).toBe("missing");
  });

  it("reads a Fetch API Request with either key", async () => {
    const url = "https://shop.example/notify?transactionid=my-order-id";
    for (const signer of [OLD, NEW]) {
      const auth = await signNotification({ body: BODY, apiKey: signer });
      const request = new Request(url, { method: "POST", body: BODY, headers: { auth } });
      expect(await readNotification(request, { apiKey: [NEW, OLD] })).toMatchObject({
        orderId: "my-order-id",
        source: "signature",
      });
    }
    const auth = await signNotification({ body: BODY, apiKey: "a-third-key-0000" });
    const request = new Request(url, { method: "POST", body: BODY, headers: { auth } });
    expect((await failure(readNotification(request, { apiKey: [NEW, OLD] }))).reason).toBe("mismatch");
  });
});

describe("every key is compared, whichever matches", () => {
  /** An HMAC that records which keys it compared, over the real one of this runtime's choice. */
  function recording(): { hmac: Hmac; compared: string[] } {
    const compared: string[] = [];
    const sign = (key: string, timestamp: string, body: string | Uint8Array) =>
      webhooks.signNotification({ body, apiKey: key, timestamp: Number(timestamp) }).then((auth) => {
        return atob(auth).split(":")[1]!;
      });
    const hmac: Hmac = {
      async verify(key, timestamp, body, signatureHex) {
        compared.push(key);
        if (key === "throws-key-0000") throw new Error("a broken key");
        return (await sign(key, timestamp, body)) === signatureHex;
      },
      sign,
    };
    return { hmac, compared };
  }

  it("compares the later keys after the first one matched, and the first after a later one did", async () => {
    const auth = await signNotification({ body: BODY, apiKey: OLD, timestamp: NOW });
    for (const keys of [
      [OLD, NEW, "third-key-0000"],
      [NEW, "third-key-0000", OLD],
    ]) {
      const { hmac, compared } = recording();
      const order = await bindWebhooks(hmac).verifyNotification({ body: BODY, auth, apiKey: keys, now });
      expect(order.order_id).toBe("my-order-id");
      expect(compared).toEqual(keys);
    }
  });

  it("a key whose comparison throws counts as not matching, and the others are still compared", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW, timestamp: NOW });
    const { hmac, compared } = recording();
    const order = await bindWebhooks(hmac).verifyNotification({
      body: BODY,
      auth,
      apiKey: ["throws-key-0000", NEW],
      now,
    });
    expect(order.order_id).toBe("my-order-id");
    expect(compared).toEqual(["throws-key-0000", NEW]);
  });
});

describe(`the Auth header as node:http gives it (${HMAC})`, () => {
  it("reads a one-element array", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW, timestamp: NOW });
    expect((await verifyNotification({ body: BODY, auth: [auth], apiKey: NEW, now })).order_id).toBe("my-order-id");
    expect((await verifyNotification({ body: BODY, auth: [` ${auth} `], apiKey: [OLD, NEW], now })).status).toBe(
      "initialized",
    );
  });

  it("refuses several values as malformed, and an empty array or a non-string as missing", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW, timestamp: NOW });
    const twice = await failure(verifyNotification({ body: BODY, auth: [auth, auth], apiKey: NEW, now }));
    expect(twice).toMatchObject({ reason: "malformed" });
    expect(twice.message).toMatch(/came 2 times; MultiSafepay sends one/);
    expect((await failure(verifyNotification({ body: BODY, auth: [], apiKey: NEW, now }))).reason).toBe("missing");
    expect((await failure(verifyNotification({ body: BODY, auth: [""], apiKey: NEW, now }))).reason).toBe("missing");
    expect(
      (await failure(verifyNotification({ body: BODY, auth: [42] as unknown as string[], apiKey: NEW, now }))).reason,
    ).toBe("missing");
  });
});

describe(`a wrong call says how verifyNotification is called (${HMAC})`, () => {
  const call = verifyNotification as unknown as (...args: unknown[]) => Promise<unknown>;

  it("positional arguments", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW, timestamp: NOW });
    for (const first of [BODY, new TextEncoder().encode(BODY), new TextEncoder().encode(BODY).buffer]) {
      const error = await failure(call(first, auth, NEW));
      expect(error).toMatchObject({ code: "signature_verification_error", reason: "invalid_body" });
      expect(error.message).toContain("verifyNotification({ body, auth, apiKey }) takes one options object");
      expect(error.message).toContain("not positional arguments");
    }
  });

  it("a Fetch API Request points to readNotification", async () => {
    const auth = await signNotification({ body: BODY, apiKey: NEW });
    const request = new Request("https://shop.example/notify", { method: "POST", body: BODY, headers: { auth } });
    const error = await failure(call(request, { apiKey: NEW }));
    expect(error.reason).toBe("invalid_body");
    expect(error.message).toContain("readNotification(request, { apiKey })");
    // Nothing was read from it: the caller can still hand it to readNotification.
    expect(request.bodyUsed).toBe(false);
    expect((await readNotification(request, { apiKey: NEW })).orderId).toBe("my-order-id");
  });

  it("a Node request says to read the raw body first", async () => {
    const req = Object.assign(new EventEmitter(), { headers: { auth: "x" }, method: "POST", pipe() {} });
    const error = await failure(call(req));
    expect(error.reason).toBe("invalid_body");
    expect(error.message).toContain("read the raw body first");
  });

  it("readNotification given a Node request, options, or no options says what it takes", async () => {
    const read = readNotification as unknown as (...args: unknown[]) => Promise<unknown>;
    const req = Object.assign(new EventEmitter(), { headers: { auth: "x" }, url: "/notify", pipe() {} });
    const node = await failure(read(req, { apiKey: NEW }));
    expect(node.reason).toBe("invalid_body");
    expect(node.message).toContain("takes a Fetch API Request, not a Node request: read the raw body");
    for (const wrong of [{ body: BODY, auth: "x", apiKey: NEW }, undefined]) {
      const error = await failure(read(wrong, { apiKey: NEW }));
      expect(error.message).toContain("takes a Fetch API Request; it was given");
      expect(error.message).toContain("verifyNotification({ body, auth, apiKey })");
    }
    const auth = await signNotification({ body: BODY, apiKey: NEW });
    const request = new Request("https://shop.example/notify", { method: "POST", body: BODY, headers: { auth } });
    // Hono's c.req wraps the Request as `raw`.
    const hono = await failure(read({ raw: request, url: request.url, header: () => auth }, { apiKey: NEW }));
    expect(hono.message).toContain("readNotification(c.req.raw, { apiKey })");
    expect(request.bodyUsed).toBe(false);
    const unkeyed = await failure(read(request));
    expect(unkeyed.reason).toBe("missing");
    expect(unkeyed.message).toContain("apiKey is the website API key");
  });

  it("nothing, or not an object", async () => {
    for (const given of [undefined, null, 42]) {
      const error = await failure(call(given));
      expect(error.reason).toBe("invalid_body");
      expect(error.message).toContain("takes one options object");
    }
  });
});
