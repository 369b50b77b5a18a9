import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

// Every page, fetched as the loop reaches it; the same filters go with every cursor.
for await (const t of msp.transactions.iterate({ payment_method: "KBC", financial_status: "completed", limit: 100 }))
  console.log(t.order_id, t.amount, t.completed);
console.log("done");
