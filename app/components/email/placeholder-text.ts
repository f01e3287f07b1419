/** The email placeholders a merchant can type, each with what it becomes. Plain: browser-safe. */
import type { TFunction } from "i18next";
import { EMAIL_PLACEHOLDERS, isPlaceholder, PLACEHOLDER } from "~/services/email/render-template";

/** "{{first_name}} (the customer's first name), {{code}} (their discount code), …". */
export const placeholderList = (t: TFunction): string =>
  EMAIL_PLACEHOLDERS.map((name) =>
    t("emailPlaceholders.item", {
      placeholder: `{{${name}}}`,
      meaning: t(`emailPlaceholders.${name}`),
    }),
  ).join(t("emailPlaceholders.separator"));

/**
 * A merchant's text as they would read it: each known placeholder replaced by what it stands for
 * ("Welcome to [your shop's name]"); anything else stays as typed.
 */
export const placeholdersInWords = (t: TFunction, text: string): string =>
  text.replace(PLACEHOLDER, (whole, name: string) =>
    isPlaceholder(name)
      ? t("emailPlaceholders.inText", { meaning: t(`emailPlaceholders.${name}`) })
      : whole,
  );
