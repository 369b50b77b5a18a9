// The sandbox behind `npm start`, from the built package (dist/sandbox.js: src/mock/server.ts), with the key
// from MSP_SANDBOX_API_KEY when none is given, and the extra host names from MSP_SANDBOX_ALLOW_HOSTS and
// MSP_SANDBOX_ALLOW_NOTIFY (comma-separated). The bin `multisafepay-kbc-sandbox` serves the same routes.
import { createSandboxRoutes as routes, parseHostList } from "../dist/sandbox.js";

export function createSandboxRoutes({
  apiKey = process.env.MSP_SANDBOX_API_KEY || undefined,
  allowHosts = parseHostList(process.env.MSP_SANDBOX_ALLOW_HOSTS),
  allowNotify = parseHostList(process.env.MSP_SANDBOX_ALLOW_NOTIFY),
} = {}) {
  return routes({ ...(apiKey ? { apiKey } : {}), allowHosts, allowNotify, log: (message) => console.log(message) });
}
