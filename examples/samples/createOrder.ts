import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

const order = await msp.orders.create({
  type: "redirect", // or "direct" (straight to KBC), or "paymentlink"
  order_id: `order-${Date.now()}`, // yours, unique per website
  gateway: "KBC", // or "CBC"
  currency: "EUR",
  amount: 2450, // integer cents: €24.50
  description: "Order 1001",
  payment_options: {
    notification_url: "https://shop.example/webhooks/multisafepay",
    notification_method: "POST",
    redirect_url: "https://shop.example/order/1001/thanks",
    cancel_url: "https://shop.example/order/1001/cancelled",
  },
  customer: { locale: "nl_BE" },
});
console.log(`send the shopper to ${order.payment_url}`);
