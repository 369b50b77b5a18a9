// Turns the generated validators' verdicts into field-named issues. Shared by the client (which refuses bad
// input before sending) and the mock (which answers it with MultiSafepay's error codes), so both give the
// same verdict from the same spec.
import { ORDER_TYPES, ORDER_VALIDATORS } from "../generated/spec-constants.js";
import type { ValidationIssue as AjvIssue } from "../generated/request-validators.js";
import type { ValidationIssue } from "./errors.js";

const TYPES = Object.keys(ORDER_TYPES).map((t) => JSON.stringify(t));

/** Every bad field of an order, against the spec's schema for its flow; empty when the order is valid. */
export function orderIssues(order: unknown): ValidationIssue[] {
  if (!isObject(order)) return [{ path: "", message: "must be an order object" }];
  const validate = typeof order.type === "string" && Object.hasOwn(ORDER_VALIDATORS, order.type) ? ORDER_VALIDATORS[order.type as keyof typeof ORDER_VALIDATORS] : undefined;
  if (!validate) return [{ path: "/type", message: `must be one of ${TYPES.join(", ")}` }];
  return validate(order) ? [] : toIssues(validate.errors ?? []);
}

/** Ajv's errors, turned into one issue per offending field, pointing at the field itself. */
export function toIssues(errors: AjvIssue[]): ValidationIssue[] {
  const issues = new Map<string, ValidationIssue>();
  for (const error of errors) {
    // Alternatives that failed (anyOf/oneOf) are explained by their branches' own errors.
    if (error.keyword === "anyOf" || error.keyword === "oneOf") continue;
    const { path, message } = describe(error);
    const key = `${path} ${message}`;
    if (!issues.has(key)) issues.set(key, { path, message });
  }
  return [...issues.values()];
}

function describe(error: AjvIssue): ValidationIssue {
  const { params, instancePath } = error;
  switch (error.keyword) {
    case "required":
      return { path: `${instancePath}/${String(params.missingProperty)}`, message: "is required" };
    case "unevaluatedProperties":
    case "additionalProperties": {
      const name = String(params.unevaluatedProperty ?? params.additionalProperty);
      return { path: `${instancePath}/${name}`, message: "is not a known field (check its spelling)" };
    }
    case "const":
      return { path: instancePath, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "enum": {
      const values = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return { path: instancePath, message: values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(", ")}` };
    }
    case "type":
      return { path: instancePath, message: `must be ${[params.type].flat().join(" or ")}` };
    case "maxLength":
      return { path: instancePath, message: `must be at most ${params.limit} characters` };
    case "minLength":
      return { path: instancePath, message: `must be at least ${params.limit} character${params.limit === 1 ? "" : "s"}` };
    case "minimum":
    case "maximum":
      return { path: instancePath, message: `must be ${params.comparison} ${params.limit}` };
    case "format":
      return { path: instancePath, message: `must be a valid ${FORMAT_NAMES[String(params.format)] ?? params.format}` };
    case "pattern":
      return { path: instancePath, message: `must match ${params.pattern}` };
    default:
      return { path: instancePath, message: `fails the ${error.keyword} rule` };
  }
}

const FORMAT_NAMES: Record<string, string> = { uri: "http(s) URL", email: "e-mail address", ipv4: "IPv4 address", ipv6: "IPv6 address" };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
