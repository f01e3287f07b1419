import { beforeAll, describe, expect, it } from "vitest";
import { markCustomersDirty } from "~/services/analytics/dirty-customers.server";
import { refreshDirtyMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { insertOrders } from "~/services/analytics/testing/order-rows";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { previewAudience } from "./audience.server";
import { evaluateSegment, parseSegment } from "./language";
import { refreshSegmentMembers } from "./memberships.server";
import { deleteSegment, listSegments, saveSegment } from "./segment-store.server";
import { customerRecords, seedScoredShop } from "./testing/scored-shop";

const { sql, prisma } = await migratedTestDatabase();
const AS_OF = new Date("2026-06-01T12:00:00Z");
const CUSTOMERS = 250;
let shopId: number;

const RULES = [
  "orders_count >= 2 AND rfm_segment IN ('champions', 'loyal', 'potential_loyalist')",
  "lifecycle_stage IN ('lapsing', 'lost') AND net_revenue > 100",
  "tags CONTAINS 'vip' OR prob_alive < 0.3",
  "NOT (email_marketing = 'subscribed') AND orders_count > 0",
];

async function members(segmentId: bigint): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT customer_id::text AS id FROM segment_membership WHERE segment_id = $1 ORDER BY 1`,
    [segmentId.toString()],
  );
  return rows.map((row) => row.id);
}

async function bruteForce(rule: string): Promise<string[]> {
  const { ast } = parseSegment(rule);
  return [...(await customerRecords(sql, shopId))]
    .filter(([, record]) => evaluateSegment(ast, record))
    .map(([id]) => id)
    .sort();
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "segments.myshopify.com" } })).id;
  await seedScoredShop(sql, shopId, {
    customers: CUSTOMERS,
    asOf: AS_OF,
    meanDailyRate: 0.03,
    seed: 77,
  });
});

describe("segment memberships", () => {
  it("hold exactly the customers the in-memory evaluator selects, for every rule", async () => {
    for (const [index, rule] of RULES.entries()) {
      const segment = await saveSegment(sql, shopId, { name: `Rule ${index}`, query: rule });
      const changes = await refreshSegmentMembers(sql, shopId, segment, AS_OF);
      const expected = await bruteForce(rule);
      expect(expected.length).toBeGreaterThan(0);
      expect(await members(segment.id)).toEqual(expected);
      expect(changes).toEqual({ entered: expected.length, exited: 0 });
      expect((await previewAudience(sql, shopId, segment.ast)).count).toBe(expected.length);
    }
  });

  it("follow customers as their orders change, recording each entry and exit once", async () => {
    const segments = await listSegments(sql, shopId);
    const before = new Map<bigint, string[]>();
    for (const segment of segments) before.set(segment.id, await members(segment.id));

    // Twenty customers buy again today; their metrics (and so their segments) move.
    const buyers = Array.from({ length: 20 }, (_, i) => BigInt(1 + i * 11));
    await insertOrders(
      sql,
      shopId,
      buyers.map((customerId, i) => ({
        id: 10_000_000n + BigInt(i),
        customerId,
        processedAt: new Date(AS_OF.getTime() - 3_600_000),
        total: 400,
      })),
    );
    await markCustomersDirty(sql, shopId, { customerIds: buyers, orderIds: [] });
    // A minute later, the same day: the events of this refresh are told apart by their time.
    const refreshedAt = new Date(AS_OF.getTime() + 60_000);
    expect(await refreshDirtyMetricsAndSegments(sql, { now: refreshedAt })).toBe(buyers.length);

    let moved = 0;
    for (const segment of segments) {
      const after = await members(segment.id);
      expect(after).toEqual(await bruteForce(segment.query));
      const previous = before.get(segment.id) ?? [];
      const { rows } = await sql.query<{ customer_id: string; kind: string }>(
        `SELECT customer_id::text, kind FROM segment_membership_event
         WHERE segment_id = $1 AND at = ($2::timestamptz AT TIME ZONE 'UTC') ORDER BY 1`,
        [segment.id.toString(), refreshedAt.toISOString()],
      );
      const ids = (kind: string) =>
        rows.filter((row) => row.kind === kind).map((row) => row.customer_id);
      expect(ids("enter")).toEqual(after.filter((id) => !previous.includes(id)).sort());
      expect(ids("exit")).toEqual(previous.filter((id) => !after.includes(id)).sort());
      moved += rows.length;
    }
    expect(moved).toBeGreaterThan(0);
  });

  it("follow what customers buy and who is deleted as the shop-wide evaluation would", async () => {
    // GIVEN segments on a product bought lately, and a customer in one of them
    const recent = await saveSegment(sql, shopId, {
      name: "Bought product 77 lately",
      query: "has_purchased_product(77, within_days: 30) AND orders_count >= 1",
    });
    const never = await saveSegment(sql, shopId, {
      name: "Never bought product 77",
      query: "NOT has_purchased_product(77) AND tags CONTAINS 'vip'",
    });
    const now = new Date();
    for (const segment of [recent, never]) await refreshSegmentMembers(sql, shopId, segment, now);
    const vip = 14n;
    expect(await members(never.id)).toContain(vip.toString());
    // WHEN a VIP buys product 77 yesterday, another customer is deleted, and both are rescored
    await insertOrders(sql, shopId, [
      {
        id: 20_000_000n,
        customerId: vip,
        processedAt: new Date(now.getTime() - 86_400_000),
        total: 80,
        lines: [[77n, 1]],
      },
    ]);
    const deleted = (await members(never.id)).find((id) => id !== vip.toString());
    if (!deleted) throw new Error("no other VIP");
    await sql.query(`UPDATE customer SET deleted_at = now() WHERE shop_id = $1 AND id = $2`, [
      shopId,
      deleted,
    ]);
    await markCustomersDirty(sql, shopId, { customerIds: [vip, BigInt(deleted)], orderIds: [] });
    expect(await refreshDirtyMetricsAndSegments(sql, { now })).toBe(2);
    // THEN the buyer moved from one segment to the other, the deleted customer left every
    // segment, and evaluating every segment for the whole shop changes nothing more
    expect(await members(recent.id)).toContain(vip.toString());
    expect(await members(never.id)).not.toContain(vip.toString());
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM segment_membership WHERE shop_id = $1 AND customer_id = $2`,
      [shopId, deleted],
    );
    expect(rows[0]?.n).toBe(0);
    for (const segment of await listSegments(sql, shopId)) {
      expect(await refreshSegmentMembers(sql, shopId, segment, now)).toEqual({
        entered: 0,
        exited: 0,
      });
    }
  });

  it("rejects a bad rule or a duplicate name without writing anything", async () => {
    const count = async () =>
      (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment`)).rows[0]?.n;
    const segmentsBefore = await count();
    await expect(
      saveSegment(sql, shopId, { name: "Broken", query: "orders_count >" }),
    ).rejects.toThrow(/Expected .* at line 1, column/);
    await expect(
      saveSegment(sql, shopId, { name: "Rule 0", query: "orders_count > 1" }),
    ).rejects.toThrow(/already a segment called "Rule 0"/);
    await expect(
      saveSegment(sql, shopId, { name: "Sneaky", query: "email = ''; DROP TABLE customer; --" }),
    ).rejects.toThrow();
    expect(await count()).toBe(segmentsBefore);
  });

  it("drops a deleted segment's members", async () => {
    const segment = (await listSegments(sql, shopId))[0];
    if (!segment) throw new Error("no segment");
    await deleteSegment(sql, shopId, segment.id);
    expect(await members(segment.id)).toEqual([]);
  });
});
