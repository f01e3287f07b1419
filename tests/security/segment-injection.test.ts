import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { storeOfflineSession } from "../helpers/offline-session";
import { formAnswer } from "../helpers/form-answer";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import * as preview from "~/routes/app.segments.preview";
import * as segments from "~/routes/app.segments.$id";

// Attack: SQL smuggled through the segment language (the builder's live preview, a saved
// segment) to read other shops' customers or change the database.
const { sql, prisma } = await migratedTestDatabase();

const INJECTIONS = [
  `email = 'x' OR 1=1 --`,
  `email = 'x'' OR ''1''=''1'`,
  `email = 'x'; DROP TABLE customer; --`,
  `orders_count > 0 UNION SELECT * FROM session`,
  `orders_count > (SELECT count(*) FROM shop)`,
  `tags CONTAINS 'vip') OR (1=1`,
  `"shop_id" = 2`,
  `pg_sleep(5) > 0`,
];

beforeEach(async () => {
  await truncateAppTables();
  const mine = await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } });
  await storeOfflineSession();
  const other = await prisma.shop.create({ data: { domain: "other.myshopify.com" } });
  await insertCustomers(sql, mine.id, [1n]);
  await insertCustomers(sql, other.id, [2n, 3n, 4n]);
});

describe("segment language injection", () => {
  it("the live preview counts only this shop's customers, or explains the rule is invalid", async () => {
    for (const text of INJECTIONS) {
      const request = await embeddedAdminRequest(
        `/app/segments/preview?${new URLSearchParams({ q: text })}`,
      );
      const answer = await preview.loader({ request, params: {}, context: {} });
      if (answer.ok) expect(answer.count, text).toBeLessThanOrEqual(1);
      else expect(answer.error.key, text).toMatch(/^segmentErrors\.\w+$/);
    }
    expect((await sql.query(`SELECT count(*)::int AS n FROM customer`)).rows).toEqual([{ n: 4 }]);
  });

  it("saving such a segment stores nothing outside the shop and drops no table", async () => {
    for (const [index, query] of INJECTIONS.entries()) {
      const request = await embeddedAdminRequest("/app/segments/new", {
        intent: "save",
        name: `Attempt ${index}`,
        query,
      });
      const answer = (await formAnswer(
        await segments.action({ request, params: { id: "new" }, context: {} }),
      )) as { ok: boolean };
      // Either a harmless rule saved (the quotes are text) or a refusal worded for the field.
      expect(answer, query).toMatchObject(
        answer.ok ? { message: { key: "segments.saved" } } : { fieldErrors: { query: {} } },
      );
    }
    expect((await sql.query(`SELECT count(*)::int AS n FROM customer`)).rows).toEqual([{ n: 4 }]);
    expect((await sql.query(`SELECT count(*)::int AS n FROM session`)).rows).toEqual([{ n: 1 }]);
    const members = await sql.query<{ shop_id: number }>(
      `SELECT DISTINCT c.shop_id FROM segment_membership m JOIN customer c ON c.id = m.customer_id`,
    );
    expect(members.rows.length).toBeLessThanOrEqual(1);
  });
});
