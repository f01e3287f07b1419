import { describe, expect, it } from "vitest";
import { formatsFor } from "./format";

describe("formatsFor().list", () => {
  it("GIVEN names to list WHEN shown in Persian, Chinese and English THEN each language's separators and last 'and' join them", () => {
    const names = ["vip", "loyal", "new"];
    expect(formatsFor("fa").list(names)).toBe("vip،\u200f loyal، و new");
    expect(formatsFor("zh-CN").list(names)).toBe("vip、loyal和new");
    expect(formatsFor("en").list(names)).toBe("vip, loyal, and new");
  });

  it("GIVEN one name or none WHEN listed THEN the name alone, or nothing for the caller to replace", () => {
    expect(formatsFor("fa").list(["vip"])).toBe("vip");
    expect(formatsFor("en").list([])).toBe("");
  });
});
