import type { SandboxRoutes } from "../src/mock/server.js";
export declare function createSandboxRoutes(options?: {
  apiKey?: string;
  allowHosts?: readonly string[];
  allowNotify?: readonly string[];
}): SandboxRoutes;
