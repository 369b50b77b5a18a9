// A merchant's notification endpoint, end to end without MultiSafepay: a node:http server verifies the
// signed notification the sandbox sends when the shopper pays, and answers "OK".
//
//   node examples/notification-server.mjs
import { createServer } from "node:http";
import { createMultiSafepay } from "multisafepay-kbc";
import { createMultiSafepayMock } from "multisafepay-kbc/mock";
import { NOTIFICATION_ACK, verifyNotification } from "multisafepay-kbc/webhooks";

const API_KEY = "example-website-key";

const server = createServer(async (req, res) => {
  if (req.method !== "POST" || !req.url?.startsWith("/webhooks/multisafepay")) return res.writeHead(404).end();
  // Keep the raw bytes: the signature covers them exactly (parsing and re-serializing breaks it).
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const order = await verifyNotification({ body: Buffer.concat(chunks), auth: req.headers.auth, apiKey: API_KEY });
    console.log(`notification: order ${order.order_id} is ${order.status} (${order.financial_status})`);
    // Store the outcome idempotently (MultiSafepay may send the same notification again), then acknowledge.
    res.writeHead(200, { "content-type": "text/plain" }).end(NOTIFICATION_ACK);
  } catch (error) {
    console.error(`refused notification: ${error.reason}`);
    res.writeHead(400).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const webhook = `http://127.0.0.1:${server.address().port}/webhooks/multisafepay`;

// The sandbox stands in for MultiSafepay: the client talks to it through `fetch`.
const sandbox = createMultiSafepayMock({ apiKey: API_KEY });
const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch: sandbox.fetch });

const created = await msp.orders.create({
  type: "redirect",
  order_id: `example-${Date.now()}`,
  gateway: "KBC",
  currency: "EUR",
  amount: 1000,
  description: "Notification example",
  payment_options: { notification_url: webhook, notification_method: "POST" },
  customer: { locale: "nl_BE" },
});
console.log(`created ${created.order_id}; the shopper pays at KBC...`);

const { notification } = await sandbox.pay(created.order_id, { status: "completed" });
console.log(
  `MultiSafepay's delivery: ${notification.acknowledged ? "acknowledged" : "not acknowledged"} after ${notification.attempts} attempt(s)`,
);
server.close();
