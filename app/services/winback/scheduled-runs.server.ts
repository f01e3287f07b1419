import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { shopRunEffects } from "./run-effects.server";
import { runDueWinbackRules } from "./run-schedule.server";

/**
 * The win-back job of the jobs registry: resumes and starts due runs with their effects on
 * each shop's Shopify admin. A failure is logged and the runs are picked up on the next pass.
 */
export async function runDueWinbackRulesOnShopify(
  sql: SqlClient,
  transportFor: TransportFor,
  isRunning: () => boolean,
): Promise<void> {
  try {
    await runDueWinbackRules(sql, {
      isRunning,
      effectsFor: async (domain) => shopRunEffects(sql, await transportFor(domain)),
    });
  } catch (error) {
    logger.error({ err: error }, "win-back rules failed; retrying on the next pass");
  }
}
