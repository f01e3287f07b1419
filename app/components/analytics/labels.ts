import { useTranslation } from "react-i18next";

/** The stored keys of RFM segments and lifecycle stages, each named in every locale file. */
export const RFM_SEGMENT_KEYS = [
  "champions",
  "loyal",
  "potential_loyalist",
  "new",
  "promising",
  "needs_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
  "lost",
  "no_orders",
] as const;

export const LIFECYCLE_STAGE_KEYS = [
  "prospect",
  "new",
  "active",
  "loyal",
  "at_risk",
  "lapsing",
  "lost",
  "reactivated",
] as const;

export type LabelGroup = "rfmSegments" | "lifecycleStages" | "consent";

/** Merchant-facing names for stored keys, in the page's language (an unknown key as it is). */
export function useValueLabels() {
  const { t, i18n } = useTranslation();
  return (group: LabelGroup, key: string | null): string => {
    if (key === null) return "—";
    return i18n.exists(`${group}.${key}`) ? t(`${group}.${key}`) : key;
  };
}
