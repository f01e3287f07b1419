import { beforeEach, describe, expect, it } from "vitest";
import { recomputeShopMetrics } from "~/services/analytics/recompute.server";
import { GAVE_UP_REASON, MAX_ATTEMPTS } from "~/services/sync/inbox-queue.server";
import { drainInbox, processInboxBatch } from "~/services/sync/inbox-worker.server";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import {
  customerBody,
  enqueueWebhook,
  inboxStatuses,
  orderBody,
  refundBody,
} from "./inbox-helpers";

const SHOP = "sync-test.myshopify.com";
const NOW = new Date("2026-01-15T00:00:00Z");
const { sql, prisma } = await migratedTestDatabase();
let shopId: number;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: SHOP } })).id;
});

const customer = (id: bigint) =>
  prisma.customer.findUnique({ where: { shopId_id: { shopId, id } } });
const order = (id: bigint) =>
  prisma.order.findUnique({
    where: { shopId_id: { shopId, id } },
    include: { lines: { orderBy: { id: "asc" } } },
  });

describe("applying customers", () => {
  it("writes a customer with exact 64-bit id, tags and consent", async () => {
    await enqueueWebhook(
      SHOP,
      "customers/create",
      JSON.stringify(customerBody("1", "2026-01-01T00:00:00Z")).replace(
        '"id":1',
        '"id":9007199254740993',
      ),
    );
    const result = await drainInbox(sql);
    expect(result).toMatchObject({ claimed: 1, applied: 1, dead: 0, failed: 0 });
    const stored = await customer(9007199254740993n);
    expect(stored).toMatchObject({
      email: "c1@example.com",
      tags: ["vip", "newsletter"],
      emailMarketing: "subscribed",
      countryCode: "TR",
    });
  });

  it("never lets an older version overwrite a newer one, whatever the arrival order", async () => {
    await enqueueWebhook(
      SHOP,
      "customers/update",
      customerBody("2", "2026-02-01T00:00:00Z", { first_name: "Newer" }),
    );
    await enqueueWebhook(
      SHOP,
      "customers/update",
      customerBody("2", "2026-01-01T00:00:00Z", { first_name: "Older" }),
    );
    await drainInbox(sql, 1);
    await enqueueWebhook(
      SHOP,
      "customers/update",
      customerBody("2", "2025-12-01T00:00:00Z", { first_name: "Oldest" }),
    );
    await drainInbox(sql);
    expect((await customer(2n))?.firstName).toBe("Newer");
  });

  it("keeps stored tags and consent when a body omits them", async () => {
    await enqueueWebhook(SHOP, "customers/create", customerBody("3", "2026-01-01T00:00:00Z"));
    await drainInbox(sql);
    const {
      tags: _t,
      email_marketing_consent: _c,
      ...withoutOptional
    } = customerBody("3", "2026-01-02T00:00:00Z", { first_name: "Renamed" });
    await enqueueWebhook(SHOP, "customers/update", withoutOptional);
    await drainInbox(sql);
    expect(await customer(3n)).toMatchObject({
      firstName: "Renamed",
      tags: ["vip", "newsletter"],
      emailMarketing: "subscribed",
    });
  });

  it("a delete is final: a late create or update cannot resurrect the customer", async () => {
    await enqueueWebhook(SHOP, "customers/delete", { id: 4 });
    await enqueueWebhook(SHOP, "customers/create", customerBody("4", "2026-03-01T00:00:00Z"));
    await drainInbox(sql);
    await enqueueWebhook(SHOP, "customers/update", customerBody("4", "2026-04-01T00:00:00Z"));
    await drainInbox(sql);
    const stored = await customer(4n);
    expect(stored?.deletedAt).not.toBeNull();
    expect(stored?.email).toBeNull();
  });
});

