import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordingFlowEffects } from "../../../tests/helpers/recording-flow-effects";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { getDatabase } from "~/db.server";
import { FLOW_STEP_QUEUE, openFlowQueue, type FlowQueue } from "~/services/flows/flow-queue.server";
import { runFlowStep } from "~/services/flows/flow-steps.server";
import { createFlowFromTemplate, setFlowActive } from "~/services/flows/flow-store.server";
import { enterDueCustomers } from "~/services/flows/flow-triggers.server";
import { resolveSendSlot } from "./send-slot.server";
import { DEFAULT_SEND_TIMING, saveSendTiming } from "./send-timing-settings.server";

// When a flow's email goes out, on PGlite with the real queue and a fixed clock: quiet hours
// and the customer's best hour defer the step once (a repeated job neither sends nor queues
// it again), the cap skips it with a message key, and nothing goes out before it is due.
const { sql, prisma } = await migratedTestDatabase();
const HOUR = 3_600_000;
let queue: FlowQueue;
let shopId = 0;
const { sent, effects } = recordingFlowEffects();

beforeAll(async () => {
  queue = await openFlowQueue(getDatabase().queueDatabase, { concurrency: 1 });
}, 60_000);

afterAll(async () => {
  await queue.stop();
});

beforeEach(async () => {
  sent.length = 0;
  await queue.boss.deleteAllJobs();
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "timing.myshopify.com" } })).id;
  await subscribeShop(sql, shopId, "Growth");
});

async function addCustomer(id: bigint, createdAt: Date) {
  await sql.query(
    `INSERT INTO customer (shop_id, id, email, first_name, email_marketing, created_at,
                           shopify_updated_at)
     VALUES ($1, $2, $3, 'C', 'subscribed', $4::timestamptz AT TIME ZONE 'UTC',
             $4::timestamptz AT TIME ZONE 'UTC')`,
    [shopId, id.toString(), `c${id}@example.com`, createdAt.toISOString()],
  );
}

async function addOrder(id: number, customerId: bigint, at: Date) {
  await sql.query(
    `INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
                          processed_at, created_at, shopify_updated_at)
     VALUES ($1, $2, $3, $5, 'USD', 10, 10, $4::timestamptz AT TIME ZONE 'UTC',
             $4::timestamptz AT TIME ZONE 'UTC', $4::timestamptz AT TIME ZONE 'UTC')`,
    [shopId, id, customerId.toString(), at.toISOString(), `#${id}`],
  );
}

