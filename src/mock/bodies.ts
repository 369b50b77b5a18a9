// The request bodies as MultiSafepay accepts them: checked with the spec's own validators
// (generated/accept-validators.js: objects open, only MultiSafepay's limits), not the client's stricter guard.
// What the guard would refuse as an unknown name is what MultiSafepay ignores: `ignoredFields` says so, for the
// sandbox's order view and log.
import * as accept from "../../generated/accept-validators.js";
import { ORDER_TYPES } from "../../generated/spec-constants.js";
import { unknownBodyFields, unknownOrderFields } from "../guard.js";
import { bodyIssues, orderIssues, type BodySchema, type Layer } from "../issues.js";
import type { ValidationIssue } from "../errors.js";
import { invalidOrder, notJson } from "./errors.js";
import type { Answer, SandboxRequest } from "./exchange.js";
import { loneSurrogateAt } from "../validation.js";

/** MultiSafepay's acceptance: the spec's validators, one per order `type` and one per other body schema. */
export const ACCEPT: Layer = {
  // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the validator is chosen by the spec's schema name at run time; the mock is not tree-shaken.
  order: (type) => accept[`validate${ORDER_TYPES[type]}`],
  // biome-ignore lint/performance/noDynamicNamespaceImportAccess: as above.
  body: (schema) => accept[`validate${schema}`],
};

export const acceptedOrderIssues = (body: unknown) => orderIssues(body, ACCEPT);
export const refundIssues = (body: unknown) => bodyIssues("RefundRequest", body, ACCEPT);
export const cancelRefundIssues = (body: unknown) => bodyIssues("CancelRefundRequest", body, ACCEPT);
export const cancelOrderIssues = (body: unknown) => bodyIssues("CancelOrderRequest", body, ACCEPT);

/**
 * One line per field MultiSafepay would ignore in an accepted body, e.g. "ignored customer.firstname:
 * not a field MultiSafepay documents; it ignores such names, so this value is likely lost; did you mean "first_name"?".
 */
export function ignoredFields(schema: BodySchema | "OrderRequest", body: unknown): string[] {
  const unknown = schema === "OrderRequest" ? unknownOrderFields(body) : unknownBodyFields(schema, body);
  return unknown.map(ignoredLine);
}

function ignoredLine(issue: ValidationIssue): string {
  // Escaped as in a JSON string (no quotes): a name with a newline or a terminal escape cannot forge a log line.
  const field = JSON.stringify(
    issue.path
      .slice(1)
      .split("/")
      .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
      .join("."),
  ).slice(1, -1);
  const hint = /did you mean "[^"]+"\?/.exec(issue.message)?.[0];
  return `ignored ${field}: not a field MultiSafepay documents; it ignores such names, so this value is likely lost${hint ? `; ${hint}` : ""}`;
}

/**
 * A request's body as MultiSafepay accepts it for `schema` (the refund and cancellation handlers share this),
 * or the refusal to answer: 400 when it is not JSON (1016), else 400 for the first field MultiSafepay would
 * complain about (errors.ts invalidOrder).
 */
export function acceptedBody(request: SandboxRequest, schema: BodySchema): { accepted: unknown } | Answer {
  const accepted = readJson(request.body);
  if (accepted === NOT_JSON) return notJson();
  const issues = bodyIssues(schema, accepted, ACCEPT);
  return issues.length ? invalidOrder(issues) : { accepted };
}

export const NOT_JSON = Symbol("not JSON");

/**
 * JSON as MultiSafepay's PHP backend reads it: `json_decode` refuses a lone UTF-16 surrogate (it is not UTF-8)
 * and nesting deeper than 512, so the sandbox does too, before any of its code walks the value.
 */
export function readJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  // Each walk only when the text could hold what it looks for (every order would otherwise pay for both):
  // nesting deeper than 512 takes at least 513 opening and 513 closing brackets; a lone surrogate comes from
  // a \uD800-\uDFFF escape or a surrogate in the text itself.
  if (text.length > 2 * MAX_DEPTH && tooDeep(value, MAX_DEPTH)) return NOT_JSON;
  if (MAY_HOLD_SURROGATE.test(text) && loneSurrogateAt(value) !== undefined) return NOT_JSON;
  return value;
}

const MAX_DEPTH = 512;
const MAY_HOLD_SURROGATE = /\\u[dD][89a-fA-F]|[\ud800-\udfff]/;

function tooDeep(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (!value || typeof value !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}
