// Ids beyond 2^53 survive parsing exactly; nothing else changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson, quoteUnsafeIntegers } from "../src/json.js";

/**
 * The oracle: parseJson as it was before its pre-check read one character in 16 (two regexes over the whole
 * text, then the exact scan), copied whole so that a change to src/json.ts is checked against it.
 */
const oracle = (() => {
  const LONG = /(?:^|[:[,])[ \t\n\r]*(-?[1-9]\d{15,})(?=[ \t\n\r]*(?:[,\]}]|$))/g;
  const MAYBE = /[:[,][ \t\n\r]*-?[1-9]\d{15}/;
  const LEADING = /^[ \t\n\r]*-?[1-9]\d{15}/;
  const isNumberChar = (c: number) => (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
  const skipString = (text: string, start: number) => {
    let i = start + 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) return i + 1;
      else i++;
    }
    return i;
  };
  const quote = (text: string) => {
    let out = "";
    let copiedUpTo = 0;
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i = skipString(text, i);
        continue;
      }
      if (c === 45 || (c >= 48 && c <= 57)) {
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
  };
  const unsafe = (text: string) => {
    if (!MAYBE.test(text) && !LEADING.test(text)) return false;
    LONG.lastIndex = 0;
    for (let match = LONG.exec(text); match; match = LONG.exec(text)) {
      if (!Number.isSafeInteger(Number(match[1]))) return true;
    }
    return false;
  };
  return (text: string): unknown => JSON.parse(unsafe(text) ? quote(text) : text);
})();

/** What a parse gives: its value, or that it threw. */
const outcome = (parse: (text: string) => unknown, text: string) => {
  try {
    return { value: parse(text) };
  } catch (error) {
    return { threw: (error as Error).name };
  }
};

describe("parseJson", () => {
  it("keeps unsafe integers as exact strings and leaves safe numbers alone", () => {
    expect(parseJson('{"transaction_id":17472052901237122,"amount":1000,"fee":0.44,"n":-9007199254740993}')).toEqual({
      transaction_id: "17472052901237122",
      amount: 1000,
      fee: 0.44,
      n: "-9007199254740993",
    });
  });

  it("does not touch digits inside strings, decimals or exponents", () => {
    const text =
      '{"a":"12345678901234567890","b":"x\\"99999999999999999","c":1234567890123456.5,"d":1e400,"e":[9007199254740991]}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it("round-trips any integer exactly, inside any JSON", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
        fc.json().filter((j) => !/\d{16}/.test(j)),
        (id, other) => {
          const parsed = parseJson(`{"id":${id},"other":${other}}`) as { id: unknown; other: unknown };
          const safe = id >= BigInt(Number.MIN_SAFE_INTEGER) && id <= BigInt(Number.MAX_SAFE_INTEGER);
          expect(parsed.id).toEqual(safe ? Number(id) : id.toString());
          expect(JSON.stringify(parsed.other)).toBe(JSON.stringify(JSON.parse(other)));
        },
      ),
    );
  });

  it("takes the fast path exactly when the exact path would change nothing (property, against the exact path)", () => {
    // Values with big integers, long digit runs inside strings (IBAN-like, and text that looks like a number
    // token: ":12345678901234567890,") and 16-digit safe integers, laid out compactly, indented or with tabs.
    const big = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => ({ big: n.toString() }));
    const digitsInString = fc
      .tuple(fc.constantFrom("BE", ":", ",", "[", " ", ""), fc.bigInt({ min: 10n ** 15n, max: 10n ** 22n }))
      .map(([prefix, n]) => `${prefix}${n}${prefix === ":" ? "," : ""}`);
    const leaf = fc.oneof(fc.jsonValue({ maxDepth: 1 }), big, digitsInString, fc.constant(9007199254740991));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 2, "\t", " \r\n"), (v, indent) => {
        const text = JSON.stringify(v, (_key, x) => x, indent).replace(/\{\s*"big":\s*"(-?\d+)"\s*\}/g, "$1");
        expect(parseJson(text)).toEqual(JSON.parse(quoteUnsafeIntegers(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads a big integer that is the whole text, or the first element, exactly", () => {
    expect(parseJson(" 12345678901234567890 ")).toBe("12345678901234567890");
    expect(parseJson("[12345678901234567890]")).toEqual(["12345678901234567890"]);
    expect(parseJson('{"a":\n\t-12345678901234567890\r\n}')).toEqual({ a: "-12345678901234567890" });
  });

  it("reads every text as the previous parser did (property, against a copy of it)", () => {
    // Digit runs of 14 to 24 digits as numbers and inside strings, after every kind of character a run can
    // follow, at every alignment (the pre-check reads one character in 16), in valid and cut-short texts.
    const run = fc
      .oneof(
        fc.bigInt({ min: 10n ** 13n, max: 10n ** 24n }),
        // 16 digits on either side of 2^53: the shortest runs that can change the result.
        fc.bigInt({ min: 2n ** 53n - 1000n, max: 10n ** 16n - 1n }),
      )
      .map(String);
    const number = fc.tuple(fc.constantFrom("", "-"), run, fc.constantFrom("", ".5", "e3", "0")).map((p) => p.join(""));
    const inString = fc
      .tuple(fc.constantFrom("", "BE", ":", ",", "[", " ", "-", "0", 'x\\"', "\\u0030"), run)
      .map(([before, digits]) => `"${before}${digits}"`);
    const leaf = fc.oneof(
      number,
      inString,
      fc.jsonValue({ maxDepth: 0 }).map((v) => JSON.stringify(v)),
    );
    const space = fc.constantFrom("", " ", "\n", "\t", " \r\n  ");
    const text = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.tuple(space, fc.array(tie("node"), { maxLength: 5 })).map(([ws, items]) => `[${ws}${items.join(`,${ws}`)}]`),
        fc
          .tuple(space, fc.array(fc.tuple(fc.string({ maxLength: 20 }), tie("node")), { maxLength: 5 }))
          .map(([ws, entries]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${ws}${v}`).join(",")}}`),
      ),
    })).node;
    const laidOut = fc
      .tuple(fc.nat({ max: 40 }), text, fc.nat({ max: 40 }), fc.boolean())
      .map(([pad, t, cut, whole]) => {
        const padded = `${" ".repeat(pad)}${t}`;
        return whole ? padded : padded.slice(0, Math.max(0, padded.length - cut));
      });
    fc.assert(
      fc.property(laidOut, (t) => {
        expect(outcome(parseJson, t)).toEqual(outcome(oracle, t));
      }),
      { numRuns: 5000 },
    );
  });

  it("finds a big integer at every alignment, and leaves a digit run in a string alone at every alignment", () => {
    for (let pad = 0; pad < 40; pad++) {
      const filler = "x".repeat(pad);
      expect(parseJson(`{"p":"${filler}","id":9007199254740993}`)).toEqual({ p: filler, id: "9007199254740993" });
      expect(parseJson(`{"p":"${filler}","id":12345678901234567890}`)).toEqual({
        p: filler,
        id: "12345678901234567890",
      });
      expect(parseJson(`${" ".repeat(pad)}-12345678901234567890`)).toBe("-12345678901234567890");
      const iban = `{"p":"${filler}","iban":"BE12345678901234567890","recurring_id":"99814704667013722040"}`;
      expect(parseJson(iban)).toEqual(JSON.parse(iban));
    }
  });

  it("throws on invalid JSON", () => {
    expect(() => parseJson('{"a":1')).toThrow(SyntaxError);
  });
});
