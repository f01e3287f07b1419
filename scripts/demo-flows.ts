import type { SqlClient } from "~/lib/database-adapter.server";
import { FLOW_TEMPLATE_KEYS } from "~/services/flows/flow-templates";
import {
  createFlowFromTemplate,
  listFlows,
  setFlowActive,
} from "~/services/flows/flow-store.server";

/** How far back the demo's flow counts paid orders, so the store's history has some to act on. */
const DEMO_LOOKBACK_MS = 30 * 86_400_000;

/**
 * The demo shop's messaging flows: every template added (turned off, as a merchant finds
 * them after one click each), and the post-purchase cross-sell turned on as if a month ago, so
 * the customers (with consent) whose paid orders are 14 to 30 days old get its email from the
 * background runner within seconds, and the mail lands in the demo's sink. Kept on a second run.
 */
export async function startDemoFlows(sql: SqlClient, shopId: number): Promise<void> {
  if ((await listFlows(sql, shopId)).length === 0) {
    for (const key of FLOW_TEMPLATE_KEYS) await createFlowFromTemplate(sql, shopId, key);
  }
  const flows = await listFlows(sql, shopId);
  const crossSell = flows.find((flow) => flow.templateKey === "post_purchase");
  if (crossSell && crossSell.status !== "active") {
    await setFlowActive(sql, shopId, crossSell.id, true, new Date(Date.now() - DEMO_LOOKBACK_MS));
  }
}
