import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { refreshCollectionExclusions } from "./collection-exclusions.server";
import { rebuildRecommendationModel, shopsDueForRecommendationModel } from "./model-store.server";

/**
 * A job in app/jobs/registry.ts, every pass: rebuilds the model of every shop that has none or one
 * older than a day, and resolves its excluded collections again (no webhook reports products
 * joining or leaving a collection). One shop's failure is logged and retried on the next pass
 * without stopping the others; a failed collection lookup keeps the products resolved before.
 */
export async function rebuildDueRecommendationModels(
  sql: SqlClient,
  isRunning: () => boolean,
  transportFor: TransportFor,
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
    try {
      const excluded = await refreshCollectionExclusions(sql, shopId, transportFor);
      if (excluded !== null) logger.info({ shopId, excluded }, "excluded collections resolved");
    } catch (error) {
      logger.warn(
        { shopId, err: error },
        "excluded collections not resolved; keeping the products resolved before",
      );
    }
  }
}
