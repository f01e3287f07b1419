import { describe, expect, it, vi } from "vitest";
import { parseJsonExact } from "./parse-json-exact";

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

  it("refuses rather than rounds on an engine whose reviver gets no source text (Node 20)", () => {
    const parse = JSON.parse;
    const withoutSource = vi
      .spyOn(JSON, "parse")
      .mockImplementation((text, reviver) =>
        parse(text, reviver && ((key, value) => reviver.call(undefined, key, value))),
      );
    try {
      expect(() => parseJsonExact('{"id":9007199254740993}')).toThrow(/Node.js 22/);
      expect(parseJsonExact('{"note":"no integers"}')).toEqual({ note: "no integers" });
    } finally {
      withoutSource.mockRestore();
    }
  });

  it("throws SyntaxError on malformed input", () => {
    expect(() => parseJsonExact("{oops")).toThrow(SyntaxError);
  });
});
