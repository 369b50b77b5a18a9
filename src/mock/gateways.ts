// The gateways the sandbox offers: KBC and its French-speaking twin CBC.
import type { Gateway } from "../types.js";

export const GATEWAYS: readonly Gateway[] = [
  { id: "KBC", description: "KBC" },
  { id: "CBC", description: "CBC" },
];
