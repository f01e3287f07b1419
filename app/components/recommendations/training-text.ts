/**
 * The recommendation training summary in the merchant's language: per placement, what shoppers
 * see now and how it did on the shop's own held-out orders next to bestsellers.
 */
import type { TFunction } from "i18next";
import type { Formats } from "~/i18n/format";
import type { Placement, StageGroup } from "~/services/recommendations/model/placements";
import type { LiveMethod } from "~/services/recommendations/model/tuning";
import type {
  PlacementSummary,
  TrainingSummary,
} from "~/services/recommendations/training-summary";

export interface PlacementWords {
  placement: Placement;
  title: string;
  live: string;
  result: string;
}

const ORDER: Placement[] = ["product_page", "cart", "for_you", "lifecycle"];

/** A stored placement as a merchant reads it (events before tracking: not recorded). */
export function placementTitle(t: TFunction, placement: string): string {
  return t(`recommendationRules.placements.${placement}`, {
    defaultValue: t("recommendationsReport.notRecorded"),
  });
}

/** A stored method as a merchant reads it. */
export function methodName(t: TFunction, method: string): string {
  return t(`recommendationsReport.methods.${method}`, {
    defaultValue: t("recommendationsReport.notRecorded"),
  });
}

export function describePlacement(
  t: TFunction,
  formats: Formats,
  placement: Placement,
  summary: PlacementSummary,
): PlacementWords {
  const live =
    typeof summary.live === "string"
      ? methodName(t, summary.live)
      : (Object.entries(summary.live) as [StageGroup, LiveMethod][])
          .map(([group, method]) =>
            t("recommendationsReport.methodForGroup", {
              method: methodName(t, method),
              group: t(`recommendationsReport.groups.${group}`),
            }),
          )
          .join("; ");
  const points = (difference: number) => {
    const rounded = Math.round(difference * 100);
    return `${rounded >= 0 ? "+" : "−"}${formats.number(Math.abs(rounded))}`;
  };
  const [low, high] = summary.hitDiffCi95;
  const result = t("recommendationsReport.qualityResult", {
    ours:
      typeof summary.live === "string"
        ? methodName(t, summary.live)
        : t("recommendationsReport.whatShoppersSee"),
    oursHit: formats.percent(summary.ours.hit),
    bestsellersHit: formats.percent(summary.bestsellers.hit),
    difference: points(summary.ours.hit - summary.bestsellers.hit),
    low: points(low),
    high: points(high),
    count: summary.customers,
    formattedCount: formats.number(summary.customers),
  });
  return { placement, title: placementTitle(t, placement), live, result };
}

export function describeTraining(
  t: TFunction,
  formats: Formats,
  summary: TrainingSummary | null,
): PlacementWords[] {
  if (!summary) return [];
  return ORDER.flatMap((placement) => {
    const placementSummary = summary.placements[placement];
    return placementSummary ? [describePlacement(t, formats, placement, placementSummary)] : [];
  });
}
