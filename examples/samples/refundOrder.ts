import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

// Leave amount out to refund what is left of the order.
const refund = await msp.refunds.create("order-1001", {
  currency: "EUR",
  amount: 500,
  description: "one item returned",
});
console.log(`refund ${refund.refund_id}`);
