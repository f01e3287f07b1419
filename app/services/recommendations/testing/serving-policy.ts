/** Sets a stored model's serving policy, for tests of how the storefront serves a given policy. */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { BESTSELLER_POLICY, signalWeights, type PolicyKey } from "../model/placements";
import type { Signal, SignalWeights } from "../model/signals";
import { forgetServingModelHeader } from "../model-reader.server";

export async function serveWithPolicy(
  sql: SqlQueryable,
  shopId: number,
  weights: Partial<Record<PolicyKey, Partial<Record<Signal, number>>>>,
): Promise<void> {
  const policy: Record<PolicyKey, SignalWeights> = { ...BESTSELLER_POLICY };
  for (const [key, values] of Object.entries(weights)) {
    policy[key as PolicyKey] = signalWeights(values ?? {});
  }
  await sql.query(`UPDATE recommendation_model SET policy = $2::jsonb WHERE shop_id = $1`, [
    shopId,
    JSON.stringify(policy),
  ]);
  forgetServingModelHeader(shopId);
}
