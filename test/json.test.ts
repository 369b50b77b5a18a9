// Ids beyond 2^53 survive parsing exactly; nothing else changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson, quoteUnsafeIntegers } from "../src/json.js";

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

  it("throws on invalid JSON", () => {
    expect(() => parseJson('{"a":1')).toThrow(SyntaxError);
  });
});
