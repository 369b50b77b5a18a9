import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

// Only an order nobody has paid (status "initialized") can be cancelled; its payment link stops working.
const cancelled = await msp.orders.cancel("order-1002");
console.log(cancelled);
