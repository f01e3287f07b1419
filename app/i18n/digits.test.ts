import { describe, expect, it } from "vitest";
import { latinDigits, localDigits } from "./digits";

describe("digits in form fields", () => {
  it("shows a value in the page's digits and reads any back as Latin", () => {
    // GIVEN values as forms keep them
    // WHEN a Persian page shows them THEN they are in Persian digits, with its decimal mark
    expect(localDigits("90", "fa")).toBe("۹۰");
    expect(localDigits("0.6", "fa")).toBe("۰٫۶");
    expect(localDigits("90", "en")).toBe("90");
    expect(localDigits("1.5", "tr")).toBe("1.5");
    // AND what a merchant types, in any of the digits, is kept in Latin digits
    expect(latinDigits("۹۰")).toBe("90");
    expect(latinDigits("٩٠")).toBe("90");
    expect(latinDigits("۰٫۶")).toBe("0.6");
    expect(latinDigits("12")).toBe("12");
    expect(latinDigits("۳۰، ۹۰، ۱۸۰")).toBe("30, 90, 180");
    expect(latinDigits(localDigits("0.25", "fa"))).toBe("0.25");
  });
});
