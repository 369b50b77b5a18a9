import type { MultiSafepayMock } from "../src/mock/index.js";
import type { Routes } from "./start.mjs";
export declare function createSandboxRoutes(options?: { apiKey?: string }): Routes & { mock: MultiSafepayMock };
