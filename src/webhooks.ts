// "multisafepay-kbc/webhooks": verify and read MultiSafepay's order notifications on any runtime, with Web
// Crypto. Node loads webhooks-node.ts instead (the "node" export condition): the same functions over
// node:crypto, which Node runs several times faster (npm run bench).
import {
  bindWebhooks,
  encoder,
  hexBytes,
  signedMessage,
  toHex,
  type Hmac,
  type Notification,
  type ReadNotificationOptions,
  type SignOptions,
  type VerifyOptions,
} from "./notifications.js";
import type { Order } from "./types.js";

export { SignatureVerificationError } from "./errors.js";
export type { SignatureFailureReason } from "./errors.js";
export { notificationOutcome } from "./notification-outcome.js";
export type { NotificationOutcome, NotificationOutcomeKind, RefundSummary } from "./notification-outcome.js";
export { acknowledgeNotification, NOTIFICATION_ACK } from "./notifications.js";
export type {
  AuthHeader,
  Notification,
  NotificationKeys,
  RawBody,
  ReadNotificationOptions,
  SignOptions,
  VerifyOptions,
} from "./notifications.js";

/** HMAC-SHA512 with Web Crypto, which every runtime has. Imported keys are kept, per API key, for the next call. */
function webCryptoHmac(): Hmac {
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (apiKey: string) => {
    let key = keys.get(apiKey);
    if (!key) {
      if (keys.size >= 16) keys.clear();
      key = crypto.subtle.importKey("raw", encoder.encode(apiKey), { name: "HMAC", hash: "SHA-512" }, false, [
        "sign",
        "verify",
      ]);
      keys.set(apiKey, key);
    }
    return key;
  };
  return {
    async verify(apiKey, timestamp, body, signatureHex) {
      return crypto.subtle.verify("HMAC", await keyFor(apiKey), hexBytes(signatureHex), signedMessage(timestamp, body));
    },
    async sign(apiKey, timestamp, body) {
      return toHex(
        new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(apiKey), signedMessage(timestamp, body))),
      );
    },
  };
}

const web = bindWebhooks(webCryptoHmac());
/**
 * Checks a POST notification's `Auth` signature and returns the order it carries. `apiKey` is the website API
 * key, or several while you rotate it: a body signed with any of them verifies. Throws only
 * SignatureVerificationError, whose `reason` is missing, malformed, mismatch, expired or invalid_body.
 */
export const verifyNotification: (options: VerifyOptions) => Promise<Order> = web.verifyNotification;
/** Makes the `Auth` header MultiSafepay would send for this body: for your tests and local tools. */
export const signNotification: (options: SignOptions) => Promise<string> = web.signNotification;
/** Reads a notification from a Fetch API Request: verifies a POST, fetches the order for a GET (see the README). */
export const readNotification: (request: Request, options: ReadNotificationOptions) => Promise<Notification> =
  web.readNotification;
