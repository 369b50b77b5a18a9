// The log lines themselves, loaded by logging.ts only for a client whose log level is not "off". Each level adds
// to the one before it: error (a call that failed), warn (a retry, a listener that threw), info (every call's
// outcome), debug (every attempt with its headers and body). What is logged is made key-free first: the api_key
// and Auth headers are masked, and the key and IBANs are cut out of every text.
import type { Tap } from "./events.js";
import type { Logger } from "./logging.js";
import type { Redactor } from "./redact.js";
import type { Incoming, Outgoing } from "./senders/sender.js";

/** Headers that hold credentials other than the key: MultiSafepay's signature, and a caller's proxy or session. */
const SECRET_HEADERS = new Set(["auth", "authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** A debug line holds at most this much of a body: an answer may be up to maxResponseBytes (4 MiB by default). */
const MAX_LOGGED_BODY = 10_000;

const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/gi;

/**
 * An IBAN as MultiSafepay writes it (upper case) is masked whatever its check digits; one in lower or mixed
 * case (as a shopper typed it) only where a part of it from its start has valid ones, so that lower-case ids
 * and words that merely look like one stay readable.
 */
function maskedIban(match: string): string {
  if (match === match.toUpperCase()) return "[iban]";
  for (let end = match.length; end >= 15; end--) {
    const candidate = match.slice(0, end);
    const compact = candidate.replace(/ /g, "");
    if (candidate.endsWith(" ") || compact.length < 15 || compact.length > 34) continue;
    if (checkDigitsValid(compact)) return `[iban]${match.slice(end)}`;
  }
  return match;
}

/** ISO 13616's check: the IBAN with its first four characters moved to the end, letters as 10–35, mod 97 is 1. */
function checkDigitsValid(iban: string): boolean {
  const moved = (iban.slice(4) + iban.slice(0, 4)).toUpperCase();
  let rest = 0;
  for (const char of moved) {
    const value = char >= "A" ? char.charCodeAt(0) - 55 : Number(char);
    rest = (value > 9 ? rest * 100 + value : rest * 10 + value) % 97;
  }
  return rest === 1;
}

/** The log lines for one client, as a tap on its events, and the warning for a listener that threw. */
/** `at` is the level's place in logging.ts's LEVELS (error 1 … debug 4), passed in so that this chunk imports nothing. */
export function createLogging(at: number, logger: Logger, redactor: Redactor) {
  const clean = (text: string) => redactor.text(text).replace(IBAN, maskedIban);
  // Cut after cleaning, so the cut never leaves part of a key or an IBAN in clear.
  const body = (text: string) => {
    const cleaned = clean(text);
    return cleaned.length > MAX_LOGGED_BODY
      ? `${cleaned.slice(0, MAX_LOGGED_BODY)}… (${cleaned.length - MAX_LOGGED_BODY} more characters)`
      : cleaned;
  };
  const headers = (each: (visit: (value: string, name: string) => void) => void) => {
    const out: Record<string, string> = {};
    each((value, name) => {
      const lower = name.toLowerCase();
      // A server may echo the key in a header's name, too.
      out[clean(lower)] = lower === "api_key" ? "[api_key]" : SECRET_HEADERS.has(lower) ? "[redacted]" : clean(value);
    });
    return out;
  };
  const name = (e: { requestId: string; operationId: string; attempt: number }) =>
    `multisafepay ${e.requestId} ${e.operationId} #${e.attempt}`;
  let warnedListener = false;

  const tap: Tap = {};
  if (at >= 4) {
    tap.request = (e, raw) => {
      const sent = raw as Outgoing;
      logger.debug(`${name(e)} ${e.method} ${clean(e.url)}`, {
        headers: headers((visit) => {
          for (const [n, v] of Object.entries(sent.headers)) visit(v, n);
        }),
        body: sent.body === undefined ? undefined : body(sent.body),
      });
    };
  }
  if (at >= 1) {
    tap.response = (e, raw) => {
      const answer = raw as Incoming | undefined;
      if (at >= 4 && answer)
        logger.debug(`${name(e)} answer ${e.status}`, {
          headers: answer.headers.forEach ? headers((visit) => answer.headers.forEach?.(visit)) : {},
          body: body(answer.body),
        });
      if (!e.final) return;
      const line = `${name(e)} ${e.method} ${e.path}: ${e.status ?? "no answer"} ${e.outcome}${
        e.errorCode === null ? "" : ` (error_code ${e.errorCode})`
      } in ${Math.round(e.durationMs)} ms`;
      if (e.outcome !== "ok") logger.error(line);
      else if (at >= 3) logger.info(line);
    };
  }
  if (at >= 2) tap.retry = (e) => logger.warn(`${name(e)} failed (${e.reason}): retrying in ${e.delayMs} ms`);

  return {
    tap,
    /** A listener that threw: said once per client (at warn), never rethrown into the call. */
    listenerError(error: unknown): void {
      if (at < 2 || warnedListener) return;
      warnedListener = true;
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`multisafepay: an event listener threw (ignored; said once): ${clean(message)}`);
    },
  };
}
