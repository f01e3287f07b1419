import { describe, expect, it } from "vitest";
import { EMAIL_LANGUAGES } from "./built-in-texts";
import { discountDescription } from "./discount-description";

const euros = (language: string) => (amount: number) =>
  new Intl.NumberFormat(language, { style: "currency", currency: "EUR" }).format(amount);

describe("what a customer's code gives, in the email's language", () => {
  it("GIVEN 10% off any order WHEN worded THEN each language shows the percent its own way", () => {
    const words = Object.fromEntries(
      EMAIL_LANGUAGES.map((language) => [
        language,
        discountDescription(
          { valueType: "percentage", value: 10, minimumSubtotal: null },
          language,
          euros(language),
        ),
      ]),
    );
    expect(words.en).toBe("10% off your next order");
    expect(words.tr).toBe("Bir sonraki siparişinizde %10 indirim");
    expect(words.fa).toContain("۱۰٪");
    expect(new Set(Object.values(words)).size).toBe(EMAIL_LANGUAGES.length);
  });

  it("GIVEN €5.50 off orders of €30 WHEN worded THEN both amounts are in the shop's currency", () => {
    const terms = { valueType: "fixed_amount", value: 5.5, minimumSubtotal: 30 } as const;
    expect(discountDescription(terms, "en", euros("en"))).toBe(
      "€5.50 off orders of €30.00 or more",
    );
    expect(discountDescription(terms, "zh-CN", euros("zh-CN"))).toBe("订单满 €30.00 享 €5.50 优惠");
  });
});
