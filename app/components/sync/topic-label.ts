import { useTranslation } from "react-i18next";

/** What each kind of update from Shopify is called on the admin pages, in the page's language. */
export function useTopicLabel() {
  const { t, i18n } = useTranslation();
  return (topic: string): string =>
    i18n.exists(`topics.${topic}`) ? t(`topics.${topic}`) : t("topics.other");
}
