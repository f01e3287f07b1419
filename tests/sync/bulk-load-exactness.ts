import { beforeEach, expect, it } from "vitest";
import type { SqlClient } from "~/lib/database-adapter.server";
import type { PrismaClient } from "~/generated/prisma/client";
import { loadBulkJsonl } from "~/services/sync/bulk-jsonl-loader.server";
import { bulkCustomer, bulkLineItem, bulkOrder, bulkRefund, linesOf } from "./bulk-jsonl-fixtures";

// The bulk loader's promises, checked on whichever database the including file opened (the
// embedded one, and PostgreSQL, whose COPY path is a different client): values arrive exact,
// a replay changes nothing, a load that fails part-way resumes to the same rows, and a bad
// line is named.

const BIG = 9_223_372_036_854_775_000n;
/** Six customers, then twelve orders, each followed by its two line items: 42 lines. */
const shopFile = [
  ...Array.from({ length: 6 }, (_, index) => bulkCustomer(index + 1)),
  ...Array.from({ length: 12 }, (_, index) => {
    const id = BIG + BigInt(index);
    return [
      bulkOrder(id, (index % 6) + 1, { refunds: index % 4 === 0 ? [bulkRefund(id)] : [] }),
      bulkLineItem(BIG - 100n - BigInt(2 * index), id),
      bulkLineItem(BIG - 101n - BigInt(2 * index), id),
    ];
  }).flat(),
].map((object) => JSON.stringify(object));

/** Everything the loader wrote for a shop, as comparable text (sync times left out). */
async function shopRows(sql: SqlClient, shopId: number): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const table of ["customer", "order", "order_line", "refund"]) {
    const result = await sql.query<{ row: string }>(
      `SELECT (to_jsonb(t) - 'shop_id' - 'synced_at')::text AS row FROM "${table}" t
       WHERE shop_id = $1 ORDER BY id`,
      [shopId],
    );
    rows[table] = result.rows.map((row) => row.row);
  }
  return rows;
}

/** A database whose `failAt`-th transaction does its work, then fails and rolls back. */
function failingTransaction(sql: SqlClient, failAt: number): SqlClient {
  let transactions = 0;
  return {
    ...sql,
    transaction: (work) => {
      transactions += 1;
      if (transactions !== failAt) return sql.transaction(work);
      return sql.transaction(async (tx) => {
        await work(tx);
        throw new Error("connection lost before commit");
      });
    },
  };
}

/** A database that fails the first transaction staging rows into `table` (it rolls back). */
function failingCopy(sql: SqlClient, table: string): SqlClient {
  let failed = false;
  return {
    ...sql,
    transaction: (work) =>
      sql.transaction((tx) =>
        work({
          ...tx,
          copyFrom: async (target, rows) => {
            if (target === table && !failed) {
              failed = true;
              throw new Error("connection lost during COPY");
            }
            await tx.copyFrom(target, rows);
          },
        }),
      ),
  };
}

