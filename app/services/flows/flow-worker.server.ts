/**
 * The flows' part of the background runner: workers that take step jobs off the queue, and
 * the trigger evaluation that enters customers. Effects go to each shop's own SMTP server and
 * Admin API (its offline session, opened only for steps that need it).
 */
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { sendCustomerEmail } from "~/services/email/send-customer-email.server";
import { refreshShopBrand } from "~/services/email/templates/brand-store.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { emitWinbackFlowTrigger } from "~/services/winback/flow-trigger.server";
import { changeCustomerTags } from "~/services/winback/shopify-actions.server";
import { FLOW_STEP_QUEUE, type FlowQueue, type FlowStepJob } from "./flow-queue.server";
import { runFlowStep, type FlowEffects } from "./flow-steps.server";

export function shopFlowEffects(
  sql: SqlClient,
  shopId: number,
  transportFor: TransportFor,
): FlowEffects {
  const transport = async () => {
    const { rows } = await sql.query<{ domain: string }>(`SELECT domain FROM shop WHERE id = $1`, [
      shopId,
    ]);
    const domain = rows[0]?.domain;
    if (!domain) throw new Error(`shop ${shopId} is gone`);
    return transportFor(domain);
  };
  return {
    async sendEmail(email) {
      // The footer's address and the links' storefront, fetched once a day at most; without
      // them (no Admin API right now) the email goes out with what is cached.
      await transport()
        .then((admin) => refreshShopBrand(sql, shopId, admin, new Date()))
        .catch((error: unknown) => logger.warn({ shopId, err: error }, "shop brand not refreshed"));
      return sendCustomerEmail(sql, email);
    },
    changeTags: async (customerId, change) =>
      changeCustomerTags({ transport: await transport() }, customerId, change),
    // Shopify Flow hears about it through the app's existing trigger, named after the flow.
    emitShopifyFlow: async (event) =>
      emitWinbackFlowTrigger(await transport(), {
        customerId: event.customerId,
        ruleId: `flow-${event.flowId}`,
        ruleName: event.flowName,
        code: null,
        discountText: "",
        expiresAt: null,
        lifecycleStage: null,
      }),
  };
}

/** Starts this process's step workers; `stop` waits for the steps in hand. */
export async function startFlowStepWorkers(
  sql: SqlClient,
  queue: FlowQueue,
  effectsFor: (shopId: number) => FlowEffects,
): Promise<{ stop(): Promise<void> }> {
  const { pollingIntervalSeconds, concurrency } = queue.settings;
  const workId = await queue.boss.work<FlowStepJob>(
    FLOW_STEP_QUEUE,
    { batchSize: 1, localConcurrency: concurrency, pollingIntervalSeconds },
    async ([job]) => {
      if (job) await runFlowStep(sql, queue, job.data, effectsFor(job.data.shopId));
    },
  );
  return { stop: () => queue.boss.offWork(FLOW_STEP_QUEUE, { id: workId, wait: true }) };
}
