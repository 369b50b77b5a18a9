// Order validation and notification verification, per second, against node:crypto used directly.
import { createHmac, timingSafeEqual } from "node:crypto";
import { signNotification, verifyNotification } from "multisafepay-kbc/webhooks";
import { verifyNotification as verifyWithWebCrypto } from "../../dist/webhooks.js";
import { validateRedirectOrderRequest } from "../../generated/request-validators.js";
import { API_KEY, fmt, order, perSecond, perSecondAsync } from "../lib.mjs";

export default async function verificationRow() {
  const notificationBody = JSON.stringify({
    order_id: "bench-1",
    transaction_id: 123456789,
    status: "completed",
    financial_status: "completed",
    amount: 1000,
    currency: "EUR",
    created: "2026-11-25T10:00:00",
  });
  const auth = await signNotification({ body: notificationBody, apiKey: API_KEY });
  // The floor for verification: what any Node handler must do at least, with node:crypto directly.
  const floorSignature = Buffer.from(atob(auth).split(":")[1], "hex");
  const floorTimestamp = atob(auth).split(":")[0];
  const verificationFloor = () => {
    const digest = createHmac("sha512", API_KEY).update(`${floorTimestamp}:`).update(notificationBody).digest();
    if (!timingSafeEqual(digest, floorSignature)) throw new Error("floor mismatch");
    return JSON.parse(notificationBody);
  };
  const throughput = {
    "order validation (orders/s)": perSecond(() => validateRedirectOrderRequest(order)),
    "notification verification, node:crypto floor (/s)": perSecond(verificationFloor),
    "notification verification, multisafepay-kbc on Node (/s)": await perSecondAsync(() =>
      verifyNotification({ body: notificationBody, auth, apiKey: API_KEY }),
    ),
    "notification verification, multisafepay-kbc with Web Crypto (/s)": await perSecondAsync(() =>
      verifyWithWebCrypto({ body: notificationBody, auth, apiKey: API_KEY }),
    ),
  };
  const verifyRatio =
    throughput["notification verification, multisafepay-kbc on Node (/s)"] /
    throughput["notification verification, node:crypto floor (/s)"];
  return {
    targets: [
      {
        what: "notification verification vs node:crypto HMAC + timingSafeEqual + JSON.parse",
        result: `${fmt(verifyRatio, 2)}× the floor's rate`,
        goal: "≥ 0.5×",
        met: verifyRatio >= 0.5,
      },
    ],
    lines: [
      "| throughput | per second |",
      "|---|---:|",
      ...Object.entries(throughput).map(([k, v]) => `| ${k} | ${fmt(v, 0)} |`),
    ],
    results: { perSecond: throughput, verificationVsFloor: verifyRatio },
  };
}
