import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

const kbc = await msp.paymentMethods.get("KBC");
console.log(kbc.id, kbc.allowed_countries, kbc.allowed_currencies);
