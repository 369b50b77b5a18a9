// Turns the generated validators' verdicts into field-named issues. One set of rules for both layers the
// generator makes from the spec: the typed client's guard (generated/request-validators.js: unknown fields
// refused, with the closest known name) and MultiSafepay's acceptance (generated/accept-validators.js, which
// the mock and the sandbox check), so each gives its verdict from the same spec in the same words.
import type { BODY_VALIDATORS } from "../generated/body-validators.js";
import type { ValidationIssue as AjvIssue, Validator } from "../generated/request-validators.js";
import { ORDER_TYPES } from "../generated/spec-constants.js";
import { closest } from "./closest.js";
import type { ValidationIssue } from "./errors.js";

export { closest };

const TYPES = Object.keys(ORDER_TYPES).map((t) => JSON.stringify(t));

export type BodySchema = keyof typeof BODY_VALIDATORS;
export type OrderType = keyof typeof ORDER_TYPES;

/** One layer's validators: an order's by its `type`, every other request body's by its schema name. */
export interface Layer {
  order(type: OrderType): Validator;
  body(schema: BodySchema): Validator;
}

export interface IssueOptions {
  /** Unknown field names are not issues (the caller sends them knowingly). */
  allowUnknownFields?: boolean;
}

/** Every bad field of an order, against its flow's schema in `layer`; empty when the order is valid. */
export function orderIssues(
  order: unknown,
  layer: Pick<Layer, "order">,
  options: IssueOptions = {},
): ValidationIssue[] {
  if (!isObject(order)) return [{ path: "", message: "must be an order object" }];
  const type =
    typeof order.type === "string" && Object.hasOwn(ORDER_TYPES, order.type) ? (order.type as OrderType) : undefined;
  if (!type) return [{ path: "/type", message: `must be one of ${TYPES.join(", ")}` }];
  return verdict(layer.order(type), order, options);
}

/** Every bad field of a request body, against its schema in `layer`; empty when the body is valid. */
export function bodyIssues(
  schema: BodySchema,
  body: unknown,
  layer: Pick<Layer, "body">,
  options: IssueOptions = {},
): ValidationIssue[] {
  // A refund whose amount MultiSafepay does not see refunds everything: never suggest sending an unknown name there.
  return verdict(layer.body(schema), body, options, schema !== "RefundRequest");
}

function verdict(validate: Validator, value: unknown, options: IssueOptions, escapeHint = true): ValidationIssue[] {
  if (validate(value)) return [];
  const issues = toIssues(validate.errors ?? [], validate, escapeHint);
  return options.allowUnknownFields ? issues.filter((issue) => !isUnknownField(issue)) : issues;
}

const UNKNOWN = "is not a field";
export const isUnknownField = (issue: ValidationIssue) => issue.message.startsWith(UNKNOWN);

/** The validator's errors, turned into one issue per offending field, pointing at the field itself. */
export function toIssues(errors: AjvIssue[], validate?: Validator, escapeHint = true): ValidationIssue[] {
  const issues = new Map<string, ValidationIssue>();
  // Suggestions cost a search each; a body with thousands of unknown names gets them for the first few only.
  let suggestions = MAX_SUGGESTIONS;
  for (const error of errors) {
    // Alternatives that failed (anyOf/oneOf) are explained by their branches' own errors.
    if (error.keyword === "anyOf" || error.keyword === "oneOf") continue;
    const unknown = error.keyword === "unevaluatedProperties" || error.keyword === "additionalProperties";
    const { path, message } = describe(error, unknown && suggestions-- > 0 ? validate : undefined, escapeHint);
    const key = `${path} ${message}`;
    if (!issues.has(key)) issues.set(key, { path, message });
  }
  return [...issues.values()];
}

const MAX_SUGGESTIONS = 20;

function describe(error: AjvIssue, validate: Validator | undefined, escapeHint: boolean): ValidationIssue {
  const { params, instancePath } = error;
  switch (error.keyword) {
    case "required":
      return { path: `${instancePath}/${String(params.missingProperty)}`, message: "is required" };
    case "unevaluatedProperties":
    case "additionalProperties": {
      const name = String(params.unevaluatedProperty ?? params.additionalProperty);
      const suggestion = validate && closest(name, validate.fieldsAt(instancePath));
      return {
        path: `${instancePath}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`,
        message: suggestion
          ? `${UNKNOWN}; did you mean "${suggestion}"?`
          : `${UNKNOWN} MultiSafepay knows here, so it would ignore it (check the spelling${escapeHint ? ", or pass { allowUnknownFields: true } to send a field MultiSafepay documents that this package does not know yet" : ""})`,
      };
    }
    case "const":
      return { path: instancePath, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "enum": {
      const values = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return {
        path: instancePath,
        message: values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(", ")}`,
      };
    }
    case "type": {
      const types = [params.type].flat();
      // A decimal or a string where cents are due is most often euros: say how to send them.
      if (types.includes("integer") && !types.includes("string") && isCentsField(instancePath))
        return { path: instancePath, message: INTEGER_CENTS };
      return { path: instancePath, message: `must be ${types.join(" or ")}` };
    }
    case "maxLength":
      return { path: instancePath, message: `must be at most ${params.limit} characters` };
    case "minLength":
      return {
        path: instancePath,
        message: `must be at least ${params.limit} character${params.limit === 1 ? "" : "s"}`,
      };
    case "minimum":
    case "maximum":
      return { path: instancePath, message: `must be ${params.comparison} ${params.limit}` };
    case "maxItems":
      return {
        path: instancePath,
        message: params.limit === 0 ? "must be an object (or [] for none)" : `must have at most ${params.limit} items`,
      };
    case "format":
      return { path: instancePath, message: `must be a valid ${FORMAT_NAMES[String(params.format)] ?? params.format}` };
    case "pattern":
      return { path: instancePath, message: PATTERN_NAMES[String(params.pattern)] ?? `must match ${params.pattern}` };
    default:
      return { path: instancePath, message: `fails the ${error.keyword} rule` };
  }
}

const FORMAT_NAMES: Record<string, string> = {
  uri: "http(s) URL",
  email: "e-mail address",
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
};
const PATTERN_NAMES: Record<string, string> = {
  "^[a-z]{2}_[A-Z]{2}$": 'must be a locale such as "nl_BE" (language_COUNTRY)',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A request field in integer cents that was given otherwise (a decimal, a string): how to send it. */
export const INTEGER_CENTS = "must be integer cents: for €24.50 send 2450";

/**
 * Whether a JSON pointer names a request money field in integer cents: `amount` (an order's, a refund's) and
 * the other `…_amount` fields (gateway_info's min/max), and an affiliate split's `fixed`. The one money field
 * of a request in decimal euros, a cart item's `unit_price`, is a number in the spec, so never fails as an
 * integer.
 */
export function isCentsField(pointer: string): boolean {
  return /(?:^|\/|_)amount$/.test(pointer) || /\/split_payments\/\d+\/fixed$/.test(pointer);
}
