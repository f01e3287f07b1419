import { beforeAll, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { previewAudience } from "./audience.server";
import { evaluateSegment, parseSegment, type CustomerRecord } from "./language";
import { customerRecord } from "./customer-record";
import { seedScoredShop } from "./testing/scored-shop";

const { sql, prisma } = await migratedTestDatabase();
const AS_OF = new Date("2026-06-01T12:00:00Z");
const SCORED = 80;
/** Each rule matches more customers than the sample holds, so the order is what is tested. */
const SAMPLE_SIZE = 5;
let shopId: number;

interface LiveCustomer {
  id: bigint;
  record: CustomerRecord;
  predictedClv: number | null;
  name: string | null;
  email: string | null;
}

/** Every live customer with what the evaluator and the sample's order need. */
async function liveCustomers(): Promise<LiveCustomer[]> {
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT c.id::text AS customer_key, c.first_name AS given, c.last_name AS family,
            c.email AS contact, m.predicted_clv::float8 AS clv, c.*, m.*
     FROM customer c LEFT JOIN customer_metrics m ON m.shop_id = c.shop_id AND m.customer_id = c.id
     WHERE c.shop_id = $1 AND c.deleted_at IS NULL`,
    [shopId],
  );
  return rows.map((row) => {
    const name = [row.given, row.family].filter(Boolean).join(" ");
    return {
      id: BigInt(String(row.customer_key)),
      record: customerRecord(row),
      predictedClv: row.clv === null ? null : Number(row.clv),
      name: name || null,
      email: (row.contact as string | null) ?? null,
    };
  });
}

/** The preview by brute force: every match, the highest predicted value first, then by id. */
async function expectedPreview(rule: string) {
  const { ast } = parseSegment(rule);
  const matches = (await liveCustomers()).filter((customer) =>
    evaluateSegment(ast, customer.record),
  );
  matches.sort(
    (a, b) =>
      (b.predictedClv ?? -Infinity) - (a.predictedClv ?? -Infinity) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return {
    count: matches.length,
    sample: matches.slice(0, SAMPLE_SIZE).map((customer) => ({
      customerId: customer.id.toString(),
      name: customer.name,
      email: customer.email,
    })),
  };
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "preview.myshopify.com" } })).id;
  await seedScoredShop(sql, shopId, {
    customers: SCORED,
    asOf: AS_OF,
    meanDailyRate: 0.02,
    seed: 21,
  });
  await sql.query(
    `UPDATE customer SET first_name = CASE WHEN id % 2 = 0 THEN 'Ada' || id END,
       last_name = CASE WHEN id % 3 = 0 THEN 'Byron' || id END,
       email = CASE WHEN id % 5 <> 0 THEN 'customer' || id || '@example.com' END
     WHERE shop_id = $1`,
    [shopId],
  );

  // After scoring: a VIP deleted (their metrics row stays until their refresh), and three
  // customers synced since, without metrics yet (one a VIP).
  await sql.query(`UPDATE customer SET deleted_at = now() WHERE shop_id = $1 AND id = 7`, [shopId]);
  await insertCustomers(sql, shopId, [SCORED + 1, SCORED + 2, SCORED + 3].map(BigInt));
  await sql.query(`UPDATE customer SET tags = '{vip}' WHERE shop_id = $1 AND id = $2`, [
    shopId,
    SCORED + 2,
  ]);
});

describe("the segment builder's live preview", () => {
  it("counts exactly the live customers a rule matches and shows the five of highest predicted value", async () => {
    // GIVEN rules over customer fields, metrics, both at once, and customers without metrics
    const rules = [
      "tags CONTAINS 'vip' OR prob_alive < 0.3",
      "orders_count >= 1",
      "lifecycle_stage IN ('lapsing', 'lost') AND net_revenue > 10",
      // Customers without purchases or metrics: no predicted value, so the sample goes by id.
      "NOT (orders_count >= 1)",
    ];
    for (const rule of rules) {
      // WHEN the builder previews the rule
      const preview = await previewAudience(sql, shopId, parseSegment(rule).ast);
      // THEN count and sample are what brute force over the live customers gives
      const expected = await expectedPreview(rule);
      expect(expected.count, rule).toBeGreaterThan(SAMPLE_SIZE);
      expect(preview, rule).toEqual(expected);
    }
  });

  it("leaves out a deleted customer whose metrics are still stored and counts one not yet scored", async () => {
    const rule = "tags CONTAINS 'vip'";
    const preview = await previewAudience(sql, shopId, parseSegment(rule).ast);
    expect(preview).toEqual(await expectedPreview(rule));
    // VIPs are 7, 14, … 77 (11 of them) less 7, deleted, plus 82, synced after scoring.
    expect(preview.count).toBe(11);
    expect(preview.sample.map((customer) => customer.customerId)).not.toContain("7");
  });

  it("answers zero and no sample when nothing matches", async () => {
    const preview = await previewAudience(sql, shopId, parseSegment("orders_count > 100000").ast);
    expect(preview).toEqual({ count: 0, sample: [] });
  });
});
