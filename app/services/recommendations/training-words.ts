/**
 * The training summary in a merchant's words: per placement, what shoppers see now and how it
 * did on the shop's own held-out orders next to bestsellers.
 */
import type { Placement, StageGroup } from "./model/placements";
import type { LiveMethod } from "./model/tuning";
import type { PlacementSummary, TrainingSummary } from "./training-summary";

export interface PlacementWords {
  placement: Placement;
  title: string;
  live: string;
  result: string;
}

export const PLACEMENT_TITLES: Record<Placement, string> = {
  product_page: "Product pages",
  cart: "Cart",
  for_you: "Home page and other pages",
  lifecycle: "Signed-in shoppers",
};

export const METHOD_NAMES: Record<LiveMethod, string> = {
  personalized: "Personalized picks",
  bestsellers: "Bestsellers",
  buy_again: "Buy again, then bestsellers",
};

const GROUP_NAMES: Record<StageGroup, string> = {
  early: "new shoppers",
  active: "regular shoppers",
  dormant: "lapsing shoppers",
};

const percent = (share: number) => `${Math.round(share * 100)}%`;
const points = (difference: number) =>
  `${difference >= 0 ? "+" : "−"}${Math.abs(Math.round(difference * 100))}`;

export function describePlacement(placement: Placement, summary: PlacementSummary): PlacementWords {
  const live =
    typeof summary.live === "string"
      ? METHOD_NAMES[summary.live]
      : (Object.entries(summary.live) as [StageGroup, LiveMethod][])
          .map(([group, method]) => `${METHOD_NAMES[method]} for ${GROUP_NAMES[group]}`)
          .join("; ");
  const [low, high] = summary.hitDiffCi95;
  const ours = typeof summary.live === "string" ? METHOD_NAMES[summary.live] : "What shoppers see";
  const result =
    `${ours} found the next purchase ${percent(summary.ours.hit)} of the time; bestsellers ` +
    `${percent(summary.bestsellers.hit)} (${points(summary.ours.hit - summary.bestsellers.hit)} ` +
    `points, likely between ${points(low)} and ${points(high)}), tested on the last orders of ` +
    `${summary.customers.toLocaleString("en")} returning customers.`;
  return { placement, title: PLACEMENT_TITLES[placement], live, result };
}

export function describeTraining(summary: TrainingSummary | null): PlacementWords[] {
  if (!summary) return [];
  const order: Placement[] = ["product_page", "cart", "for_you", "lifecycle"];
  return order.flatMap((placement) => {
    const placementSummary = summary.placements[placement];
    return placementSummary ? [describePlacement(placement, placementSummary)] : [];
  });
}

/** A stored placement or method as a merchant reads it (events before tracking: not recorded). */
export function placementTitle(placement: string): string {
  return PLACEMENT_TITLES[placement as Placement] ?? "Not recorded";
}

export function methodName(method: string): string {
  return METHOD_NAMES[method as LiveMethod] ?? "Not recorded";
}
