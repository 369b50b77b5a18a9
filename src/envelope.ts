// Reads MultiSafepay's `{success, data}` envelope. Success is decided by the body's `success` flag, not by
// the HTTP status alone: MultiSafepay sends its error envelope with 401, 404, 410 and others (with 200 too,
// possibly: no source shows it, and reading `success` is right either way).
import { ERROR_CODES } from "../generated/spec-constants.js";
import { advisedDetails } from "./advice.js";
import { ApiError, AuthenticationError, InvalidResponseError } from "./errors.js";
import { parseJson } from "./json.js";
import type { Incoming } from "./senders/sender.js";

/** Returns the envelope's `data` (and the whole envelope, for lists with a pager), or throws the typed error the answer amounts to. */
export function readEnvelope(answer: Incoming): { data: unknown; envelope: Record<string, unknown> } {
  const { status, body: text } = answer;
  // No sender follows a redirect; one that reaches here is refused, whatever its body says.
  if (status >= 300 && status < 400) throw new InvalidResponseError(status, "a redirect, which is never followed");
  if (text.trim() === "") throw new InvalidResponseError(status, "empty body");

  let body: unknown;
  try {
    body = parseJson(text);
  } catch {
    const type = answer.headers.get("content-type") ?? "no content-type";
    throw new InvalidResponseError(status, `not JSON (${type})`, text);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidResponseError(status, "not a JSON object", text);
  }

  const envelope = body as { success?: unknown; data?: unknown; error_code?: unknown; error_info?: unknown };
  const ok = status >= 200 && status < 300;
  if ((envelope.success === true || (envelope.success === undefined && ok)) && "data" in envelope) {
    return { data: envelope.data, envelope: envelope as Record<string, unknown> };
  }

  if (envelope.success === false || !ok) {
    const errorCode = typeof envelope.error_code === "number" ? envelope.error_code : numeric(envelope.error_code);
    const errorInfo = typeof envelope.error_info === "string" ? envelope.error_info : null;
    const refusedKey = errorCode === ERROR_CODES.INVALID_API_KEY || status === 401 || status === 403;
    // With what the client knows and MultiSafepay does not say (advice.ts): the order_id, the environment.
    const details = advisedDetails(answer, { status, errorCode, errorInfo }, refusedKey);
    if (refusedKey) throw new AuthenticationError(details);
    throw new ApiError(details);
  }
  throw new InvalidResponseError(status, "no `success`/`data` envelope", text);
}

function numeric(value: unknown): number | null {
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null;
}

/** The envelope's `data` as an object (an order, a refund…), or invalid_response. */
export function readObject(answer: Incoming, what: string): object {
  const { data } = readEnvelope(answer);
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new InvalidResponseError(answer.status, `the ${what} is not an object`);
  return data;
}

/** The envelope's `data` as a list, with the whole envelope (for its `pager`), or invalid_response. */
export function readList(answer: Incoming, what: string): { data: unknown[]; envelope: Record<string, unknown> } {
  const { data, envelope } = readEnvelope(answer);
  if (!Array.isArray(data)) throw new InvalidResponseError(answer.status, `the ${what} is not an array`);
  return { data, envelope };
}
