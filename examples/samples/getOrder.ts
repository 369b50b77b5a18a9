import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

const order = await msp.orders.get("order-1001"); // your order_id
console.log(order.status, order.financial_status, order.amount_refunded ?? 0);
