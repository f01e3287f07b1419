/** The email placeholders a merchant can type, each with what it becomes. Plain: browser-safe. */
import type { TFunction } from "i18next";
import { EMAIL_PLACEHOLDERS } from "~/services/email/render-template";

/** "{{first_name}} (the customer's first name), {{code}} (their discount code), …". */
export const placeholderList = (t: TFunction): string =>
  EMAIL_PLACEHOLDERS.map((name) =>
    t("emailPlaceholders.item", {
      placeholder: `{{${name}}}`,
      meaning: t(`emailPlaceholders.${name}`),
    }),
  ).join(t("emailPlaceholders.separator"));
