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
      effectsFor: async (domain) => {
        const { rows } = await sql.query<{ name: string | null; time_zone: string }>(
          `SELECT name, iana_timezone AS time_zone FROM shop WHERE domain = $1`,
          [domain],
        );
        const shop = { domain, name: rows[0]?.name ?? null, timeZone: rows[0]?.time_zone ?? "UTC" };
        return shopRunEffects(sql, shop, await transportFor(domain));
      },
    });
  } catch (error) {
    logger.error({ err: error }, "win-back rules failed; retrying on the next pass");
  }
}
