// Reads MultiSafepay's `{success, data}` envelope. Success is decided by the body's `success` flag, not by
// the HTTP status alone: MultiSafepay sends its error envelope with 200, 401, 404 and 410.
import { ApiError, AuthenticationError, InvalidResponseError } from "./errors.js";
import { parseJson } from "./json.js";

const INVALID_API_KEY = 1032;

/** Returns the envelope's `data`, or throws the typed error the answer amounts to. `text` is the whole body. */
export function readEnvelope(response: Response, text: string): unknown {
  const { status } = response;
  if (text.trim() === "") throw new InvalidResponseError(status, "empty body");

  let body: unknown;
  try {
    body = parseJson(text);
  } catch {
    const type = response.headers.get("content-type") ?? "no content-type";
    throw new InvalidResponseError(status, `not JSON (${type})`, text);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InvalidResponseError(status, "not a JSON object", text);
  }

  const envelope = body as { success?: unknown; data?: unknown; error_code?: unknown; error_info?: unknown };
  if (envelope.success === true && "data" in envelope) return envelope.data;
  if (envelope.success === undefined && response.ok && "data" in envelope) return envelope.data;

  if (envelope.success === false || !response.ok) {
    const errorCode = typeof envelope.error_code === "number" ? envelope.error_code : numeric(envelope.error_code);
    const errorInfo = typeof envelope.error_info === "string" ? envelope.error_info : null;
    const details = { status, errorCode, errorInfo };
    if (errorCode === INVALID_API_KEY || status === 401 || status === 403) throw new AuthenticationError(details);
    throw new ApiError(details);
  }
  throw new InvalidResponseError(status, "no `success`/`data` envelope", text);
}

function numeric(value: unknown): number | null {
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null;
}
