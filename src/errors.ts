// Every error the package throws. Each carries a string `code` so callers can branch without `instanceof`
// (which fails when the ESM and CJS copies of the package meet in one process).
import type { Order } from "./types.js";

export type MultiSafepayErrorCode =
  | "validation_error"
  | "api_error"
  | "authentication_error"
  | "connection_error"
  | "timeout_error"
  | "request_aborted"
  | "invalid_response"
  | "order_exists"
  | "outcome_unknown"
  | "signature_verification_error";

export class MultiSafepayError extends Error {
  readonly code: MultiSafepayErrorCode;

  constructor(code: MultiSafepayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** What `JSON.stringify(error)` shows: the fields to branch on, never a request, header or key. */
  toJSON(): Record<string, unknown> {
    const { stack: _stack, cause: _cause, ...fields } = this as Record<string, unknown>;
    return { name: this.name, message: this.message, ...fields };
  }
}

export interface ValidationIssue {
  /** JSON pointer to the offending field, e.g. `/amount` or `/customer/locale`; `""` for the whole value. */
  path: string;
  message: string;
}

/** Bad input, caught before anything was sent. */
export class ValidationError extends MultiSafepayError {
  declare readonly code: "validation_error";

  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], subject = "request") {
    // The message names the first few; `issues` has them all.
    const list = issues
      .slice(0, 10)
      .map((i) => `${i.path || "(root)"} ${i.message}`)
      .join("; ");
    const more = issues.length > 10 ? `; and ${issues.length - 10} more (see error.issues)` : "";
    super("validation_error", `Invalid ${subject}: ${list}${more}`);
    this.issues = issues;
  }
}

export interface ApiErrorDetails {
  status: number;
  errorCode: number | null;
  errorInfo: string | null;
  /**
   * What to do, in this package's words, from what the client knows and MultiSafepay's answer does not say
   * (which order_id, which environment and host): it leads the message, and MultiSafepay's own text follows
   * it (and stays, unchanged, on `errorInfo`).
   */
  advice?: string;
}

/** MultiSafepay answered with its error envelope (`success: false`) or an error status. */
export class ApiError extends MultiSafepayError {
  declare readonly code: "api_error" | "authentication_error";

  readonly status: number;
  /** MultiSafepay's `error_code`, e.g. 1006 for a reused order id; `null` when the body had none. */
  readonly errorCode: number | null;
  readonly errorInfo: string | null;

  constructor(details: ApiErrorDetails, code: "api_error" | "authentication_error" = "api_error") {
    const info = details.errorInfo ? `: ${details.errorInfo}` : "";
    const message = details.advice
      ? `${details.advice} (MultiSafepay answered ${details.errorCode === null ? "" : `error ${details.errorCode}, `}HTTP ${details.status}${info})`
      : `MultiSafepay ${details.errorCode === null ? `HTTP ${details.status}` : `error ${details.errorCode} (HTTP ${details.status})`}${info}`;
    super(code, message);
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorInfo = details.errorInfo;
  }
}

/**
 * The API key was refused (error 1032, HTTP 401/403): wrong key, or a test key on live and the reverse. The
 * message names the environment and host that refused it.
 */
export class AuthenticationError extends ApiError {
  declare readonly code: "authentication_error";

  constructor(details: ApiErrorDetails) {
    super(details, "authentication_error");
  }
}

/** A ConnectionError's message when nothing more is known; the pipeline puts the host in (advice.ts). */
export const COULD_NOT_REACH = "Could not reach MultiSafepay";

/** The request never got an answer: DNS, refused or reset connection, a body cut short. The message names the host. */
export class ConnectionError extends MultiSafepayError {
  declare readonly code: "connection_error" | "timeout_error";

  constructor(
    message = COULD_NOT_REACH,
    options?: { cause?: unknown },
    code: "connection_error" | "timeout_error" = "connection_error",
  ) {
    super(code, message, options);
  }
}

/** No complete answer within `timeoutMs` (after every allowed retry). */
export class TimeoutError extends ConnectionError {
  declare readonly code: "timeout_error";

  readonly timeoutMs: number;

