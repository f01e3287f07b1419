import { beforeAll, describe, expect, it } from "vitest";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { listSegmentMembers, segmentMembersCsv } from "./segment-members.server";
import { saveSegment } from "./segment-store.server";

const { sql, prisma } = await migratedTestDatabase();
/** A large shop's segment: members are customers 1…MEMBERS, every third customer is not one. */
const CUSTOMERS = 300_000;
const MEMBERS = 200_000;
const STAGES = ["new", "active", "loyal", "at_risk", "lapsing", "lost"];
let shopId: number;
let segmentId: bigint;

/** A client that counts the queries it passes on, to see how many pages were read. */
function counting(inner: SqlQueryable) {
  const counter = { queries: 0 };
  const client: SqlQueryable = {
    ...inner,
    query: ((...args: Parameters<SqlQueryable["query"]>) => {
      counter.queries += 1;
      return inner.query(...args);
    }) as SqlQueryable["query"],
  };
  return { client, counter };
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "members.myshopify.com" } })).id;
  await sql.query(
    `INSERT INTO customer (shop_id, id, email, first_name, last_name, created_at, shopify_updated_at)
     SELECT $1, n, 'buyer' || n || '@example.com',
            CASE WHEN n % 10 <> 0 THEN 'Ada' END, CASE WHEN n = 2 THEN 'Lovelace, "the first"' END,
            now(), now()
     FROM generate_series(1, ${CUSTOMERS}) n`,
    [shopId],
  );
  await sql.query(
    `INSERT INTO customer_metrics (shop_id, customer_id, orders_count, net_revenue, last_order_at,
       lifecycle_stage, predicted_clv, computed_at)
     SELECT $1, n, n % 5, (n % 5) * 12.5, CASE WHEN n % 5 > 0 THEN timestamp '2026-10-01' + n * interval '1 minute' END,
            ($2::text[])[1 + n % 6], CASE WHEN n % 4 <> 0 THEN n % 1000 END, now()
     FROM generate_series(1, ${CUSTOMERS}) n`,
    [shopId, STAGES],
  );
  segmentId = (await saveSegment(sql, shopId, { name: "Everyone", query: "orders_count >= 0" })).id;
  await sql.query(
    `INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
     SELECT $1, $2, n, now() FROM generate_series(1, ${(MEMBERS * 3) / 2}) n WHERE n % 3 <> 0`,
    [shopId, segmentId.toString()],
  );
}, 180_000);

describe("a segment's member list", () => {
  it("pages forwards and backwards by customer with the fields the list shows", async () => {
    // GIVEN a segment of 200k members
    // WHEN the merchant opens the list, goes two pages on and one back
    const first = await listSegmentMembers(sql, shopId, segmentId, {}, 50);
    const second = await listSegmentMembers(sql, shopId, segmentId, {
      after: first.members.at(-1)?.customerId,
    });
    const third = await listSegmentMembers(sql, shopId, segmentId, {
      after: second.members.at(-1)?.customerId,
    });
    const back = await listSegmentMembers(sql, shopId, segmentId, {
      before: third.members[0]?.customerId,
    });
    // THEN each page has 50 members, in order, without the non-members, and back is page two
    expect(first).toMatchObject({ hasPrevious: false, hasNext: true });
    expect(first.members.map((member) => member.customerId).slice(0, 4)).toEqual([
      "1",
      "2",
      "4",
      "5",
    ]);
    expect(first.members[1]).toEqual({
      customerId: "2",
      name: 'Ada Lovelace, "the first"',
      email: "buyer2@example.com",
      lifecycleStage: "loyal",
      ordersCount: 2,
      totalSpent: 25,
      lastOrderDate: "2026-10-01",
      predictedValue: 2,
    });
    expect(third.members.map((member) => Number(member.customerId))).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 1 + Math.floor(i / 2)).slice(100),
    );
    expect(back).toEqual({ ...second, hasNext: true, hasPrevious: true });
    // A cursor that is not a customer id reads the first page rather than failing.
    expect((await listSegmentMembers(sql, shopId, segmentId, { after: "x'; --" })).members).toEqual(
      (await listSegmentMembers(sql, shopId, segmentId)).members,
    );
  });

  it("knows the last page has no next one", async () => {
    const last = await listSegmentMembers(sql, shopId, segmentId, { after: "299990" });
    expect(last.members.map((member) => member.customerId)).toEqual([
      "299992",
      "299993",
      "299995",
      "299996",
      "299998",
      "299999",
    ]);
    expect(last).toMatchObject({ hasNext: false, hasPrevious: true });
  });
});

describe("a segment's CSV export", () => {
  const words = {
    header: ["Name", "Email", "Stage", "Orders", "Total spent", "Last order", "Predicted value"],
    stage: (key: string) => `Stage ${key}`,
  } as const;

  it("reads one page per chunk the reader asks for, never ahead", async () => {
    // GIVEN an export of 200k members in pages of 2,000
    const { client, counter } = counting(sql);
    const reader = segmentMembersCsv(client, shopId, segmentId, words, 2_000).getReader();
    // WHEN nothing is read yet, nothing is queried; each read then reads one page
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counter.queries).toBe(0);
    const first = await reader.read();
    expect(counter.queries).toBe(1);
    await reader.read();
    expect(counter.queries).toBe(2);
    // THEN a cancelled download stops reading
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counter.queries).toBe(2);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(first.value);
    expect(text.split("\r\n").slice(0, 3)).toEqual([
      "\uFEFFName,Email,Stage,Orders,Total spent,Last order,Predicted value",
      "Ada,buyer1@example.com,Stage active,1,12.50,2026-10-01,1.00",
      '"Ada Lovelace, ""the first""",buyer2@example.com,Stage loyal,2,25.00,2026-10-01,2.00',
    ]);
  });

  it("writes every member once, in order, in 101 pages of at most 2,000 rows", async () => {
    const { client, counter } = counting(sql);
    let lines = 0;
    let largestChunk = 0;
    let lastId = 0;
    let ordered = true;
    const decoder = new TextDecoder();
    let carry = "";
    const reader = segmentMembersCsv(client, shopId, segmentId, words, 2_000).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = read.value;
      const text = carry + decoder.decode(chunk, { stream: true });
      const parts = text.split("\r\n");
      carry = parts.pop() ?? "";
      const rows = parts.filter((line) => line.includes("@example.com"));
      largestChunk = Math.max(largestChunk, rows.length);
      for (const line of rows) {
        const id = Number(/buyer(\d+)@/.exec(line)?.[1]);
        if (id <= lastId) ordered = false;
        lastId = id;
      }
      lines += rows.length;
    }
    expect(carry).toBe("");
    expect(lines).toBe(MEMBERS);
    expect(ordered).toBe(true);
    expect(largestChunk).toBe(2_000);
    // 100 full pages, then the empty one that says the end is reached.
    expect(counter.queries).toBe(101);
  }, 120_000);
});
