// CommonJS consumer: require() the package and create a KBC order against the stub.
const { createMultiSafepay } = require("multisafepay-kbc");
const { signNotification, verifyNotification } = require("multisafepay-kbc/webhooks");

const msp = createMultiSafepay({ apiKey: "consumer-key-123", baseUrl: process.env.MSP_BASE_URL });
msp.orders
  .create({
    type: "redirect",
    order_id: "cjs-1",
    gateway: "KBC",
    currency: "EUR",
    amount: 1000,
    description: "CJS consumer",
  })
  .then(async (created) => {
    const body = JSON.stringify({
      order_id: "cjs-1",
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
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
