// Creates a KBC order in each flow and prints where to send the shopper.
//
//   npm start                                              # in another terminal: docs + sandbox on :4010
//   MSP_BASE_URL=http://127.0.0.1:4010/v1/json node examples/create-kbc-order.mjs
//   MSP_API_KEY=<your test key> MSP_ENVIRONMENT=test node examples/create-kbc-order.mjs   # MultiSafepay's test API
import { createMultiSafepay } from "multisafepay-kbc";

const { MSP_API_KEY = "sandbox-key", MSP_ENVIRONMENT, MSP_BASE_URL } = process.env;
const msp = createMultiSafepay(
  MSP_BASE_URL
    ? { apiKey: MSP_API_KEY, baseUrl: MSP_BASE_URL }
    : { apiKey: MSP_API_KEY, environment: MSP_ENVIRONMENT ?? "test" },
);

const order = {
  gateway: "KBC",
  currency: "EUR",
  amount: 2450, // integer cents: €24.50
  description: "Order 1001 at example shop",
  payment_options: {
    notification_url: "https://shop.example/webhooks/multisafepay",
    notification_method: "POST",
    redirect_url: "https://shop.example/order/1001/thanks",
    cancel_url: "https://shop.example/order/1001/cancelled",
  },
  customer: { locale: "nl_BE", ip_address: "203.0.113.7", email: "shopper@example.be", country: "BE" },
};

try {
  // Redirect: MultiSafepay's payment page first, then the bank.
  const redirect = await msp.orders.create({ ...order, type: "redirect", order_id: `redirect-${Date.now()}` });
  console.log(`redirect ${redirect.order_id}: send the shopper to ${redirect.payment_url}`);

  // Direct: straight to KBC; the full order comes back.
  const direct = await msp.orders.create({ ...order, type: "direct", order_id: `direct-${Date.now()}` });
  console.log(`direct   ${direct.order_id}: ${direct.status}, send the shopper to ${direct.payment_url}`);
} catch (error) {
  // Every error has a `code` to branch on; api errors add MultiSafepay's error_code.
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
}
