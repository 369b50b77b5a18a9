// ESM consumer: import the package and create a KBC order against the stub.
import { createMultiSafepay } from "multisafepay-kbc";
import { signNotification, verifyNotification } from "multisafepay-kbc/webhooks";

const msp = createMultiSafepay({
  apiKey: "consumer-key-123",
  baseUrl: globalThis.process?.env.MSP_BASE_URL ?? globalThis.Deno?.env.get("MSP_BASE_URL"),
});
const created = await msp.orders.create({
  type: "redirect",
  order_id: "esm-1",
  gateway: "KBC",
  currency: "EUR",
  amount: 1000,
  description: "ESM consumer",
});
const body = JSON.stringify({
  order_id: "esm-1",
  transaction_id: 1,
  status: "completed",
  financial_status: "completed",
  amount: 1000,
  currency: "EUR",
  created: "2026-11-25T10:00:00",
});
const order = await verifyNotification({
  body,
  auth: await signNotification({ body, apiKey: "consumer-key-123" }),
  apiKey: "consumer-key-123",
});
console.log(JSON.stringify({ payment_url: created.payment_url, notified: order.status }));
