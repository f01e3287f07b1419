/**
 * The incremental rescoring against the full recompute, on real PostgreSQL where its statements
 * are prepared and run with their generic plans (PGlite runs them as plain queries): a rescored
 * customer's metrics and memberships must be what a full recompute with the same model gives.
 * Skipped (with the reason printed) when no server is reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import {
  claimDirtyCustomersSql,
  markCustomersDirty,
} from "~/services/analytics/dirty-customers.server";
import { lockShop } from "~/services/analytics/metrics-lock.server";
import { markAndClaimCustomers, rescoreClaimed } from "~/services/analytics/refresh-dirty.server";
import { insertOrders } from "~/services/analytics/testing/order-rows";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../../../tests/helpers/scratch-postgres";
import { migratedTestDatabase } from "../../../tests/helpers/test-database";
import { evaluateSegment, parseSegment } from "./language";
import {
  recomputeMetricsAndSegments,
  refreshDirtyMetricsAndSegments,
  RESCORING_WITH_SEGMENTS,
} from "./metrics-and-segments.server";
import { saveSegment } from "./segment-store.server";
import { refreshSegmentMembers } from "./memberships.server";
import { customerRecords, seedScoredShop } from "./testing/scored-shop";

const unavailable = await postgresUnavailableReason();
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
// eslint-disable-next-line no-console -- a skipped database test must say why it did not run
if (unavailable) console.warn(`incremental rescoring test skipped: ${unavailable}`);

const AS_OF = new Date("2026-06-01T12:00:00Z");
const CUSTOMERS = 300;
const RULES = [
  "orders_count >= 2 AND rfm_segment IN ('champions', 'loyal', 'potential_loyalist')",
  "lifecycle_stage IN ('lapsing', 'lost') AND net_revenue > 100",
  "tags CONTAINS 'vip' OR prob_alive < 0.3",
];

describe.skipIf(!scratch)("incremental rescoring on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof migratedTestDatabase>>;
  let shopId: number;

  /** Every customer's metrics (without their computed_at) and memberships, by customer. */
  async function scores(): Promise<Map<string, unknown>> {
    const { rows } = await database.sql.query<{ id: string; metrics: unknown }>(
      `SELECT m.customer_id::text AS id,
              to_jsonb(m) - 'computed_at' || jsonb_build_object('segments',
                (SELECT coalesce(jsonb_agg(sm.segment_id ORDER BY sm.segment_id), '[]')
                 FROM segment_membership sm
                 WHERE sm.shop_id = m.shop_id AND sm.customer_id = m.customer_id)) AS metrics
       FROM customer_metrics m WHERE m.shop_id = $1`,
      [shopId],
    );
    return new Map(rows.map((row) => [row.id, row.metrics]));
  }

  beforeAll(async () => {
    database = await migratedTestDatabase();
    shopId = (await database.prisma.shop.create({ data: { domain: "incremental.myshopify.com" } }))
      .id;
    await seedScoredShop(database.sql, shopId, {
      customers: CUSTOMERS,
      asOf: AS_OF,
      meanDailyRate: 0.03,
      seed: 21,
    });
    for (const [index, rule] of RULES.entries()) {
      const segment = await saveSegment(database.sql, shopId, {
        name: `Rule ${index}`,
        query: rule,
      });
      await refreshSegmentMembers(database.sql, shopId, segment, AS_OF);
    }
  });

  afterAll(async () => {
    await database?.sql.close();
    await scratch?.drop();
  });

  it("gives every customer rescored one by one what the full recompute gave them", async () => {
    // GIVEN the full recompute's metrics and memberships
    await recomputeMetricsAndSegments(database.sql, shopId, { now: AS_OF });
    const full = await scores();
    expect(full.size).toBe(CUSTOMERS);
    // WHEN every customer is rescored alone, as after an order (the same connection's prepared
    // statements serve the later calls)
    for (let id = 1; id <= CUSTOMERS; id += 1) {
      await markCustomersDirty(database.sql, shopId, { customerIds: [BigInt(id)], orderIds: [] });
      expect(await refreshDirtyMetricsAndSegments(database.sql, { now: AS_OF })).toBe(1);
    }
    // THEN nothing differs
    expect(await scores()).toEqual(full);
  });

  it("gives every customer the sync path marks and rescores after its commit the same", async () => {
    // GIVEN the full recompute's metrics and memberships
    await recomputeMetricsAndSegments(database.sql, shopId, { now: AS_OF });
    const full = await scores();
    // WHEN every customer is marked in a sync transaction that claims them, and rescored
    // once it has committed, as the inbox worker does
    for (let id = 1; id <= CUSTOMERS; id += 1) {
      const claimed = await database.sql.transaction((tx) =>
        markAndClaimCustomers(
          tx,
          shopId,
          { customerIds: [BigInt(id)], orderIds: [] },
          { ...RESCORING_WITH_SEGMENTS, now: AS_OF },
        ),
      );
      expect(claimed && (await rescoreClaimed(database.sql, claimed))).toBe(1);
    }
    // THEN nothing differs, and no mark is left for the metrics job
    expect(await scores()).toEqual(full);
    expect(await refreshDirtyMetricsAndSegments(database.sql, { now: AS_OF })).toBe(0);
  });

  it("moves a customer who buys into and out of segments as the rules say", async () => {
    // GIVEN some customers buying today
    const buyers = Array.from({ length: 15 }, (_, i) => BigInt(3 + i * 17));
    await insertOrders(
      database.sql,
      shopId,
      buyers.map((customerId, i) => ({
        id: 50_000_000n + BigInt(i),
        customerId,
        processedAt: new Date(AS_OF.getTime() - 3_600_000),
        total: 500,
      })),
    );
    await markCustomersDirty(database.sql, shopId, { customerIds: buyers, orderIds: [] });
    // WHEN they are rescored
    expect(await refreshDirtyMetricsAndSegments(database.sql, { now: AS_OF })).toBe(buyers.length);
    // THEN each segment holds exactly the customers the in-memory evaluator selects
    const records = [...(await customerRecords(database.sql, shopId))];
    for (const [index, rule] of RULES.entries()) {
      const { ast } = parseSegment(rule);
      const expected = records
        .filter(([, record]) => evaluateSegment(ast, record))
        .map(([id]) => id)
        .sort();
      const members = await database.sql.query<{ id: string }>(
        `SELECT sm.customer_id::text AS id FROM segment_membership sm
         JOIN segment g ON g.shop_id = sm.shop_id AND g.id = sm.segment_id
         WHERE sm.shop_id = $1 AND g.name = $2 ORDER BY 1`,
        [shopId, `Rule ${index}`],
      );
      expect(members.rows.map((row) => row.id)).toEqual(expected);
    }
  });

  it("rescores each marked customer once when two workers run at the same time", async () => {
    // GIVEN the full recompute's scores and every customer marked
    await recomputeMetricsAndSegments(database.sql, shopId, { now: AS_OF });
    const full = await scores();
    const everyone = Array.from({ length: CUSTOMERS }, (_, i) => BigInt(i + 1));
    await markCustomersDirty(database.sql, shopId, { customerIds: everyone, orderIds: [] });
    // WHEN two workers drain them together, in small batches, on their own connections
    const drained = await Promise.all(
      [1, 2].map(() => refreshDirtyMetricsAndSegments(database.sql, { now: AS_OF, batchSize: 25 })),
    );
    // THEN between them each customer was rescored once, to the full recompute's scores
    expect(drained.reduce((sum, count) => sum + count, 0)).toBe(CUSTOMERS);
    expect(await scores()).toEqual(full);
  });

  /** Runs `work` in a transaction on a connection of its own, left open until `commit()`. */
  async function heldTransaction(work: (tx: SqlQueryable) => Promise<unknown>) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const committed = database.sql.transaction(async (tx) => {
      await work(tx);
      held();
      await released;
    });
    await holding;
    return {
      commit: async () => {
        release();
        await committed;
      },
    };
  }

  /** The customer's mark is still there, free to claim, and the next pass rescores them. */
  async function expectRescoredByTheNextPass(customerId: number) {
    const { rows } = await database.sql.query<{ free: boolean }>(
      `SELECT claimed_until IS NULL AS free FROM metrics_dirty_customer WHERE customer_id = $1`,
      [customerId],
    );
    expect(rows).toEqual([{ free: true }]);
    expect(await refreshDirtyMetricsAndSegments(database.sql, { now: AS_OF })).toBe(1);
  }

  it("does not wait for a sync transaction that marks the customer again while it writes", async () => {
    // GIVEN a customer marked, and a sync transaction that marks them again right after the
    // rescoring's claim and holds that row until it commits
    await markCustomersDirty(database.sql, shopId, { customerIds: [5n], orderIds: [] });
    let marking: Promise<{ commit: () => Promise<void> }> | undefined;
    const racing: SqlClient = {
      ...database.sql,
      async query(text, params, options) {
        const result = await database.sql.query(text, params, options);
        if (!marking && options?.preparedAs?.endsWith("_claim")) {
          marking = heldTransaction((tx) =>
            markCustomersDirty(tx, shopId, { customerIds: [5n], orderIds: [] }),
          );
          await marking;
        }
        return result as never;
      },
    };
    // WHEN the rescoring writes while that transaction is open
    const rescored = await refreshDirtyMetricsAndSegments(racing, { now: AS_OF });
    await (await marking)?.commit();
    // THEN it finished first, and the mark stays for the next pass
    expect(rescored).toBe(1);
    await expectRescoredByTheNextPass(5);
  });

  /**
   * Waits until one statement of the test waits on the server as `waiting` (a condition on
   * pg_stat_activity) says: sleeping in `pg_sleep`, or for a row lock.
   */
  async function untilOneWaits(waiting: string) {
    await expect
      .poll(async () => {
        const { rows } = await database.sql.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND ${waiting}`,
        );
        return rows[0]?.waiting;
      })
      .toBe(1);
  }

  it("leaves a mark to the next pass when the sync marks it again while a claim runs", async () => {
    // GIVEN customer 11 marked, and the metrics job's claim started (its snapshot taken) and
    // held up, by a pause put in its shop expression, before it locks the marks
    await markCustomersDirty(database.sql, shopId, { customerIds: [11n], orderIds: [] });
    const claim = database.sql.query<{ customer_id: string }>(
      `WITH RECURSIVE ${claimDirtyCustomersSql(`(SELECT ${shopId} FROM pg_sleep(1))`, "10")}
       SELECT customer_id::text FROM claimed`,
    );
    await untilOneWaits("wait_event = 'PgSleep'");
    // WHEN the sync marks 11 again (for an order the claim's snapshot does not hold) and commits
    await markCustomersDirty(database.sql, shopId, { customerIds: [11n], orderIds: [] });
    // THEN the claim leased nothing it could only have read stale, and the next pass rescores 11
    expect((await claim).rows).toEqual([]);
    await expectRescoredByTheNextPass(11);
  });

  /** Marks and claims `customerId` as the inbox worker's transaction does. */
  const markAndClaim = (tx: SqlQueryable, customerId: bigint) =>
    markAndClaimCustomers(
      tx,
      shopId,
      { customerIds: [customerId], orderIds: [] },
      { ...RESCORING_WITH_SEGMENTS, now: AS_OF },
    );

  it.each([
    ["a new mark", 9n, false],
    ["a mark already there", 10n, true],
  ])(
    "leaves %s to the job when another sync transaction marked it after its snapshot",
    async (_, customerId, markedBefore) => {
      // GIVEN a sync transaction that marked and claimed the customer and has not committed
      if (markedBefore) {
        await markCustomersDirty(database.sql, shopId, { customerIds: [customerId], orderIds: [] });
      }
      let first: Awaited<ReturnType<typeof markAndClaim>> = null;
      const holding = await heldTransaction(
        async (tx) => (first = await markAndClaim(tx, customerId)),
      );
      // AND a second one whose marking of the customer started meanwhile and waits for it
      const second = database.sql.transaction((tx) => markAndClaim(tx, customerId));
      await untilOneWaits("wait_event_type = 'Lock'");
      // WHEN the first commits and rescores
      await holding.commit();
      const claimedBySecond = await second;
      expect(first && (await rescoreClaimed(database.sql, first))).toBe(1);
      // THEN the second claimed nothing (what it read lacks the first's changes), and the mark
      // is free for the next pass
      expect(claimedBySecond).toBeNull();
      await expectRescoredByTheNextPass(Number(customerId));
    },
  );

  it("stores nothing while a full recompute holds the shop's metrics lock", async () => {
    // GIVEN a customer marked and a recompute's transaction holding the shop's lock
    await markCustomersDirty(database.sql, shopId, { customerIds: [7n], orderIds: [] });
    const recompute = await heldTransaction((tx) => lockShop(tx, shopId));
    // WHEN the rescoring runs meanwhile
    const rescored = await refreshDirtyMetricsAndSegments(database.sql, { now: AS_OF });
    await recompute.commit();
    // THEN it stored nothing, and the mark stays for the next pass
    expect(rescored).toBe(0);
    await expectRescoredByTheNextPass(7);
  });

  it("stores nothing for a customer the sync deleted while the job rescored them", async () => {
    // GIVEN customer 13 without metrics yet (as before their first rescoring), marked, and the
    // sync deleting 13, and rescoring the deletion, between the metrics job's claim and write
    await database.sql.query(
      `DELETE FROM customer_metrics WHERE shop_id = $1 AND customer_id = 13`,
      [shopId],
    );
    await markCustomersDirty(database.sql, shopId, { customerIds: [13n], orderIds: [] });
    let deletion: Promise<number> | undefined;
    const racing: SqlClient = {
      ...database.sql,
      async query(text, params, options) {
        const result = await database.sql.query(text, params, options);
        if (!deletion && options?.preparedAs?.endsWith("_claim")) {
          deletion = (async () => {
            const claimed = await database.sql.transaction(async (tx) => {
              await tx.query(
                `UPDATE customer SET deleted_at = now() WHERE shop_id = $1 AND id = 13`,
                [shopId],
              );
              return markAndClaim(tx, 13n);
            });
            return claimed ? rescoreClaimed(database.sql, claimed) : 0;
          })();
          await deletion;
        }
        return result as never;
      },
    };
    // WHEN the job's write comes after the deletion's
    await refreshDirtyMetricsAndSegments(racing, { now: AS_OF });
    // THEN the deletion was rescored, and 13 has no metrics, memberships or mark left
    expect(await deletion).toBe(1);
    const { rows } = await database.sql.query<{ left: number }>(
      `SELECT ((SELECT count(*) FROM customer_metrics WHERE shop_id = $1 AND customer_id = 13)
            + (SELECT count(*) FROM segment_membership WHERE shop_id = $1 AND customer_id = 13)
            + (SELECT count(*) FROM metrics_dirty_customer WHERE shop_id = $1 AND customer_id = 13)
             )::int AS left`,
      [shopId],
    );
    expect(rows[0]?.left).toBe(0);
  });
});
