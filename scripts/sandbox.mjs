// The sandbox behind `npm start`, from the built package (dist/sandbox.js: src/mock/server.ts), with the key
// from MSP_SANDBOX_API_KEY when none is given. The bin `multisafepay-kbc-sandbox` serves the same routes.
import { createSandboxRoutes as routes } from "../dist/sandbox.js";

export function createSandboxRoutes({ apiKey = process.env.MSP_SANDBOX_API_KEY || undefined } = {}) {
  return routes({ ...(apiKey ? { apiKey } : {}), log: (message) => console.log(message) });
}
