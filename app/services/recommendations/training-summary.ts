/**
 * What the admin shows of a shop's recommender training, stored with the model: per placement,
 * which method is live and how it and bestsellers did on the shop's held-out last orders.
 */
import { z } from "zod";
import { PLACEMENTS, STAGE_GROUPS, type Placement, type StageGroup } from "./model/placements";
import type { TrainingResult } from "./model/training";
import type { LiveMethod } from "./model/tuning";

const METHODS = ["personalized", "bestsellers", "buy_again"] as const;

const rankerSummary = z.object({ hit: z.number(), newItemHit: z.number() });

const placementSummary = z.object({
  /** The live method; for lifecycle, per stage group. */
  live: z.union([z.enum(METHODS), z.record(z.enum(STAGE_GROUPS), z.enum(METHODS))]),
  customers: z.number(),
  ours: rankerSummary,
  bestsellers: rankerSummary,
  buyAgain: rankerSummary,
  hitDiffCi95: z.tuple([z.number(), z.number()]),
});

const trainingSummary = z.object({
  customers: z.number(),
  placements: z.record(z.enum(PLACEMENTS), placementSummary),
});

export type PlacementSummary = z.infer<typeof placementSummary>;
export type TrainingSummary = z.infer<typeof trainingSummary>;

export function trainingSummaryOf(result: TrainingResult): TrainingSummary {
  const summaries = PLACEMENTS.map((placement): [Placement, PlacementSummary] => {
    const test = result.test[placement];
    const live =
      placement === "lifecycle"
        ? (Object.fromEntries(
            STAGE_GROUPS.map((group) => [group, result.tuning[`lifecycle_${group}`].live]),
          ) as Record<StageGroup, LiveMethod>)
        : result.tuning[placement].live;
    return [
      placement,
      {
        live,
        customers: test.customers,
        ours: { hit: test.ours.hit_at_10, newItemHit: test.ours.new_item_hit_at_10 },
        bestsellers: {
          hit: test.popularity.hit_at_10,
          newItemHit: test.popularity.new_item_hit_at_10,
        },
        buyAgain: {
          hit: test.rebuy_popularity.hit_at_10,
          newItemHit: test.rebuy_popularity.new_item_hit_at_10,
        },
        hitDiffCi95: test.hit_at_10_diff_ci95,
      },
    ];
  });
  return {
    customers: result.customers,
    placements: Object.fromEntries(summaries) as Record<Placement, PlacementSummary>,
  };
}

/** A stored summary, or null when there is none yet (or it predates this shape). */
export function parseTrainingSummary(value: unknown): TrainingSummary | null {
  const parsed = trainingSummary.safeParse(value);
  return parsed.success ? parsed.data : null;
}
