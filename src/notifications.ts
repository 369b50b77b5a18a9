// Verifying and reading MultiSafepay's order notifications, over an HMAC the entry point chooses (webhooks.ts:
// Web Crypto, everywhere; webhooks-node.ts: node:crypto, several times faster on Node). The `Auth` header is
// base64("<timestamp>:<hex HMAC-SHA512>") over "<timestamp>:<raw body>", keyed with the website API key.
import { validateNotification } from "../generated/notification-validator.js";
import { SignatureVerificationError } from "./errors.js";
import { parseJson } from "./json.js";
import { keyProblem, misuseOf, requestMisuseOf } from "./notification-advice.js";
import { readEmptyObjects } from "./notification-shape.js";
import type { Order } from "./types.js";

export type RawBody = string | Uint8Array | ArrayBuffer;

/**
 * The website API key a notification is signed with, or several while you rotate it (the new key and the old
 * one): a body signed with any of them verifies. Every key is tried, whichever matches.
 */
export type NotificationKeys = string | readonly string[];

/**
 * The `Auth` request header as the server framework gives it: a string (Fetch's `headers.get("auth")`,
 * Express's `req.get("auth")`), or node:http's `req.headers.auth`, typed `string | string[] | undefined` (a
 * one-element array is read; more than one value is refused as `malformed`).
 */
export type AuthHeader = string | readonly string[] | null | undefined;

export interface VerifyOptions {
  /** The raw request body, exactly as received: a string or bytes, never parsed JSON. */
  body: RawBody;
  /** The `Auth` request header. */
  auth: AuthHeader;
  /** The website API key the notification was signed with, or the keys while you rotate it (any may match). */
  apiKey: NotificationKeys;
  /** How far the signed time may be from now, either way. Default 600. Only `Infinity` turns the check off. */
  toleranceSeconds?: number;
  /** The current time (a Date, or milliseconds since the epoch). Default: the clock. */
  now?: Date | number;
}

export interface SignOptions {
  body: RawBody;
  apiKey: string;
  /** Unix seconds. Default: now. */
  timestamp?: number;
}

/** The reply MultiSafepay expects: HTTP 200 with the body `OK`. Anything else is retried up to 3 times. */
export const NOTIFICATION_ACK = "OK";

const DEFAULT_TOLERANCE_SECONDS = 600;
const MAX_AUTH_LENGTH = 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SIGNED = /^(\d{1,15}):([0-9a-fA-F]{128})$/;
export const encoder = new TextEncoder();

export interface ReadNotificationOptions {
  /** The website API key, or the keys while you rotate it (any may match). */
  apiKey: NotificationKeys;
  /** Needed for GET notifications, which carry no body: the order is fetched from MultiSafepay with it. */
  client?: { orders: { get(orderId: string): Promise<Order> } };
  toleranceSeconds?: number;
  now?: Date | number;
}

export interface Notification {
  /** Your order id: from the signed body (POST) or the API's answer (GET), never from the URL alone. */
  orderId: string;
  order: Order;
  /** How the order was established: a verified signature (POST), or fetched from the API (GET). */
  source: "signature" | "api";
}

/** The keyed hash behind verify and sign: Web Crypto here, node:crypto in webhooks-node.ts. */
export interface Hmac {
  /** Whether `signatureHex` is HMAC-SHA512(key, "<timestamp>:" + body), compared in constant time. */
  verify(
    apiKey: string,
    timestamp: string,
    body: string | Uint8Array,
    signatureHex: string,
  ): Promise<boolean> | boolean;
  /** The hex HMAC-SHA512(key, "<timestamp>:" + body). */
  sign(apiKey: string, timestamp: string, body: string | Uint8Array): Promise<string> | string;
}

