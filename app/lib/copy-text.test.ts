import { describe, expect, it } from "vitest";
import { copyRows, copyValue } from "./copy-text";

describe("COPY text format", () => {
  it("writes each value as PostgreSQL reads it back", () => {
    // GIVEN values of every kind a record holds
    // WHEN each is written
    // THEN NULL is \N, booleans t/f, 64-bit ids exact, dates ISO
    expect(copyValue(null)).toBe("\\N");
    expect(copyValue(undefined)).toBe("\\N");
    expect(copyValue(true)).toBe("t");
    expect(copyValue(false)).toBe("f");
    expect(copyValue(9_223_372_036_854_775_807n)).toBe("9223372036854775807");
    expect(copyValue(12)).toBe("12");
    expect(copyValue(new Date("2025-03-01T10:00:00.5Z"))).toBe("2025-03-01T10:00:00.500Z");
    expect(copyValue("19.90")).toBe("19.90");
  });

  it("escapes the characters that delimit rows and columns, and the escape itself", () => {
    expect(copyValue("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyValue("\\N")).toBe("\\\\N");
    expect(copyValue("Ünïcødé 🍵")).toBe("Ünïcødé 🍵");
  });

  it("writes arrays as quoted array literals, escaped once more for COPY", () => {
    expect(copyValue([])).toBe("{}");
    expect(copyValue(["vip", "a,b", "{x}", "NULL"])).toBe('{"vip","a,b","{x}","NULL"}');
    // The literal's own escape (\") is a backslash, which COPY then doubles.
    expect(copyValue(['say "hi"', "back\\slash"])).toBe('{"say \\\\"hi\\\\"","back\\\\\\\\slash"}');
  });

  it("refuses what PostgreSQL cannot store instead of sending it", () => {
    expect(() => copyValue("a\0b")).toThrow("NUL");
    expect(() => copyValue(Number.NaN)).toThrow(RangeError);
  });

  it("writes rows of the named fields in order, tab-separated, one per line", () => {
    const rows = copyRows(
      [
        { id: 1n, name: "Tea", note: null, extra: "not written" },
        { id: 2n, name: "Tab\there", note: "x", extra: "" },
      ],
      ["id", "name", "note"],
    );
    expect(rows).toBe("1\tTea\t\\N\n2\tTab\\there\tx\n");
  });
});
