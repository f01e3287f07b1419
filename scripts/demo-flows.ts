import type { SqlClient } from "~/lib/database-adapter.server";
import { FLOW_TEMPLATES, FLOW_TEMPLATE_KEYS } from "~/services/flows/flow-templates";
import {
  createFlowFromTemplate,
  listFlows,
  saveFlowSteps,
  setFlowActive,
} from "~/services/flows/flow-store.server";

/**
 * The demo shop's messaging flows: the five templates added (turned off, as a merchant would
 * find them after one click each), and the "next order overdue" nudge turned on with its email
 * first, so customers whose predicted next order is late get it from the background runner
 * within seconds and the mail lands in the demo's sink. Kept on a second demo run.
 */
export async function startDemoFlows(sql: SqlClient, shopId: number): Promise<bigint | null> {
  if ((await listFlows(sql, shopId)).length === 0) {
    for (const key of FLOW_TEMPLATE_KEYS) await createFlowFromTemplate(sql, shopId, key);
  }
  const flows = await listFlows(sql, shopId);
  const nudge = flows.find((flow) => flow.templateKey === "predicted_overdue");
  if (!nudge) return null;
  if (nudge.status !== "active") {
    // The template waits for 10:00 shop time; the demo sends at once.
    const steps = FLOW_TEMPLATES.predicted_overdue.steps.filter((step) => step.kind === "email");
    await saveFlowSteps(sql, shopId, nudge.id, steps);
    await setFlowActive(sql, shopId, nudge.id, true);
  }
  return nudge.id;
}
