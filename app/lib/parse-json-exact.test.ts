import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonExact } from "./parse-json-exact";

/**
 * The rule, stated with the slow reviver that reads each value's source text: integers under
 * an `id` / `*_id` key, and integers a double cannot hold, come back as their exact text.
 */
function parseByRule(text: string): unknown {
  return JSON.parse(text, function revive(key, value, context?: { source?: string }) {
    if (typeof value !== "number" || !Number.isInteger(value)) return value;
    if (key === "id" || key.endsWith("_id") || !Number.isSafeInteger(value)) return context?.source;
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

const space = fc.constantFrom("", "", " ", "\n  ", "\t");
const key = fc.constantFrom(
  "id",
  "order_id",
  "customer_id",
  "ids",
  "identity",
  "quantity",
  "note",
  "\\u0069d",
  'x\\"_id',
  "",
);
const number = fc.constantFrom(
  "0",
  "-0",
  "7",
  "-12",
  "1.0",
  "1.5",
  "1e3",
  "2E-2",
  "1e400",
  "9007199254740993",
  "820982911946154508",
  "18446744073709551615",
  "-9223372036854775808",
  "12345678901234567890.5",
);
const text = fc.constantFrom(
  '"plain"',
  '"\\"id\\":123456789012345678901"',
  '"a:9007199254740993,"',
  '"[1,2]{}"',
  '"back\\\\"',
  '"\\u0031"',
);
const literal = fc.constantFrom("true", "false", "null");
const { value } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    number,
    text,
    literal,
    fc
      .array(fc.tuple(space, tie("value"), space), { maxLength: 4 })
      .map((items) => `[${items.map(([a, item, b]) => a + item + b).join(",")}]`),
    fc
      .array(fc.tuple(key, space, tie("value"), space), { maxLength: 5 })
      .map(
        (entries) =>
          `{${entries.map(([name, a, item, b]) => `"${name}"${a}:${b}${item}`).join(",")}}`,
      ),
  ),
}));

describe("parseJsonExact", () => {
  it("keeps ids above 2^53 exact", () => {
    const parsed = parseJsonExact(
      '{"id":820982911946154508,"order_id":9007199254740993}',
    ) as Record<string, unknown>;
    expect(parsed.id).toBe("820982911946154508");
    expect(parsed.order_id).toBe("9007199254740993");
  });

  it("returns small ids as strings too, so every id has one type", () => {
    expect(parseJsonExact('{"id":7,"customer_id":12}')).toEqual({ id: "7", customer_id: "12" });
  });

  it("leaves other numbers alone and keeps huge counters exact", () => {
    expect(parseJsonExact('{"quantity":3,"subtotal":89.99,"grams":18446744073709551615}')).toEqual({
      quantity: 3,
      subtotal: 89.99,
      grams: "18446744073709551615",
    });
  });

  it("leaves digits inside strings alone, escaped quotes included", () => {
    expect(parseJsonExact('{"note":"\\"id\\": 9007199254740993","id":1}')).toEqual({
      note: '"id": 9007199254740993',
      id: "1",
    });
  });

  it("keeps huge integers in arrays exact and small ones as numbers", () => {
    expect(parseJsonExact('{"ids":[1, 18446744073709551615],"id":[2]}')).toEqual({
      ids: [1, "18446744073709551615"],
      id: [2],
    });
  });

  it("GIVEN any document of ids, numbers, strings and nesting WHEN parsed THEN it matches the rule", () => {
    fc.assert(
      fc.property(space, value, space, (before, document, after) => {
        const source = before + document + after;
        expect(parseJsonExact(source)).toEqual(parseByRule(source));
      }),
      { numRuns: 2000 },
    );
  });

  it("throws SyntaxError on malformed input, also where quoting a number would have mended it", () => {
    for (const malformed of [
      "{oops",
      '{"id":01}',
      "{18446744073709551615:1}",
      '{"a":1,18446744073709551615:2}',
      '{"id":1.}',
      '{"id":"9007199254740993',
      '{"note":"x:9007199254740993}',
    ]) {
      expect(() => parseJsonExact(malformed), malformed).toThrow(SyntaxError);
    }
  });
});
