// The rest of a KBC payment's life against the sandbox: pay an order, refund part of it, cancel an unpaid
// one, and show what the merchant's notification endpoint saw (and how it tells a refund from a payment).
//
//   node examples/refunds-and-cancellation.mjs
import { createServer } from "node:http";
import { createMultiSafepay } from "multisafepay-kbc";
import { createMultiSafepayMock } from "multisafepay-kbc/mock";
import { NOTIFICATION_ACK, notificationOutcome, verifyNotification } from "multisafepay-kbc/webhooks";

const API_KEY = "example-website-key";

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const order = await verifyNotification({ body: Buffer.concat(chunks), auth: req.headers.auth, apiKey: API_KEY });
    // Not `status === "completed"`: a refunded order keeps financial_status "completed" and is notified too.
    const outcome = notificationOutcome(order);
    console.log(
      `notification: ${outcome.orderId} ${outcome.kind} (refunded ${outcome.amountRefunded} of ${outcome.amount} cents)`,
    );
    res.writeHead(200, { "content-type": "text/plain" }).end(NOTIFICATION_ACK);
  } catch (error) {
    console.error(`refused notification: ${error.reason ?? error.message}`);
    res.writeHead(400).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const webhook = `http://127.0.0.1:${server.address().port}/webhooks/multisafepay`;

const sandbox = createMultiSafepayMock({ apiKey: API_KEY });
const msp = createMultiSafepay({ apiKey: API_KEY, environment: "test", fetch: sandbox.fetch });
const run = Date.now();
const order = (order_id) => ({
  type: "redirect",
  order_id,
  gateway: "KBC",
  currency: "EUR",
  amount: 2500,
  description: `Order ${order_id}`,
  payment_options: { notification_url: webhook, notification_method: "POST" },
});

try {
  const paid = await msp.orders.create(order(`paid-${run}`));
  await sandbox.pay(paid.order_id, { status: "completed" });

  const refund = await msp.refunds.create(paid.order_id, {
    currency: "EUR",
    amount: 1000,
    description: "one item returned",
  });
  const after = await msp.orders.get(paid.order_id);
  console.log(
    `refund ${refund.refund_id}: ${after.amount_refunded} of ${after.amount} cents refunded, order ${after.status}`,
  );
  await sandbox.settleRefunds();

  const abandoned = await msp.orders.create(order(`abandoned-${run}`));
  await msp.orders.cancel(abandoned.order_id);
  console.log(`cancelled ${abandoned.order_id}: ${(await msp.orders.get(abandoned.order_id)).status}`);
} catch (error) {
  // outcome_unknown: the refund may have happened; check orders.get(...).amount_refunded before retrying.
  console.error(`${error.code ?? "error"}: ${error.message}`);
  process.exitCode = 1;
} finally {
  // As MultiSafepay, the sandbox notifies after it has answered: wait for those deliveries before stopping.
  await sandbox.notificationsDelivered();
  server.close();
}
