// Cloudflare Worker consumer: creates a KBC order from a request handler, and verifies a notification.
import { createMultiSafepay } from "multisafepay-kbc";
import { signNotification, verifyNotification } from "multisafepay-kbc/webhooks";

export default {
  async fetch(_request, env) {
    const msp = createMultiSafepay({ apiKey: "consumer-key-123", baseUrl: env.MSP_BASE_URL });
    const created = await msp.orders.create({
      type: "redirect",
      order_id: "worker-1",
      gateway: "KBC",
      currency: "EUR",
      amount: 1000,
      description: "Worker consumer",
    });
    const body = JSON.stringify({
      order_id: "worker-1",
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
    return Response.json({ payment_url: created.payment_url, notified: order.status });
  },
};
