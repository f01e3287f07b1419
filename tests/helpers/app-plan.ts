import type { SqlQueryable } from "~/lib/database-adapter.server";
import { recordSubscription } from "~/services/billing/subscription-store.server";

let nextSubscription = 1;

/**
 * Puts a shop on a paid plan, as an approved Shopify subscription would (for tests of paid
 * features whose subject is not the plan itself).
 */
export async function subscribeShop(
  sql: SqlQueryable,
  shopId: number,
  planName: "Growth" | "Pro" = "Pro",
  at = new Date("2026-01-01T00:00:00Z"),
): Promise<string> {
  const id = `gid://shopify/AppSubscription/${900_000 + nextSubscription++}`;
  await recordSubscription(sql, shopId, {
    id,
    name: planName,
    status: "ACTIVE",
    test: true,
    trialDays: 0,
    currentPeriodEnd: null,
    updatedAt: at,
  });
  return id;
}
