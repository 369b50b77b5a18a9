// The request bodies as MultiSafepay accepts them: checked with the spec's own validators
// (generated/accept-validators.js: objects open, only MultiSafepay's limits), not the client's stricter guard.
// What the guard would refuse as an unknown name is what MultiSafepay ignores: `ignoredFields` says so, for the
// sandbox's order view and log.
import * as accept from "../../generated/accept-validators.js";
import { ORDER_TYPES } from "../../generated/spec-constants.js";
import { bodyIssues, orderIssues, unknownBodyFields, unknownOrderFields, type BodySchema, type Layer } from "../issues.js";
import type { ValidationIssue } from "../errors.js";

/** MultiSafepay's acceptance: the spec's validators, one per order `type` and one per other body schema. */
export const ACCEPT: Layer = {
  order: (type) => accept[`validate${ORDER_TYPES[type]}`],
  body: (schema) => accept[`validate${schema}`],
};

export const acceptedOrderIssues = (body: unknown) => orderIssues(body, ACCEPT);
export const refundIssues = (body: unknown) => bodyIssues("RefundRequest", body, ACCEPT);
export const cancelRefundIssues = (body: unknown) => bodyIssues("CancelRefundRequest", body, ACCEPT);
export const cancelOrderIssues = (body: unknown) => bodyIssues("CancelOrderRequest", body, ACCEPT);

/**
 * One line per field MultiSafepay would ignore in an accepted body, e.g. "ignored customer.firstname:
 * MultiSafepay ignores it too, so this value is lost; did you mean "first_name"?".
 */
export function ignoredFields(schema: BodySchema | "OrderRequest", body: unknown): string[] {
  const unknown = schema === "OrderRequest" ? unknownOrderFields(body) : unknownBodyFields(schema, body);
  return unknown.map(ignoredLine);
}

function ignoredLine(issue: ValidationIssue): string {
  const field = issue.path.slice(1).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
  const hint = /did you mean "[^"]+"\?/.exec(issue.message)?.[0];
  return `ignored ${field}: MultiSafepay ignores it too, so this value is lost${hint ? `; ${hint}` : ""}`;
}

/** The body as JSON, or undefined when it is not JSON. */
export async function jsonBody(request: Request): Promise<{ body: unknown } | undefined> {
  try {
    return { body: JSON.parse(await request.text()) };
  } catch {
    return undefined;
  }
}
