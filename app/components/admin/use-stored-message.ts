import { useTranslation } from "react-i18next";
import type { Message } from "~/i18n/message";

/**
 * A sentence a service stored as a message key and its values (a dead letter's reason, a rule's
 * last-run error), in the page's language. A key this version has no text for (a row older or
 * newer than the code) reads as the page's own generic sentence, never as the key.
 */
export function useStoredMessage() {
  const { t, i18n } = useTranslation();
  return (stored: Message | null, fallbackKey: string): string =>
    stored && typeof stored.key === "string" && i18n.exists(stored.key)
      ? t(stored.key, stored.values)
      : t(fallbackKey);
}
