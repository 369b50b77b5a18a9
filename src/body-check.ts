// The other request bodies' checks (refunds, cancellations) against the client's guard
// (generated/body-validators.js, from the spec), loaded when such a call first runs (checks.ts).
import { BODY_VALIDATORS } from "../generated/body-validators.js";
import { ValidationError, type ValidationIssue } from "./errors.js";
import { bodyIssues, isUnknownField, type BodySchema, type IssueOptions } from "./issues.js";
import { wireCopy } from "./validation.js";

const LAYER = { body: (schema: BodySchema) => BODY_VALIDATORS[schema] };

/** A request body (refunds, cancellations) as it will be sent, after the guard; throws naming every bad field. */
export function checkedBody(
  schema: BodySchema,
  body: unknown,
  subject: string,
  options: IssueOptions = {},
  wire: unknown = wireCopy(body, subject),
): unknown {
  const issues = [
    ...bodyIssues(schema, wire, LAYER, options),
    ...(schema === "RefundRequest" ? refundAmountIssues(body, wire, options) : []),
  ];
  if (issues.length) throw new ValidationError(issues, subject);
  return wire;
}

/**
 * A refund without `amount` refunds the whole order at MultiSafepay. So an `amount` the caller's object has but
 * its JSON does not (undefined after a failed lookup, a getter, inherited, not enumerable, dropped by `toJSON`)
 * is refused, and so is a refund without one that carries names the client does not know, even when the call
 * allows unknown names (`ammount`: MultiSafepay would ignore it and refund everything).
 */
function refundAmountIssues(body: unknown, wire: unknown, options: IssueOptions): ValidationIssue[] {
  if (typeof body !== "object" || body === null || !isObject(wire) || wire.amount !== undefined) return [];
  if ("amount" in body) {
    const why =
      (body as { amount?: unknown }).amount === undefined
        ? "is undefined"
        : "is not in the JSON that would be sent (a getter, inherited, not enumerable, or dropped by toJSON)";
    return [
      {
        path: "/amount",
        message: `${why}: give the amount in cents as a plain field, or leave it out to refund the whole order`,
      },
    ];
  }
  if (!options.allowUnknownFields) return [];
  const unknown = bodyIssues("RefundRequest", wire, LAYER)
    .filter(isUnknownField)
    .map((issue) => issue.path);
  return unknown.length
    ? [
        {
          path: "/amount",
          message: `is missing while ${unknown.join(", ")} ${unknown.length === 1 ? "is a field" : "are fields"} the client does not know: MultiSafepay would refund the whole order. Give the amount in cents, or leave the unknown fields out for a full refund`,
        },
      ]
    : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
