// How MultiSafepay words its refusals: the error envelope, and which error code a bad field earns.
import type { ValidationIssue } from "../errors.js";

export interface ErrorEnvelope {
  success: false;
  data: Record<string, never>;
  error_code: number;
  error_info: string;
}

export function errorResponse(status: number, errorCode: number, errorInfo: string): Response {
  const body: ErrorEnvelope = { success: false, data: {}, error_code: errorCode, error_info: errorInfo };
  return Response.json(body, { status });
}

export const invalidApiKey = () => errorResponse(401, 1032, "Invalid API key");
/** A refusal that says what is wrong with how the key was sent (MultiSafepay's code for it is 1032 too). */
export const authenticationProblem = (problem: string) => errorResponse(401, 1032, problem.charAt(0).toUpperCase() + problem.slice(1));
export const orderNotFound = () => errorResponse(404, 1006, "Invalid transaction ID");
export const orderIdInUse = () => errorResponse(404, 1006, "Invalid transaction ID");

/** The first field (in this order) that MultiSafepay would complain about, with its error code. */
const FIELD_ERRORS: [field: RegExp, code: number, info: string][] = [
  [/^\/amount\b/, 1001, "Invalid amount"],
  [/^\/currency\b/, 1002, "Invalid currency"],
  [/^\/order_id\b/, 1006, "Invalid transaction ID"],
  [/^\/customer\/(ip_address|forwarded_ip)\b/, 1007, "Invalid IP address"],
  [/^\/description\b/, 1008, "Invalid description"],
  [/^\/var[123]\b/, 1010, "Invalid var1, var2 or var3"],
  [/^\/customer\/country\b/, 1018, "Invalid country code"],
  [/^\/(gateway|type)\b/, 1023, "No gateway (payment method) available"],
];

export function invalidOrder(issues: ValidationIssue[]): Response {
  for (const [field, code, info] of FIELD_ERRORS) {
    if (issues.some((issue) => field.test(issue.path))) return errorResponse(400, code, info);
  }
  const first = issues[0];
  return errorResponse(400, 1016, `Missing data${first ? `: ${first.path || "body"} ${first.message}` : ""}`);
}