/** The notification functions over one HMAC implementation. */
export function bindWebhooks(hmac: Hmac) {
  /**
   * Checks a POST notification's `Auth` signature, with the key or any of the keys, and returns the order it
   * carries. Throws only SignatureVerificationError, whose `reason` is missing, malformed, mismatch, expired or
   * invalid_body.
   */
  async function verifyNotification(options: VerifyOptions): Promise<Order> {
    // Called the wrong way (positional arguments, a Request): say how it is called. `invalid_body`, as any
    // call without a raw body has always been, so that callers branching on `reason` see no new one.
    const misuse = misuseOf(options);
    if (misuse) throw new SignatureVerificationError("invalid_body", misuse);
    const { body: given, auth: header, apiKey } = options;
    const body = rawBody(given);
    if (body === null) {
      throw new SignatureVerificationError(
        "invalid_body",
        "Pass the raw request body (a string or bytes, exactly as received). Parsed JSON cannot be verified: re-serializing changes the bytes that were signed.",
      );
    }
    const badKey = keyProblem(apiKey);
    if (badKey) throw new SignatureVerificationError("missing", badKey);
    const auth = authValue(header);
    if (auth === undefined) throw new SignatureVerificationError("missing", "The notification has no Auth header");
    if (auth === null)
      throw new SignatureVerificationError(
        "malformed",
        `The Auth header came ${(header as readonly unknown[]).length} times; MultiSafepay sends one (does a proxy add another?)`,
      );

    const signed = decodeAuth(auth);
    if (!signed)
      throw new SignatureVerificationError(
        "malformed",
        "The Auth header is not base64 of <timestamp>:<hex HMAC-SHA512>",
      );

    // MultiSafepay's SDKs trim the key; a copied key often carries a newline.
    const keys = typeof apiKey === "string" ? [apiKey.trim()] : apiKey.map((key) => key.trim());
    let valid = false;
    // Every key is compared (each in constant time), whichever matches and however early: the time taken
    // does not tell which key signed the body, nor whether the first one did.
    for (const key of keys) {
      let matches: boolean;
      try {
        matches = await hmac.verify(key, signed.timestamp, body, signed.signature);
      } catch {
        matches = false;
      }
      valid = matches || valid;
    }
    if (!valid)
      throw new SignatureVerificationError(
        "mismatch",
        keys.length === 1
          ? "The Auth signature does not match this body and API key"
          : `The Auth signature does not match this body with any of the ${keys.length} API keys`,
      );

    const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    const nowSeconds = nowInSeconds(options.now);
    // Written so that NaN, or any tolerance that is not a number, refuses rather than accepts.
    if (!(Math.abs(nowSeconds - Number(signed.timestamp)) <= tolerance)) {
      throw new SignatureVerificationError(
        "expired",
        `The notification was signed at ${signed.timestamp}, more than ${tolerance} s from now`,
      );
    }
    return readOrder(body);
  }

  /** Makes the `Auth` header MultiSafepay would send for this body: for your tests and local tools. */
  async function signNotification(options: SignOptions): Promise<string> {
    const body = rawBody(options.body);
    if (body === null) throw new TypeError("signNotification needs the raw body as a string or bytes");
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    if (!/^\d{1,15}$/.test(timestamp)) throw new TypeError("timestamp must be Unix seconds");
    return btoa(`${timestamp}:${await hmac.sign(options.apiKey.trim(), timestamp, body)}`);
  }

  /**
   * Reads a notification from a Fetch API Request (Workers, Bun, Deno, Next.js route handlers, Hono). POST
   * bodies are verified with the `Auth` signature; for GET the order is fetched with `client`. Answer with
   * `acknowledgeNotification()` once you have stored the outcome.
   */
  async function readNotification(request: Request, given: ReadNotificationOptions): Promise<Notification> {
    const misuse = requestMisuseOf(request);
    if (misuse) throw new SignatureVerificationError("invalid_body", misuse);
    // Without options a POST is refused as `missing` (no key), with the message that says what to pass.
    const options = given ?? ({} as Partial<ReadNotificationOptions>);
    const queryId = new URL(request.url).searchParams.get("transactionid");
    if (request.method === "GET") {
      if (!queryId) throw new SignatureVerificationError("invalid_body", "The notification has no transactionid");
      if (!options.client)
        throw new TypeError("GET notifications are unsigned: pass `client` so the order is fetched from MultiSafepay");
      const order = await options.client.orders.get(queryId);
      // The API's answer is the truth; its id is what the caller keys on.
      return { orderId: String(order.order_id ?? queryId), order, source: "api" };
    }
    const order = await verifyNotification({
      body: await request.arrayBuffer(),
      auth: request.headers.get("auth"),
      apiKey: options.apiKey as NotificationKeys,
      ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    // Only the body is signed: a captured notification replayed with another transactionid must not name
    // another order. The id the caller gets is always the signed one.
    const orderId = String(order.order_id);
    if (queryId !== null && queryId !== orderId) {
      throw new SignatureVerificationError(
        "mismatch",
        "The transactionid in the URL is not the order id in the signed body",
      );
    }
    return { orderId, order, source: "signature" };
  }

  return { verifyNotification, signNotification, readNotification };
}

/** The answer MultiSafepay counts as delivered: 200 with the body `OK`. */
export function acknowledgeNotification(): Response {
  return new Response(NOTIFICATION_ACK, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The Auth header's one value, trimmed: undefined when there is none (absent, empty, an empty list), null when
 * node:http gave several (a list of more than one).
 */
function authValue(header: unknown): string | null | undefined {
  if (Array.isArray(header) && header.length > 1) return null;
  const one: unknown = Array.isArray(header) ? header[0] : header;
  return typeof one === "string" && one.trim() !== "" ? one.trim() : undefined;
}

/** The body as given: a string stays a string (hashed and parsed without copies), bytes stay bytes. */
function rawBody(body: unknown): string | Uint8Array | null {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return null;
}

function decodeAuth(auth: string): { timestamp: string; signature: string } | null {
  if (auth.length > MAX_AUTH_LENGTH || !BASE64.test(auth)) return null;
  let decoded: string;
  try {
    decoded = atob(auth);
  } catch {
    return null;
  }
  const match = SIGNED.exec(decoded);
  return match ? { timestamp: match[1]!, signature: match[2]!.toLowerCase() } : null;
}

export function signedMessage(timestamp: string, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof body === "string") return encoder.encode(`${timestamp}:${body}`);
  const prefix = encoder.encode(`${timestamp}:`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  return message;
}

function readOrder(body: string | Uint8Array): Order {
  let order: unknown;
  try {
    order = parseJson(typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    throw new SignatureVerificationError("invalid_body", "The notification body is not JSON");
  }
  // An order is a JSON object with `order_id` and `status` (OrderNotification says why the line is there).
  // PHP writes an empty map as `[]`: where the order has an object, that is read as `{}` first.
  if (
    typeof order !== "object" ||
    order === null ||
    Array.isArray(order) ||
    !validateNotification(readEmptyObjects(order))
  ) {
    throw new SignatureVerificationError(
      "invalid_body",
      "The notification body is not an order (a JSON object with order_id and status)",
    );
  }
  return order as Order;
}

function nowInSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
  return Math.floor(ms / 1000);
}

export function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
