// The typed client's guard as one layer (issues.ts), for the mock and the sandbox: what the guard would refuse
// as an unknown name is what MultiSafepay ignores. The client itself loads its halves when a call needs them
// (checks.ts).
import { BODY_VALIDATORS } from "../generated/body-validators.js";
import { ORDER_VALIDATORS } from "../generated/order-validators.js";
import type { ValidationIssue } from "./errors.js";
import { bodyIssues, isUnknownField, orderIssues, type BodySchema, type Layer } from "./issues.js";

export const GUARD: Layer = { order: (type) => ORDER_VALIDATORS[type], body: (schema) => BODY_VALIDATORS[schema] };

/** The fields of an order the guard does not know: what MultiSafepay (and so the sandbox) ignores. */
export function unknownOrderFields(order: unknown): ValidationIssue[] {
  return orderIssues(order, GUARD).filter(isUnknownField);
}

/** The fields of a request body the guard does not know. */
export function unknownBodyFields(schema: BodySchema, body: unknown): ValidationIssue[] {
  return bodyIssues(schema, body, GUARD).filter(isUnknownField);
}
