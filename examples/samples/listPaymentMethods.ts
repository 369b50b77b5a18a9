import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

const methods = await msp.paymentMethods.list({ country: "BE", currency: "EUR", amount: 2450 });
console.log(methods.map((m) => m.id).join(", ")); // KBC, CBC
