import { createMultiSafepay } from "multisafepay-kbc";

const msp = createMultiSafepay({ apiKey: process.env.MSP_API_KEY!, environment: "test" });

const gateway = await msp.gateways.get("KBC"); // an id the website lacks: api_error 404 / 1023
console.log(gateway.id, gateway.description);
