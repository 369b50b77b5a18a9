// JSON parsing that never rounds: integers beyond 2^53 (MultiSafepay's transaction ids) come back as exact
// decimal strings. Node 20 has no JSON.parse source access, so such literals are quoted before parsing.

// Cheap pre-check: only text with a run of 16+ digits can hold an unsafe integer.
const LONG_DIGITS = /\d{16}/;

export function parseJson(text: string): unknown {
  return JSON.parse(LONG_DIGITS.test(text) ? quoteUnsafeIntegers(text) : text);
}

function quoteUnsafeIntegers(text: string): string {
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
