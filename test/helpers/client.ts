// The client under test, over the transport this test project runs with: the global fetch, or node:http
// (Node's default, from src/node.ts). vitest.config.ts runs the client suites once per transport.
import { createMultiSafepay as withFetch } from "../../src/index.js";
import { createMultiSafepay as withNodeHttp } from "../../src/node.js";

export const TRANSPORT = process.env.MSP_TEST_TRANSPORT === "node-http" ? "node-http" : "fetch";
export const createMultiSafepay = TRANSPORT === "node-http" ? withNodeHttp : withFetch;
