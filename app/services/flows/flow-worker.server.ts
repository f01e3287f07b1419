/**
 * The flows' part of the background runner: workers that take step jobs off the queue, and
 * the trigger evaluation that enters customers. Effects go to each shop's own SMTP server and
 * Admin API (its offline session, opened only for steps that need it).
 */
import type { JobResult, JobWithMetadata } from "pg-boss";
import { message } from "~/i18n/message";
import type { SqlClient } from "~/lib/database-adapter.server";
import { ShopNotInstalledError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { ResponseCache } from "~/lib/response-cache";
import { failureReason } from "~/services/email/failure-reason";
import { sendCustomerEmail } from "~/services/email/send-customer-email.server";
import { refreshShopBrand } from "~/services/email/templates/brand-store.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { emitWinbackFlowTrigger } from "~/services/winback/flow-trigger.server";
import {
  changeCustomerTags,
  createCustomerDiscount,
} from "~/services/winback/shopify-actions.server";
import {
  FLOW_STEP_DEAD_LETTER_QUEUE,
  FLOW_STEP_QUEUE,
  FLOW_STEP_RETRY_LIMIT,
  type FlowQueue,
  type FlowStepJob,
} from "./flow-queue.server";
import {
  failExhaustedRun,
  loadRuns,
  runFlowStep,
  type FlowEffects,
  type RunRow,
} from "./flow-steps.server";

/** Shops whose details for emails were checked lately: one check per shop per few minutes. */
const brandChecked = new ResponseCache<true>(10_000, 10 * 60_000);

export function shopFlowEffects(
  sql: SqlClient,
  shopId: number,
  transportFor: TransportFor,
): FlowEffects {
  const transport = async () => {
    const { rows } = await sql.query<{ domain: string; state: string }>(
      `SELECT domain, state FROM shop WHERE id = $1`,
      [shopId],
    );
    const shop = rows[0];
    if (!shop) throw new Error(`shop ${shopId} is gone`);
    if (shop.state === "uninstalled") throw new ShopNotInstalledError(shop.domain);
    return transportFor(shop.domain);
  };
  return {
    async sendEmail(email) {
      // The footer's address and the links' storefront, fetched once a day at most; without
      // them (no Admin API right now) the email goes out with what is cached. Looked at once
      // per shop every few minutes, not per message: a run sends hundreds a second.
      if (!brandChecked.get(String(shopId))) {
        brandChecked.set(String(shopId), true);
        await transport()
          .then((admin) => refreshShopBrand(sql, shopId, admin, new Date()))
          .catch((error: unknown) =>
            logger.warn({ shopId, err: error }, "shop brand not refreshed"),
          );
      }
      return sendCustomerEmail(sql, email);
    },
    createDiscount: async (request) =>
      createCustomerDiscount({ transport: await transport() }, request),
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

/** The step's reason when its last attempt expired (the worker's own error is not known). */
const EXPIRED_ON_LAST_ATTEMPT = message("actionReasons.gaveUp", {
  attempts: FLOW_STEP_RETRY_LIMIT + 1,
});

/**
 * Starts this process's step workers; `stop` waits for the steps in hand.
 *
 * Due steps are claimed in batches (pg-boss takes up to `claimBatchSize` jobs in one statement
 * with FOR UPDATE SKIP LOCKED, and claims again at once while batches come back full) and run
 * `concurrency` at a time across two claimers, so one slow step does not hold up the next
 * claim. Each job settles on its own: a step that throws is retried with growing pauses, and
 * one that throws on its last attempt ends the customer's run as failed (retries_exhausted)
 * instead of being left in the queue.
 */
export async function startFlowStepWorkers(
  sql: SqlClient,
  queue: FlowQueue,
  effectsFor: (shopId: number) => FlowEffects,
): Promise<{ stop(): Promise<void> }> {
  const { pollingIntervalSeconds, concurrency, claimBatchSize } = queue.settings;
  const claimers = Math.min(2, concurrency);
  const perBatch = Math.ceil(concurrency / claimers);
  const runJob = async (
    job: JobWithMetadata<FlowStepJob>,
    runs: ReadonlyMap<string, RunRow>,
  ): Promise<JobResult> => {
    try {
      const run = runs.get(`${job.data.shopId}:${job.data.runId}`) ?? null;
      await runFlowStep(sql, queue, job.data, effectsFor(job.data.shopId), new Date(), run);
      return { id: job.id, status: "completed" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.retryCount < job.retryLimit) {
        logger.warn({ ...job.data, attempt: job.retryCount + 1, err: error }, "flow step failed");
        return { id: job.id, status: "failed", output: { message } };
      }
      await failExhaustedRun(sql, job.data, failureReason(error), job.retryCount + 1);
      logger.error({ ...job.data, err: error }, "flow step gave up: the run ends as failed");
      return { id: job.id, status: "completed" };
    }
  };
  const workId = await queue.boss.work(
    FLOW_STEP_QUEUE,
    {
      batchSize: claimBatchSize,
      burstWhenBatchFull: true,
      includeMetadata: true,
      perJobResults: true,
      localConcurrency: claimers,
      pollingIntervalSeconds,
    },
    async (jobs: Array<JobWithMetadata<FlowStepJob>>) => {
      const runs = await loadBatchRuns(sql, jobs);
      // One customer's steps in a batch run one after the other, in one lane, so the frequency
      // cap of their second email counts the first.
      const byCustomer = new Map<string, Array<JobWithMetadata<FlowStepJob>>>();
      for (const job of jobs) {
        const key = `${job.data.shopId}:${job.data.runId}`;
        const customer = `${job.data.shopId}:${runs.get(key)?.customer_id ?? `run ${job.data.runId}`}`;
        byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), job]);
      }
      const results = await runInLanes([...byCustomer.values()], perBatch, async (steps) => {
        const settled: JobResult[] = [];
        for (const job of steps) settled.push(await runJob(job, runs));
        return settled;
      });
      return results.flat();
    },
  );
  // A step whose last attempt expired (its worker killed, or it ran too long) never reached the
  // handler above: pg-boss moves it to the dead-letter queue, and its run ends here.
  const deadWorkId = await queue.boss.work(
    FLOW_STEP_DEAD_LETTER_QUEUE,
    { batchSize: claimBatchSize, pollingIntervalSeconds },
    async (jobs: Array<{ data: FlowStepJob }>) => {
      for (const { data } of jobs) {
        if (await failExhaustedRun(sql, data, EXPIRED_ON_LAST_ATTEMPT, FLOW_STEP_RETRY_LIMIT + 1)) {
          logger.error(
            { ...data },
            "flow step expired on its last attempt: the run ends as failed",
          );
        }
      }
    },
  );
  return {
    stop: async () => {
      await queue.boss.offWork(FLOW_STEP_QUEUE, { id: workId, wait: true });
      await queue.boss.offWork(FLOW_STEP_DEAD_LETTER_QUEUE, { id: deadWorkId, wait: true });
    },
  };
}

/** The runs of a claimed batch, one statement per shop in it, keyed `shopId:runId`. */
async function loadBatchRuns(
  sql: SqlClient,
  jobs: ReadonlyArray<JobWithMetadata<FlowStepJob>>,
): Promise<Map<string, RunRow>> {
  const byShop = new Map<number, string[]>();
  for (const { data } of jobs)
    byShop.set(data.shopId, [...(byShop.get(data.shopId) ?? []), data.runId]);
  const runs = new Map<string, RunRow>();
  for (const [shopId, runIds] of byShop) {
    for (const [runId, run] of await loadRuns(sql, shopId, runIds))
      runs.set(`${shopId}:${runId}`, run);
  }
  return runs;
}

/** Runs `work` over `items`, `lanes` at a time, keeping the results in the items' order. */
async function runInLanes<T, R>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}
