import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonText } from "./json-text";

const utf8 = (text: string) => new TextEncoder().encode(text);
const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
/** What JSON.parse says of the bytes' UTF-8 decoding (replacement characters included). */
const parsesBytes = (bytes: Uint8Array) =>
  parses(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes));

describe("isJsonText", () => {
  it("GIVEN any JSON value, WHEN serialised (compact or indented), THEN it is JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t"), (value, indent) => {
        expect(isJsonText(utf8(JSON.stringify(value, null, indent)))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("GIVEN arbitrary text or a JSON text with one character changed, THEN it agrees with JSON.parse", () => {
    const mutated = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom("delete", "insert", "replace"),
        fc.string({ minLength: 1, maxLength: 1 }),
      )
      .map(([text, position, change, character]) => {
        const at = text.length === 0 ? 0 : position % text.length;
        if (change === "delete") return text.slice(0, at) + text.slice(at + 1);
        if (change === "insert") return text.slice(0, at) + character + text.slice(at);
        return text.slice(0, at) + character + text.slice(at + 1);
      });
    const grammarPieces = fc
      .array(
        fc.constantFrom(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          '"',
          "\\",
          "\\u",
          "00",
          "0",
          "-",
          "+",
          ".",
          "e",
          "E",
          "1",
          "true",
          "fals",
          "null",
          " ",
          "\n",
          "\t",
          "\u0001",
          "é",
          "\u2028",
          "a",
        ),
        { maxLength: 20 },
      )
      .map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), mutated, grammarPieces),
        (text) => {
          expect(isJsonText(utf8(text))).toBe(parses(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("GIVEN raw bytes (invalid UTF-8 among them), THEN it agrees with JSON.parse of their decoding", () => {
    const jsonWithByte = fc
      .tuple(fc.json(), fc.nat(), fc.integer({ min: 0, max: 255 }))
      .map(([text, position, byte]) => {
        const bytes = utf8(text);
        const at = position % (bytes.length + 1);
        return new Uint8Array([...bytes.slice(0, at), byte, ...bytes.slice(at)]);
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 30 }), jsonWithByte), (bytes) => {
        expect(isJsonText(bytes)).toBe(parsesBytes(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ["", false],
    [" ", false],
    ["0", true],
    ["-0", true],
    ["01", false],
    ["-", false],
    ["1.", false],
    [".5", false],
    ["1e", false],
    ["1e+", false],
    ["1E-5", true],
    ["+1", false],
    ["NaN", false],
    ["Infinity", false],
    ['"\\ud800"', true],
    ['"\\u00zz"', false],
    ['"\\x"', false],
    ['"tab\there"', false],
    ["[1,]", false],
    ['{"a":1,}', false],
    ['{"a" 1}', false],
    ["{1:2}", false],
    ["[] []", false],
    [' {"a" : [ true , false , null ] } \n', true],
    ["\uFEFF{}", false],
    ["tru", false],
    ["nul", false],
  ])("%j is JSON: %s (as JSON.parse says)", (text, expected) => {
    expect(parses(text)).toBe(expected);
    expect(isJsonText(utf8(text))).toBe(expected);
  });

  it("GIVEN arrays nested 100,000 deep, THEN it answers without exhausting the stack", () => {
    const depth = 100_000;
    expect(isJsonText(utf8("[".repeat(depth) + "]".repeat(depth)))).toBe(true);
    expect(isJsonText(utf8("[".repeat(depth) + "]".repeat(depth - 1)))).toBe(false);
  });
});
