import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { rebuildRecommendationModel, shopsDueForRecommendationModel } from "./model-store.server";

/**
 * Called from the sync runner's tick: rebuilds the model of every shop that has none or one
 * older than a day. One shop's failure is logged and retried on the next pass without stopping
 * the others.
 */
export async function rebuildDueRecommendationModels(
  sql: SqlClient,
  isRunning: () => boolean,
): Promise<void> {
  let shopIds: number[];
  try {
    shopIds = await shopsDueForRecommendationModel(sql);
  } catch (error) {
    logger.error({ err: error }, "recommendation schedule failed; retrying on the next pass");
    return;
  }
  for (const shopId of shopIds) {
    if (!isRunning()) return;
    try {
      const result = await rebuildRecommendationModel(sql, shopId);
      logger.info(result, "recommendation model rebuilt");
    } catch (error) {
      logger.error({ shopId, err: error }, "recommendation model rebuild failed; retrying later");
    }
  }
}
