import { useTranslation } from "react-i18next";
import { useValueLabels } from "../analytics/labels";
import type { Words } from "./rule-text";

/** The page's words for rule-text: its translation, language and stage names. */
export function useWords(): Words {
  const { t, i18n } = useTranslation();
  const label = useValueLabels();
  return { t, locale: i18n.language, stageName: (key) => label("lifecycleStages", key) };
}
