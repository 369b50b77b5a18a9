// JSON parsing that never rounds: integers beyond 2^53 (MultiSafepay's transaction ids) come back as exact
// decimal strings. Node 20 has no JSON.parse source access, so such literals are quoted before parsing.

// Cheap pre-check: a number token of 16 or more digits, where JSON allows a value to start (after `:`, `[`, `,`
// or at the start, with optional whitespace) and ending where a value ends. Runs of digits inside strings (IBANs,
// recurring ids, phone numbers) are preceded by something else and never match, so real payloads take the fast
// path. A false positive (such text inside a string) only costs the slow path, which reads strings exactly.
const LONG_NUMBER = /(?:^|[:[,])[ \t\n\r]*(-?[1-9]\d{15,})(?=[ \t\n\r]*(?:[,\]}]|$))/g;
// The same start without the capture, the lookahead and the start-of-text branch: about 0.7 µs on a 2.4 kB
// notification, a tenth of JSON.parse, so the common case pays almost nothing. (A JSON integer of 16 or more
// digits starts with 1-9: JSON forbids leading zeros.)
const MAYBE_LONG_NUMBER = /[:[,][ \t\n\r]*-?[1-9]\d{15}/;
const LEADING_LONG_NUMBER = /^[ \t\n\r]*-?[1-9]\d{15}/;

export function parseJson(text: string): unknown {
  return JSON.parse(hasUnsafeInteger(text) ? quoteUnsafeIntegers(text) : text);
}

/** Whether a number token in `text` may be an integer beyond 2^53 (16-digit ones up to 2^53 - 1 are exact). */
function hasUnsafeInteger(text: string): boolean {
  if (!MAYBE_LONG_NUMBER.test(text) && !LEADING_LONG_NUMBER.test(text)) return false;
  LONG_NUMBER.lastIndex = 0;
  for (let match = LONG_NUMBER.exec(text); match; match = LONG_NUMBER.exec(text)) {
    if (!Number.isSafeInteger(Number(match[1]))) return true;
  }
  return false;
}

/** The exact path: every integer literal beyond 2^53 outside a string becomes a decimal string. */
export function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = skipString(text, i);
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < text.length && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copiedUpTo, start)}"${literal}"`;
        copiedUpTo = i;
      }
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Returns the index just past the string literal starting at `start` (its opening quote). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return i;
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45; // digits . e E + -
}
