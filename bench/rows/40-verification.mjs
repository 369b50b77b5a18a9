// Notification verification on a real 2.4 kB notification (test/fixtures/webhook, from MultiSafepay's PHP SDK)
// and a 20 kB one (the same order with a long shopping cart), against the floor: what any Node handler must do
// with the body and the Auth header it is given, with node:crypto directly (decode the header, HMAC-SHA512 of
// "<timestamp>:<body>", timingSafeEqual, JSON.parse). Also order validation, per call.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signNotification, verifyNotification } from "multisafepay-kbc/webhooks";
import { verifyNotification as verifyWithWebCrypto } from "../../dist/webhooks.js";
import { validateRedirectOrderRequest } from "../../generated/request-validators.js";
import { API_KEY, IN_PROCESS_CALLS, ROUNDS, fmt, interleaved, order, root, roundRatio } from "../lib.mjs";

const TARGET = 0.7;
const CALLS = IN_PROCESS_CALLS / 2;

function bodies() {
  const real = readFileSync(join(root, "test/fixtures/webhook/php-sdk-visa-gbp-completed.body"), "utf8");
  const large = JSON.parse(real);
  const item = large.shopping_cart.items[0];
  for (let i = 0; JSON.stringify(large).length < 20 * 1024; i++)
    large.shopping_cart.items.push({ ...item, merchant_item_id: String(100 + i), name: `Ergonomic Paper Table ${i}` });
  return { [`real notification, ${fmt(real.length / 1000)} kB`]: real, "20 kB notification": JSON.stringify(large) };
}

export default async function verificationRow() {
  const targets = [];
  const lines = [
    `Notification verification (median of ${ROUNDS} interleaved rounds × ${CALLS} calls), µs per notification`,
    "| body | node:crypto floor | HMAC + timingSafeEqual alone | multisafepay-kbc on Node | vs floor | with Web Crypto |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  const results = {};
  for (const [name, body] of Object.entries(bodies())) {
    const auth = await signNotification({ body, apiKey: API_KEY });
    const floor = () => {
      const [timestamp, hex] = atob(auth).split(":");
      const digest = createHmac("sha512", API_KEY).update(`${timestamp}:`).update(body).digest();
      if (!timingSafeEqual(digest, Buffer.from(hex, "hex"))) throw new Error("floor mismatch");
      return JSON.parse(body);
    };
    const [timestamp, hex] = atob(auth).split(":");
    const signature = Buffer.from(hex, "hex");
    const hmacAlone = () =>
      timingSafeEqual(createHmac("sha512", API_KEY).update(`${timestamp}:`).update(body).digest(), signature);
    const us = await interleaved(
      {
        floor,
        hmacAlone,
        ours: () => verifyNotification({ body, auth, apiKey: API_KEY }),
        webCrypto: () => verifyWithWebCrypto({ body, auth, apiKey: API_KEY }),
      },
      CALLS,
    );
    // A rate ratio: the floor's time over ours (1 = as fast as the floor), round by round.
    const vsFloor = roundRatio(us, "floor", "ours");
    lines.push(
      `| ${name} | ${fmt(us.floor, 2)} | ${fmt(us.hmacAlone, 2)} | ${fmt(us.ours, 2)} | ${fmt(vsFloor, 2)}× | ${fmt(us.webCrypto, 2)} |`,
    );
    targets.push({
      what: `notification verification, ${name}, vs node:crypto (decode Auth, HMAC, timingSafeEqual, JSON.parse)`,
      result: `${fmt(vsFloor, 2)}× the floor's rate`,
      goal: `≥ ${TARGET}×`,
      met: vsFloor >= TARGET,
    });
    results[name] = { microseconds: us, vsFloor, bytes: body.length };
  }
  const validation = await interleaved({ validate: () => validateRedirectOrderRequest(order) }, IN_PROCESS_CALLS);
  lines.push("", `Order validation (the redirect order of every row): ${fmt(validation.validate, 2)} µs`);
  results.orderValidationMicroseconds = validation.validate;
  return { targets, lines, results };
}
