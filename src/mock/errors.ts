// How MultiSafepay words its refusals: the error envelope, and which error code a bad field earns.
import { ERROR_CODES } from "../../generated/spec-constants.js";
import type { ValidationIssue } from "../errors.js";
import { type Answer, json } from "./exchange.js";

const CODES = ERROR_CODES;

export const notFound = () => errorAnswer(404, CODES.UNKNOWN_ERROR, "Not found");
export const internalError = () => errorAnswer(500, CODES.INTERNAL_ERROR, "Unknown error");
export const notJson = () => errorAnswer(400, CODES.MISSING_DATA, "Missing data: the body is not JSON");

export interface ErrorEnvelope {
  success: false;
  data: Record<string, never>;
  error_code: number;
  error_info: string;
}

export function errorAnswer(status: number, errorCode: number, errorInfo: string): Answer {
  const body: ErrorEnvelope = { success: false, data: {}, error_code: errorCode, error_info: errorInfo };
  return json(body, status);
}

export const invalidApiKey = () => errorAnswer(401, CODES.INVALID_API_KEY, "Invalid API key");
/** A refusal that says what is wrong with how the key was sent (MultiSafepay's code for it is 1032 too). */
export const authenticationProblem = (problem: string) =>
  errorAnswer(401, CODES.INVALID_API_KEY, problem.charAt(0).toUpperCase() + problem.slice(1));
export const orderNotFound = () => errorAnswer(404, CODES.INVALID_ORDER_ID, "Invalid transaction ID");
/** An unknown (or not enabled) gateway or payment method id, as MultiSafepay answers it: 404 / 1023. */
export const noGateway = () => errorAnswer(404, CODES.NO_GATEWAY, "No gateway (payment method) available");
export const cartAmountMismatch = () =>
  errorAnswer(404, CODES.CART_AMOUNT_MISMATCH, "Cart amount must equal order amount");
/** Refusals of refunds and cancellations (see operations/refund-order.ts, cancel-refund.ts, cancel-order.ts). */
export const cannotRefund = (why: string) => errorAnswer(404, CODES.CANNOT_REFUND, `Cannot refund: ${why}`);
export const refundInfoError = (why: string) => errorAnswer(404, CODES.REFUND_INFO_ERROR, `Refund info error: ${why}`);
export const gone = () => errorAnswer(410, CODES.UNKNOWN_ERROR, "Not found");
export const cannotUpdate = (why: string) => errorAnswer(404, CODES.UNKNOWN_ERROR, `Cannot cancel: ${why}`);
export const orderIdInUse = () => errorAnswer(404, CODES.INVALID_ORDER_ID, "Invalid transaction ID");

/** The first field (in this order) that MultiSafepay would complain about, with its error code. */
const FIELD_ERRORS: [field: RegExp, code: number, info: string][] = [
  [/^\/amount\b/, CODES.INVALID_AMOUNT, "Invalid amount"],
  [/^\/currency\b/, CODES.INVALID_CURRENCY, "Invalid currency"],
  [/^\/order_id\b/, CODES.INVALID_ORDER_ID, "Invalid transaction ID"],
  [/^\/customer\/(ip_address|forwarded_ip)\b/, CODES.INVALID_IP_ADDRESS, "Invalid IP address"],
  [/^\/description\b/, CODES.INVALID_DESCRIPTION, "Invalid description"],
  [/^\/var[123]\b/, CODES.INVALID_VAR, "Invalid var1, var2 or var3"],
  [/^\/customer\/country\b/, CODES.INVALID_COUNTRY, "Invalid country code"],
  [/^\/(gateway|type)\b/, CODES.NO_GATEWAY, "No gateway (payment method) available"],
];

export function invalidOrder(issues: ValidationIssue[]): Answer {
  for (const [field, code, info] of FIELD_ERRORS) {
    if (issues.some((issue) => field.test(issue.path))) return errorAnswer(400, code, info);
  }
  const first = issues[0];
  return errorAnswer(
    400,
    CODES.MISSING_DATA,
    `Missing data${first ? `: ${first.path || "body"} ${first.message}` : ""}`,
  );
}
