import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { getDatabase } from "~/db.server";
import { suppressAddress } from "~/services/email/suppression.server";
import type { FlowEmail } from "./flow-email.server";
import { openFlowQueue, type FlowQueue } from "./flow-queue.server";
import { createFlowFromTemplate, setFlowActive } from "./flow-store.server";
import { runFlowStep, type FlowEffects } from "./flow-steps.server";
import { enterDueCustomers } from "./flow-triggers.server";

// A flow's email step sends only to customers who consented to email marketing in Shopify and
// whose address is not on the shop's suppression list; the others' step is skipped, saying why.
const { sql, prisma } = await migratedTestDatabase();
const HOUR = 3_600_000;
let queue: FlowQueue;
let shopId = 0;
const sent: FlowEmail[] = [];
const effects: FlowEffects = {
  sendEmail: async (email) => {
    sent.push(email);
    return { messageId: email.messageId };
  },
  changeTags: async () => undefined,
  emitShopifyFlow: async () => undefined,
};

beforeAll(async () => {
  queue = await openFlowQueue(getDatabase().queueDatabase, {
    expireInSeconds: 30,
    superviseIntervalSeconds: 5,
    pollingIntervalSeconds: 0.5,
    concurrency: 1,
    retryDelaySeconds: 1,
  });
}, 60_000);

afterAll(async () => {
  await queue.stop();
});

beforeEach(async () => {
  sent.length = 0;
  await queue.boss.deleteAllJobs();
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "tea.myshopify.com", name: "Tea" } })).id;
  await subscribeShop(sql, shopId, "Growth");
});

async function addCustomer(id: number, consent: string, at: Date) {
  await sql.query(
    `INSERT INTO customer (shop_id, id, email, first_name, email_marketing, created_at,
                           shopify_updated_at)
     VALUES ($1, $2, $3, 'C', $4, $5::timestamptz AT TIME ZONE 'UTC',
             $5::timestamptz AT TIME ZONE 'UTC')`,
    [shopId, id, `c${id}@example.com`, consent, at.toISOString()],
  );
}

/** Enters every customer into an active welcome flow and runs its first step (an email). */
async function runFirstEmail(now: Date) {
  const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
  await setFlowActive(sql, shopId, flowId, true, new Date(now.getTime() - HOUR));
  await enterDueCustomers(sql, queue, () => true);
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id::text FROM message_flow_run WHERE shop_id = $1 ORDER BY customer_id`,
    [shopId],
  );
  for (const run of rows)
    await runFlowStep(sql, queue, { shopId, runId: run.id, stepIndex: 0 }, effects, now);
  const { rows: steps } = await sql.query<{
    customer_id: string;
    status: string;
    reason: string | null;
    suppressed: string | null;
  }>(
    `SELECT r.customer_id::text, s.status, s.detail ->> 'reason' AS reason,
            s.detail ->> 'suppressed' AS suppressed
     FROM message_flow_step s
     JOIN message_flow_run r ON r.shop_id = s.shop_id AND r.id = s.run_id
     WHERE s.shop_id = $1 AND s.step_index = 0 ORDER BY r.customer_id`,
    [shopId],
  );
  return steps;
}

describe("who a flow's email goes to", () => {
  it("GIVEN customers without email marketing consent WHEN their email step runs THEN nothing is sent to them", async () => {
    // GIVEN one consenting customer and one in every other consent state Shopify reports
    const now = new Date();
    const states = ["subscribed", "not_subscribed", "unsubscribed", "pending", "invalid"];
    for (const [i, state] of states.entries()) await addCustomer(i + 1, state, now);
    // WHEN the flow's first email step runs for each of them
    const steps = await runFirstEmail(now);
    // THEN only the consenting customer got an email; each other step says why it was skipped
    expect(sent.map((email) => email.to)).toEqual(["c1@example.com"]);
    expect(steps).toEqual([
      { customer_id: "1", status: "done", reason: null, suppressed: null },
      ...[2, 3, 4, 5].map((id) => ({
        customer_id: String(id),
        status: "skipped",
        reason: "no email marketing consent",
        suppressed: null,
      })),
    ]);
  }, 30_000);

  it("GIVEN consenting customers whose addresses are suppressed WHEN their email step runs THEN it is skipped with the list's reason", async () => {
    // GIVEN three consenting customers: one bounced, one complained
    const now = new Date();
    for (const id of [1, 2, 3]) await addCustomer(id, "subscribed", now);
    await suppressAddress(sql, shopId, { email: "c2@example.com", reason: "hard_bounce" });
    await suppressAddress(sql, shopId, { email: "C3@EXAMPLE.COM", reason: "complaint" });
    // WHEN the flow's first email step runs
    const steps = await runFirstEmail(now);
    // THEN only the first customer got it, and the others' steps count the reason
    expect(sent.map((email) => email.to)).toEqual(["c1@example.com"]);
    expect(steps.map((step) => [step.customer_id, step.status, step.suppressed])).toEqual([
      ["1", "done", null],
      ["2", "skipped", "hard_bounce"],
      ["3", "skipped", "complaint"],
    ]);
  }, 30_000);
});
