import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

// A refund can be cancelled until MultiSafepay passes it to the bank (at midnight).
const refund = await msp.refunds.create("order-1001", { currency: "EUR", amount: 100 });
if (refund.refund_id === undefined) throw new Error("no refund_id: read it from orders.get().related_transactions");
await msp.refunds.cancel("order-1001", refund.refund_id, { description: "issued by mistake" });
console.log(`refund ${refund.refund_id} cancelled`);
