// JSON parsing that never rounds: integers beyond 2^53 (MultiSafepay's transaction ids) come back as exact
// decimal strings. Node 20 has no JSON.parse source access, so such literals are quoted before parsing.

// A number token of 16 or more digits where JSON allows a value to start (after `:`, `[`, `,` or at the start,
// with optional whitespace) and ending where a value ends. Runs of digits inside strings (IBANs, recurring ids,
// phone numbers) are preceded by something else and never match. (A JSON integer of 16 or more digits starts
// with 1-9: JSON forbids leading zeros.) A false positive (such text inside a string) only costs the exact
// path, which reads strings exactly.
const LONG_NUMBER = /(?:^|[:[,])[ \t\n\r]*(-?[1-9]\d{15,})(?=[ \t\n\r]*(?:[,\]}]|$))/g;

export function parseJson(text: string): unknown {
  return JSON.parse(hasUnsafeInteger(text) ? quoteUnsafeIntegers(text) : text);
}

/** Whether a number token in `text` may be an integer beyond 2^53 (16-digit ones up to 2^53 - 1 are exact). */
function hasUnsafeInteger(text: string): boolean {
  if (!hasLongNumberToken(text)) return false;
  LONG_NUMBER.lastIndex = 0;
  for (let match = LONG_NUMBER.exec(text); match; match = LONG_NUMBER.exec(text)) {
    if (!Number.isSafeInteger(Number(match[1]))) return true;
  }
  return false;
}

/**
 * The common case's whole cost, so it reads one character in 16: a run of 16 or more digits covers some index
 * that is a multiple of 16, so only a digit found there is looked at further (its whole run, and what precedes
 * the run: `-`, whitespace, then `:`, `[`, `,` or the start of the text). A regex scan reads every character and
 * took a fifth of JSON.parse's time on a 2.4 kB notification (npm run bench).
 */
function hasLongNumberToken(text: string): boolean {
  const length = text.length;
  for (let probe = 0; probe < length; probe += 16) {
    if (!isDigit(text.charCodeAt(probe))) continue;
    let start = probe;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < length && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= 16 && startsNumberToken(text, start)) return true;
    // The next probe past this run (its later probes would find the same run).
    probe = (end >> 4) << 4;
  }
  return false;
}

/** Whether the digit run at `start` begins a JSON number value of 16+ digits: first digit 1-9, after a value start. */
function startsNumberToken(text: string, start: number): boolean {
  if (text.charCodeAt(start) === 48 /* 0 */) return false;
  let i = start - 1;
  if (i >= 0 && text.charCodeAt(i) === 45 /* - */) i--;
  while (i >= 0 && isWhitespace(text.charCodeAt(i))) i--;
  if (i < 0) return true;
  const c = text.charCodeAt(i);
  return c === 58 /* : */ || c === 91 /* [ */ || c === 44 /* , */;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWhitespace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

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
