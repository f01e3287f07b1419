import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes what needs quoting and neutralises spreadsheet formulas", () => {
    expect(
      toCsv(
        ["name", "value"],
        [
          ["a,b", 1],
          ['say "hi"', null],
          ["=SUM(A1)", -3],
        ],
      ),
    ).toBe('name,value\r\n"a,b",1\r\n"say ""hi""",\r\n\'=SUM(A1),-3\r\n');
  });
});