  /** `server` names who did not answer ("MultiSafepay's live environment (api.multisafepay.com)"). */
  constructor(timeoutMs: number, server = "MultiSafepay") {
    super(`${server} did not answer within ${timeoutMs} ms`, undefined, "timeout_error");
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. */
export class RequestAbortedError extends MultiSafepayError {
  declare readonly code: "request_aborted";

  constructor(options?: { cause?: unknown }) {
    super("request_aborted", "The request was aborted by the caller", options);
  }
}

/** An answer that is not MultiSafepay's JSON envelope: an HTML error page, an empty or truncated body. */
export class InvalidResponseError extends MultiSafepayError {
  declare readonly code: "invalid_response";

  readonly status: number;
  /** The start of the body, for diagnosis (at most 500 characters). */
  readonly body: string;

  constructor(status: number, reason: string, body = "") {
    super("invalid_response", `Unexpected answer from MultiSafepay (HTTP ${status}): ${reason}`);
    this.status = status;
    this.body = body.slice(0, 500);
  }
}

/**
 * A create whose answer was lost: its earlier attempt reached MultiSafepay and made the order, but the
 * payment link cannot be read back (MultiSafepay's GET carries none for redirect orders). `order` is the
 * order MultiSafepay holds, or null when even reading it failed (`cause`). Cancel it (`orders.cancel`) and
 * create a new one under a new `order_id`, or ask the shopper to try again.
 */
export class OrderExistsError extends MultiSafepayError {
  declare readonly code: "order_exists";

  readonly orderId: string;
  readonly order: Order | null;

  constructor(orderId: string | number, order: Order | null, options?: { cause?: unknown }) {
    const detail = order ? "but its payment link cannot be read back" : "but reading it back failed";
    super(
      "order_exists",
      `Order ${JSON.stringify(String(orderId))} was created by an earlier attempt of this call, ${detail}`,
      options,
    );
    this.orderId = String(orderId);
    this.order = order;
  }
}

/**
 * A request that moves money or changes an order (a refund, a cancellation) may have reached MultiSafepay,
 * and no answer came back that says what happened: none at all (`cause` is the ConnectionError, TimeoutError
 * or RequestAbortedError: your signal fired after the request left), or one that cannot be read (`cause` is
 * the InvalidResponseError, or the ApiError of a 5xx: a proxy's 502/504 page, truncated JSON, a redirect, an
 * answer over the size cap, a server error). It was not sent again: a second refund would refund twice. Check
 * the order (`orders.get`: `amount_refunded`, `related_transactions`) before you try again. `accepted` is true
 * when MultiSafepay's answer said `success: true` but its data could not be read: the request was taken.
 */
export class OutcomeUnknownError extends MultiSafepayError {
  declare readonly code: "outcome_unknown";

  /** MultiSafepay answered `success: true` (it accepted the request), with data that could not be read. */
  readonly accepted: boolean;

  constructor(cause: MultiSafepayError, options: { accepted?: boolean } = {}) {
    const accepted = options.accepted ?? false;
    const message = accepted
      ? `MultiSafepay accepted the request (success: true), but its answer could not be read (${cause.message}); it was not sent again`
      : cause.code === "connection_error" || cause.code === "timeout_error" || cause.code === "request_aborted"
        ? `No answer from MultiSafepay, which may have acted on the request (${cause.message}); it was not sent again`
        : `No readable answer from MultiSafepay, which may have acted on the request (${cause.message}); it was not sent again`;
    super("outcome_unknown", message, { cause });
    this.accepted = accepted;
  }
}

export type SignatureFailureReason = "missing" | "malformed" | "mismatch" | "expired" | "invalid_body";

/** A notification whose `Auth` signature does not prove it came from MultiSafepay. */
export class SignatureVerificationError extends MultiSafepayError {
  declare readonly code: "signature_verification_error";

  readonly reason: SignatureFailureReason;

  constructor(reason: SignatureFailureReason, message: string) {
    super("signature_verification_error", message);
    this.reason = reason;
  }
}

/** Every error this package throws, as a union to narrow by `code`. */
export type AnyMultiSafepayError =
  | ValidationError
  | ApiError
  | AuthenticationError
  | ConnectionError
  | TimeoutError
  | RequestAbortedError
  | InvalidResponseError
  | OrderExistsError
  | OutcomeUnknownError
  | SignatureVerificationError;

const CODES = new Set<string>([
  "validation_error",
  "api_error",
  "authentication_error",
  "connection_error",
  "timeout_error",
  "request_aborted",
  "invalid_response",
  "order_exists",
  "outcome_unknown",
  "signature_verification_error",
] satisfies MultiSafepayErrorCode[]);

/**
 * Whether `error` is one of this package's errors, narrowed so that `error.code` picks the class: the check
 * `instanceof` cannot make when the ESM and CJS copies of the package meet.
 */
export function isMultiSafepayError(error: unknown): error is AnyMultiSafepayError {
  return error instanceof Error && CODES.has((error as { code?: unknown }).code as string);
}