describe("applying orders and refunds", () => {
  it("replaces line items with the newest version's", async () => {
    await enqueueWebhook(SHOP, "orders/create", orderBody("10", "2026-01-10T12:00:00Z"));
    await drainInbox(sql);
    await enqueueWebhook(
      SHOP,
      "orders/updated",
      orderBody("10", "2026-01-11T12:00:00Z", {
        lines: [{ id: "201", productId: "502", quantity: 1, price: "5.00" }],
      }),
    );
    await drainInbox(sql);
    const stored = await order(10n);
    expect(stored?.lines.map((line) => [line.id, line.productId, line.quantity])).toEqual([
      [201n, 502n, 1],
    ]);
    expect(stored?.totalPrice.toString()).toBe("5");
  });

  it("counts a refund once, even replayed and arriving before its order", async () => {
    await enqueueWebhook(SHOP, "refunds/create", refundBody("30", "11", "111", "10.00"));
    await enqueueWebhook(SHOP, "refunds/create", refundBody("30", "11", "111", "10.00"));
    await drainInbox(sql);
    await enqueueWebhook(
      SHOP,
      "orders/create",
      orderBody("11", "2026-01-10T12:00:00Z", {
        lines: [{ id: "111", productId: "501", quantity: 2, price: "10.00" }],
      }),
    );
    await drainInbox(sql);
    await enqueueWebhook(SHOP, "refunds/create", refundBody("30", "11", "111", "10.00"));
    await drainInbox(sql);
    const stored = await order(11n);
    expect(stored?.totalRefunded.toString()).toBe("10");
    expect(stored?.lines[0]?.refundedQuantity).toBe(1);
  });

  it("keeps guest orders without a customer", async () => {
    await enqueueWebhook(
      SHOP,
      "orders/create",
      orderBody("12", "2026-01-10T12:00:00Z", { customerId: null }),
    );
    await drainInbox(sql);
    expect((await order(12n))?.customerId).toBeNull();
  });
});

describe("bad and unlucky events", () => {
  it("dead-letters a malformed body at once and keeps it for inspection, applying the rest", async () => {
    await enqueueWebhook(SHOP, "orders/create", "{not json");
    await enqueueWebhook(SHOP, "orders/create", { id: "13x", name: "#13" });
    await enqueueWebhook(SHOP, "customers/create", customerBody("5", "2026-01-01T00:00:00Z"));
    const result = await drainInbox(sql);
    expect(result).toMatchObject({ claimed: 3, applied: 1, dead: 2 });
    const statuses = await inboxStatuses();
    expect(statuses.map((s) => s.status)).toEqual(["dead", "dead", "done"]);
    expect(statuses[1]?.last_error).toBe(
      "The order's id '13x' isn't a Shopify id Rekindle can store.",
    );
    expect(await prisma.order.count({ where: { shopId } })).toBe(0);
    expect(await customer(5n)).not.toBeNull();
  });

  it("skips data for a shop that is not installed without failing", async () => {
    await enqueueWebhook(
      "gone.myshopify.com",
      "customers/create",
      customerBody("6", "2026-01-01T00:00:00Z"),
    );
    await drainInbox(sql);
    expect((await inboxStatuses())[0]).toMatchObject({
      status: "done",
      last_error: "skipped: shop not installed",
    });
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
  });

  it("hands a claimed event to another worker when its worker died before finishing", async () => {
    await enqueueWebhook(SHOP, "customers/create", customerBody("7", "2026-01-01T00:00:00Z"));
    // Simulate a worker that claimed the event and was killed: claimed, never acknowledged.
    await sql.query(
      `UPDATE webhook_inbox SET status = 'processing', attempts = 1, locked_until = now() + interval '1 hour'`,
    );
    expect((await processInboxBatch(sql)).claimed).toBe(0);
    await sql.query(`UPDATE webhook_inbox SET locked_until = now() - interval '1 second'`);
    expect(await drainInbox(sql)).toMatchObject({ claimed: 1, applied: 1 });
    expect(await customer(7n)).not.toBeNull();
  });

  it("retries a transient failure with backoff and dead-letters it after the last attempt", async () => {
    await enqueueWebhook(SHOP, "customers/create", customerBody("8", "2026-01-01T00:00:00Z"));
    // The database refusing for its own reasons (here: a lock it cannot get) says nothing
    // about the event, so it is retried rather than dead-lettered at once.
    await sql.exec(`
      CREATE FUNCTION busy() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'busy' USING ERRCODE = 'lock_not_available'; END $$;
      CREATE TRIGGER busy BEFORE INSERT ON customer FOR EACH ROW EXECUTE FUNCTION busy();`);
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const result = await processInboxBatch(sql);
        expect(result).toMatchObject({ claimed: 1, failed: 1 });
        const [status] = await inboxStatuses();
        expect(status?.status).toBe(attempt < MAX_ATTEMPTS ? "failed" : "dead");
        await sql.query(`UPDATE webhook_inbox SET run_after = now()`);
      }
    } finally {
      await sql.exec(`DROP TRIGGER busy ON customer; DROP FUNCTION busy()`);
    }
    expect(await customer(8n)).toBeNull();
    const [dead] = await prisma.webhookInbox.findMany({ where: { shopId } });
    expect(dead?.deadReason).toEqual(GAVE_UP_REASON);
    expect(GAVE_UP_REASON).toEqual({
      key: "deadReasons.gaveUp",
      values: { attempts: MAX_ATTEMPTS },
    });
  });
});

