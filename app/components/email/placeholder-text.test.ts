import { describe, expect, it } from "vitest";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import { placeholdersInWords } from "./placeholder-text";

describe("placeholdersInWords", () => {
  it("names each known placeholder in the merchant's language and leaves the rest as typed", () => {
    const english = i18nFor("en", ADMIN_MESSAGES.en).t;
    expect(placeholdersInWords(english, "We miss you at {{ shop_name }}, {{first_name}}")).toBe(
      "We miss you at [your shop's name], [the customer's first name]",
    );
    expect(placeholdersInWords(english, "Hello {{nickname}}")).toBe("Hello {{nickname}}");
    const chinese = i18nFor("zh-CN", ADMIN_MESSAGES["zh-CN"]).t;
    expect(placeholdersInWords(chinese, "{{shop_name}}")).toBe("【您的店铺名称】");
  });
});