export function bulkLoadExactness(database: { sql: SqlClient; prisma: PrismaClient }) {
  const { sql, prisma } = database;
  let shopId: number;
  let domains = 0;
  const newShop = async () =>
    (
      await prisma.shop.create({
        data: { domain: `bulk-${Date.now()}-${domains++}.myshopify.com` },
      })
    ).id;

  beforeEach(async () => {
    shopId = await newShop();
  });

  it("stores ids beyond 2^53 and text with tabs, newlines, backslashes and quotes exactly", async () => {
    // GIVEN a customer whose every text field needs escaping for COPY, and 64-bit ids
    const awkward = bulkCustomer(9_007_199_254_740_993n, {
      firstName: "Tab\there",
      lastName: "New\nline \\N",
      tags: ['say "hi"', "a,b", "back\\slash", "{x}", "NULL", "Ünïcødé 🍵"],
    });
    const file = [
      JSON.stringify(awkward),
      JSON.stringify(bulkOrder(BIG, 9_007_199_254_740_993n, { refunds: [] })),
      JSON.stringify(bulkLineItem(9_223_372_036_854_775_807n, BIG)),
    ];
    // WHEN the file is loaded
    await loadBulkJsonl(sql, shopId, linesOf(file));
    // THEN every value reads back as sent
    const stored = await prisma.customer.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: 9_007_199_254_740_993n } },
    });
    expect(stored).toMatchObject({
      firstName: "Tab\there",
      lastName: "New\nline \\N",
      tags: ['say "hi"', "a,b", "back\\slash", "{x}", "NULL", "Ünïcødé 🍵"],
      emailMarketing: "subscribed",
      city: "Kuala Lumpur",
      province: null,
    });
    const line = await prisma.orderLine.findFirstOrThrow({ where: { shopId } });
    expect(line.id).toBe(9_223_372_036_854_775_807n);
    expect(line.orderId).toBe(BIG);
    const storedOrder = await prisma.order.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: BIG } },
    });
    expect(storedOrder.customerId).toBe(9_007_199_254_740_993n);
    expect(storedOrder.processedAt.toISOString()).toBe("2025-03-01T00:00:00.000Z");
  });

  it("changes nothing when the same file is loaded again", async () => {
    await loadBulkJsonl(sql, shopId, linesOf(shopFile), { batchSize: 5 });
    const first = await shopRows(sql, shopId);
    expect(first.order).toHaveLength(12);
    expect(first.order_line).toHaveLength(24);
    // Loaded again with other batch boundaries: the same rows, refunds counted once.
    await loadBulkJsonl(sql, shopId, linesOf(shopFile), { batchSize: 7 });
    expect(await shopRows(sql, shopId)).toEqual(first);
    const refunded = await prisma.order.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: BIG } },
    });
    expect(refunded.totalRefunded.toString()).toBe("5");
  });

  it("does not count a batch whose line items failed, though later orders committed", async () => {
    // GIVEN a load whose second batch (customers 5-6, order 1 and its first line item) fails
    // in its line items, while the orders of the third batch may commit meanwhile
    let committed = 0;
    await expect(
      loadBulkJsonl(failingCopy(sql, "staged_order_line"), shopId, linesOf(shopFile), {
        batchSize: 4,
        onProgress: ({ linesCommitted }) => void (committed = linesCommitted),
      }),
    ).rejects.toThrow("connection lost during COPY");
    // THEN the checkpoint is the end of the first batch
    expect(committed).toBe(4);
    // AND the resumed run ends with exactly the rows of a load that never failed
    await loadBulkJsonl(sql, shopId, linesOf(shopFile), { batchSize: 4, skipLines: committed });
    const clean = await newShop();
    await loadBulkJsonl(sql, clean, linesOf(shopFile), { batchSize: 4 });
    expect(await shopRows(sql, shopId)).toEqual(await shopRows(sql, clean));
  });

  it("resumes to the same rows whichever transaction was lost", async () => {
    await loadBulkJsonl(sql, shopId, linesOf(shopFile), { batchSize: 4 });
    const expected = await shopRows(sql, shopId);
    for (const failAt of [1, 2, 3, 6, 9]) {
      const resumedShop = await newShop();
      let committed = 0;
      await expect(
        loadBulkJsonl(failingTransaction(sql, failAt), resumedShop, linesOf(shopFile), {
          batchSize: 4,
          onProgress: ({ linesCommitted }) => void (committed = linesCommitted),
        }),
      ).rejects.toThrow("connection lost before commit");
      expect(committed % 4).toBe(0);
      expect(committed).toBeLessThan(shopFile.length);
      await loadBulkJsonl(sql, resumedShop, linesOf(shopFile), {
        batchSize: 4,
        skipLines: committed,
      });
      expect(await shopRows(sql, resumedShop), `failing transaction ${failAt}`).toEqual(expected);
    }
  });

  it("names a bad line by its number, its object and the field, and commits nothing of its batch", async () => {
    const badField = [shopFile[0], shopFile[1], JSON.stringify(bulkCustomer(3, { email: 5 }))];
    await expect(
      loadBulkJsonl(sql, shopId, linesOf(badField as string[]), { batchSize: 10 }),
    ).rejects.toThrow(/^bulk result line 3 \(gid:\/\/shopify\/Customer\/3\): email: .*string/);
    const notJson = [shopFile[0], '{"id": '];
    await expect(
      loadBulkJsonl(sql, shopId, linesOf(notJson as string[]), { batchSize: 10 }),
    ).rejects.toThrow(/^bulk result line 2: not JSON/);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
  });
}