describe("one bad event never blocks the others", () => {
  it("applies 499 of a 500-event batch and dead-letters only the one the database refuses", async () => {
    // GIVEN 500 orders in one batch, one of which the database will refuse
    await sql.exec(`ALTER TABLE "order" ADD CONSTRAINT refuse_666 CHECK (id <> 666) NOT VALID`);
    try {
      for (let id = 501; id <= 1000; id++) {
        await enqueueWebhook(SHOP, "orders/create", orderBody(String(id), "2026-01-10T12:00:00Z"));
      }
      // WHEN one worker claims and applies them as one batch
      const result = await processInboxBatch(sql, 500);
      // THEN the 499 others are stored and only the refused one is dead, with a reason
      expect(result).toMatchObject({ claimed: 500, applied: 499, dead: 1, failed: 0 });
      expect(await prisma.order.count({ where: { shopId } })).toBe(499);
      expect(await order(666n)).toBeNull();
      const dead = await prisma.webhookInbox.findMany({ where: { shopId, status: "dead" } });
      expect(dead).toHaveLength(1);
      expect(dead[0]?.payload).toContain('"id":666');
      expect(dead[0]?.deadReason).toEqual({ key: "deadReasons.valueOutOfRange" });
      expect(dead[0]?.lastError).toMatch(/refuse_666/);
      expect(await prisma.webhookInbox.count({ where: { shopId, status: "done" } })).toBe(499);
    } finally {
      await sql.exec(`ALTER TABLE "order" DROP CONSTRAINT refuse_666`);
    }
  });

  it("still dead-letters only the refused one with the worker's rescoring, and rescores the rest", async () => {
    // GIVEN a customer of a shop with a model, and 50 of their orders in one batch, one of which
    // the database will refuse
    await enqueueWebhook(SHOP, "customers/create", customerBody("1", "2026-01-01T00:00:00Z"));
    await drainInbox(sql);
    await recomputeShopMetrics(sql, shopId, { now: NOW });
    await sql.query(`DELETE FROM metrics_dirty_customer`);
    await sql.exec(`ALTER TABLE "order" ADD CONSTRAINT refuse_666 CHECK (id <> 666) NOT VALID`);
    try {
      for (let id = 651; id <= 700; id++) {
        await enqueueWebhook(SHOP, "orders/create", orderBody(String(id), "2026-01-10T12:00:00Z"));
      }
      // WHEN the worker applies them with its rescoring
      const result = await processInboxBatch(sql, 500, undefined, { now: NOW });
      // THEN only the refused one is dead, and the customer is rescored with the 49 others
      expect(result).toMatchObject({ claimed: 50, applied: 49, dead: 1, failed: 0 });
      const { rows } = await sql.query<{ orders_count: number }>(
        `SELECT orders_count FROM customer_metrics WHERE shop_id = $1 AND customer_id = 1`,
        [shopId],
      );
      expect(rows).toEqual([{ orders_count: 49 }]);
      expect(await prisma.metricsDirtyCustomer.count({ where: { shopId } })).toBe(0);
    } finally {
      await sql.exec(`ALTER TABLE "order" DROP CONSTRAINT refuse_666`);
    }
  });

  it("dead-letters an order whose id does not fit a 64-bit column with its reason, applying the rest", async () => {
    await enqueueWebhook(
      SHOP,
      "orders/create",
      JSON.stringify(orderBody("20", "2026-01-10T12:00:00Z")).replace(
        '"id":20,',
        '"id":9223372036854775808,',
      ),
    );
    await enqueueWebhook(SHOP, "orders/create", orderBody("21", "2026-01-10T12:00:00Z"));
    expect(await drainInbox(sql)).toMatchObject({ claimed: 2, applied: 1, dead: 1 });
    expect((await inboxStatuses())[0]).toMatchObject({
      status: "dead",
      last_error: "The order's id '9223372036854775808' isn't a Shopify id Rekindle can store.",
    });
    expect(await order(21n)).not.toBeNull();
  });
});
