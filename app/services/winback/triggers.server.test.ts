import { beforeAll, describe, expect, it } from "vitest";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { refreshSegmentMembers } from "~/services/segments/memberships.server";
import { saveSegment } from "~/services/segments/segment-store.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { evaluateRule } from "./plan-run.server";
import { saveRule, setRuleStatus } from "./rule-store.server";

// Each trigger against hand-made rows: who qualifies, and which occurrence made them.
const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-20T15:00:00Z");
const HOUR = 3_600_000;
let shopId: number;

async function qualifying(name: string, trigger: object, activatedAt = NOW) {
  const saved = await saveRule(sql, shopId, {
    name,
    config: { trigger, holdoutPercent: 0, actions: { addTags: ["t"] } },
  });
  const rule = await setRuleStatus(sql, shopId, saved.id, "active", activatedAt);
  const plan = await evaluateRule(sql, rule, NOW);
  return plan.targets.map((target) => [target.customerId, target.triggerKey]);
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "triggers.myshopify.com" } })).id;
  await insertCustomers(sql, shopId, [1n, 2n, 3n, 4n]);
  // 1 and 2 bought 10 days ago; 3 and 4 never bought.
  await insertOrders(sql, shopId, [
    { id: 101n, customerId: 1n, processedAt: new Date(NOW.getTime() - 240 * HOUR), total: 30 },
    { id: 102n, customerId: 2n, processedAt: new Date(NOW.getTime() - 240 * HOUR), total: 30 },
  ]);
  await recomputeMetricsAndSegments(sql, shopId, { now: new Date(NOW.getTime() - 48 * HOUR) });
});

describe("win-back triggers", () => {
  it("abandoned checkout: left long enough, not too long, not completed, no order since", async () => {
    const checkout = (id: number, customer: number, hoursAgo: number, completed = false) =>
      sql.query(
        `INSERT INTO checkout (shop_id, id, token, customer_id, currency, total_price, created_at,
           completed_at, shopify_updated_at)
         VALUES ($1, $2, $6, $3, 'USD', 40, $4::timestamptz AT TIME ZONE 'UTC',
                 CASE WHEN $5 THEN now() END, now())`,
        [
          shopId,
          id,
          customer,
          new Date(NOW.getTime() - hoursAgo * HOUR).toISOString(),
          completed,
          `token-${id}`,
        ],
      );
    await checkout(501, 3, 30); // qualifies
    await checkout(502, 4, 2); // too recent for a 24 h rule
    await checkout(503, 4, 24 * 10); // older than the week's look-back
    await checkout(504, 2, 30, true); // completed
    await checkout(505, 1, 300); // out of the window; and 1 ordered after it anyway
    expect(await qualifying("Abandoned", { kind: "abandoned_checkout", hours: 24 })).toEqual([
      [3n, "checkout:501"],
    ]);
  });

  it("days since last order: once per lapse, keyed by the last order's day", async () => {
    expect(await qualifying("Lapsed", { kind: "days_since_last_order", days: 7 })).toEqual([
      [1n, "lapse:2026-11-10"],
      [2n, "lapse:2026-11-10"],
    ]);
    expect(await qualifying("Not yet", { kind: "days_since_last_order", days: 30 })).toEqual([]);
  });

  it("next order overdue: days past the due date the customer's page shows, once per last order", async () => {
    // The due date (last order + usual gap) is fixed until they order again; the predicted next
    // order moves with time and must not decide it.
    const setDates = (customer: number, dueDaysAgo: number, predictedDaysAgo: number) =>
      sql.query(
        `UPDATE customer_metrics
         SET next_order_due_at = $3::timestamptz AT TIME ZONE 'UTC',
             predicted_next_order_at = $4::timestamptz AT TIME ZONE 'UTC'
         WHERE shop_id = $1 AND customer_id = $2`,
        [
          shopId,
          customer,
          new Date(NOW.getTime() - dueDaysAgo * 24 * HOUR).toISOString(),
          new Date(NOW.getTime() - predictedDaysAgo * 24 * HOUR).toISOString(),
        ],
      );
    await setDates(1, 8, -3);
    await setDates(2, 2, 20);
    expect(await qualifying("Overdue", { kind: "next_order_overdue", days: 5 })).toEqual([
      [1n, "overdue:2026-11-10"],
    ]);
    expect(await qualifying("Long overdue", { kind: "next_order_overdue", days: 9 })).toEqual([]);
  });

  it("stage moves and segment entries count only after the rule was switched on", async () => {
    await sql.query(
      `INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
       SELECT $1, customer_id, NULL, lifecycle_stage, $2::timestamptz AT TIME ZONE 'UTC'
       FROM customer_metrics WHERE shop_id = $1 AND customer_id = 1`,
      [shopId, new Date(NOW.getTime() - HOUR).toISOString()],
    );
    const { rows } = await sql.query<{ stage: string }>(
      `SELECT lifecycle_stage AS stage FROM customer_metrics WHERE shop_id = $1 AND customer_id = 1`,
      [shopId],
    );
    const stage = rows[0]?.stage ?? "";
    const moved = await qualifying(
      "Moved",
      { kind: "stage_entered", stages: [stage] },
      new Date(NOW.getTime() - 2 * HOUR),
    );
    expect(moved.map(([customer]) => customer)).toContain(1n);
    const before = await qualifying("Switched on later", {
      kind: "stage_entered",
      stages: [stage],
    });
    expect(before).toEqual([]);

    const segment = await saveSegment(sql, shopId, { name: "Buyers", query: "orders_count >= 1" });
    await refreshSegmentMembers(sql, shopId, segment);
    const entered = await qualifying(
      "Entered",
      { kind: "segment_entered", segmentId: segment.id.toString() },
      new Date(0),
    );
    expect(entered.map(([customer]) => customer).sort()).toEqual([1n, 2n]);
    expect(entered.every(([, key]) => String(key).startsWith("entered:"))).toBe(true);
  });
});