/** A welcome flow turned on before `now`, with customer 1 in it; the run's id. */
async function welcomeRun(now: Date): Promise<string> {
  await addCustomer(1n, new Date(now.getTime() - HOUR));
  const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
  await setFlowActive(sql, shopId, flowId, true, new Date(now.getTime() - 2 * HOUR));
  await enterDueCustomers(sql, queue, () => true);
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id::text FROM message_flow_run WHERE shop_id = $1`,
    [shopId],
  );
  const [run] = rows;
  if (!run) throw new Error("the customer did not enter the flow");
  return run.id;
}

async function queuedJobsFor(runId: string, stepIndex: number) {
  const { rows } = await sql.query<{ start_after: Date }>(
    `SELECT start_after FROM pgboss.job
     WHERE name = $1 AND data ->> 'runId' = $2 AND (data ->> 'stepIndex')::int = $3
       AND state = 'created'`,
    [FLOW_STEP_QUEUE, runId, stepIndex],
  );
  return rows.map((row) => new Date(row.start_after).toISOString());
}

describe("send timing of flow emails", () => {
  it("GIVEN a step due in quiet hours WHEN its job runs, and runs again THEN it is deferred to their end once, and sent once then", async () => {
    await saveSendTiming(sql, shopId, { ...DEFAULT_SEND_TIMING, optimizeSendTime: false });
    const night = new Date("2026-12-01T23:15:00Z");
    const runId = await welcomeRun(night);
    await queue.boss.deleteAllJobs(); // the entry's own job: this test plays the worker
    const job = { shopId, runId, stepIndex: 0 };

    expect(await runFlowStep(sql, queue, job, effects, night)).toBe("deferred");
    // A repeat of the same job (a killed worker's job coming back) changes nothing.
    expect(await runFlowStep(sql, queue, job, effects, new Date(night.getTime() + 60_000))).toBe(
      "leftover",
    );
    expect(sent).toHaveLength(0);
    expect(await queuedJobsFor(runId, 0)).toEqual(["2026-12-02T08:00:00.000Z"]);

    const morning = new Date("2026-12-02T08:00:05Z");
    expect(await runFlowStep(sql, queue, job, effects, morning)).toBe("done");
    expect(await runFlowStep(sql, queue, job, effects, morning)).toBe("leftover");
    expect(sent.map((email) => email.to)).toEqual(["c1@example.com"]);
  });

  it("GIVEN a customer who orders on Tuesday afternoons WHEN an email is due Tuesday morning THEN it waits for that hour, within the bound", async () => {
    await saveSendTiming(sql, shopId, DEFAULT_SEND_TIMING);
    await addCustomer(1n, new Date("2026-10-01T00:00:00Z"));
    for (const [i, day] of ["2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24"].entries()) {
      await addOrder(i + 1, 1n, new Date(`${day}T15:20:00Z`)); // Tuesdays, 15:00 hour
    }
    const tuesdayMorning = new Date("2026-12-01T09:30:00Z");
    const slot = await resolveSendSlot(sql, {
      shopId,
      customerId: 1n,
      timeZone: "UTC",
      now: tuesdayMorning,
      alreadyDeferred: false,
    });
    expect(slot).toEqual({
      kind: "defer",
      until: new Date("2026-12-01T15:00:00Z"),
      why: "best_hour",
    });
    // Once deferred, a send is not moved for a better hour again.
    const again = await resolveSendSlot(sql, {
      shopId,
      customerId: 1n,
      timeZone: "UTC",
      now: new Date("2026-12-01T15:00:00Z"),
      alreadyDeferred: true,
    });
    expect(again).toEqual({ kind: "now" });
  });

  it("GIVEN a customer without orders who reads our emails on Thursday evenings WHEN an email is due Thursday morning THEN it waits for that hour, and opens fetched on delivery don't count", async () => {
    await saveSendTiming(sql, shopId, { ...DEFAULT_SEND_TIMING, quietStart: 0, quietEnd: 0 });
    await addCustomer(1n, new Date("2026-10-01T00:00:00Z"));
    const touch = async (sentAt: string, kind: "open" | "click", at: string) => {
      await sql.query(
        `WITH m AS (
           INSERT INTO email_message (shop_id, message_key, customer_id, variant, status, sent_at)
           VALUES ($1, $2, 1, 'A', 'sent', $3::timestamptz AT TIME ZONE 'UTC')
           RETURNING shop_id, id)
         INSERT INTO email_touch (shop_id, message_id, customer_id, kind, at)
         SELECT m.shop_id, m.id, 1, $4, $5::timestamptz AT TIME ZONE 'UTC' FROM m`,
        [shopId, `<${sentAt}-${kind}@rekindle.app>`, sentAt, kind, at],
      );
    };
    // Read on Thursday evenings (19:00 hour) days after being sent on Mondays at 10:00...
    for (const [sent, read] of [
      ["02", "05"],
      ["09", "12"],
      ["16", "19"],
    ]) {
      await touch(`2026-11-${sent}T10:00:00Z`, "click", `2026-11-${read}T19:10:00Z`);
    }
    // ...and opened by a mail proxy on delivery, Mondays at 10:01, which must not pull the slot.
    for (const day of ["02", "09", "16", "23"]) {
      await touch(`2026-11-${day}T10:00:00Z`, "open", `2026-11-${day}T10:01:00Z`);
    }
    const thursdayMorning = new Date("2026-11-26T09:30:00Z");
    const slot = await resolveSendSlot(sql, {
      shopId,
      customerId: 1n,
      timeZone: "UTC",
      now: thursdayMorning,
      alreadyDeferred: false,
    });
    expect(slot).toEqual({
      kind: "defer",
      until: new Date("2026-11-26T19:00:00Z"),
      why: "best_hour",
    });
  });

  it("GIVEN a customer at the frequency cap WHEN a flow email is due THEN the step is skipped with a message key, not queued", async () => {
    await saveSendTiming(sql, shopId, {
      ...DEFAULT_SEND_TIMING,
      quietStart: 0,
      quietEnd: 0,
      optimizeSendTime: false,
      capCount: 1,
    });
    const now = new Date("2026-12-01T12:00:00Z");
    const runId = await welcomeRun(now);
    await queue.boss.deleteAllJobs();
    expect(await runFlowStep(sql, queue, { shopId, runId, stepIndex: 0 }, effects, now)).toBe(
      "done",
    );
    await runFlowStep(sql, queue, { shopId, runId, stepIndex: 1 }, effects, now); // 72-hour wait
    const later = new Date(now.getTime() + 73 * HOUR);
    expect(await runFlowStep(sql, queue, { shopId, runId, stepIndex: 2 }, effects, later)).toBe(
      "skipped",
    );
    expect(sent).toHaveLength(1);
    const { rows } = await sql.query<{ detail: unknown }>(
      `SELECT detail FROM message_flow_step WHERE shop_id = $1 AND run_id = $2 AND step_index = 2`,
      [shopId, runId],
    );
    expect(rows[0]?.detail).toEqual({
      reason: { key: "sendTiming.skip.frequencyCap", values: { count: 1, days: 7 } },
    });
  });
});
