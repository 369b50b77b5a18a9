import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

const gateways = await msp.gateways.list({ country: "BE" });
console.log(gateways.map((g) => g.id).join(", ")); // KBC, CBC
