import { useTranslation } from "react-i18next";

export type LabelGroup = "rfmSegments" | "lifecycleStages" | "consent";

/** Merchant-facing names for stored keys, in the page's language (an unknown key as it is). */
export function useValueLabels() {
  const { t, i18n } = useTranslation();
  return (group: LabelGroup, key: string | null): string => {
    if (key === null) return "—";
    return i18n.exists(`${group}.${key}`) ? t(`${group}.${key}`) : key;
  };
}
