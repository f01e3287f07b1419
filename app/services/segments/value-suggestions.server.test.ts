import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { segmentValueSuggestions } from "./value-suggestions.server";

const { sql, prisma } = await migratedTestDatabase();
let shopId: number;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "values.myshopify.com" } })).id;
});

describe("the builder's value suggestions", () => {
  it("offer the shop's live customers' tags and countries, most common first", async () => {
    // GIVEN five customers, one of them deleted, and another shop's customer
    await insertCustomers(sql, shopId, [1n, 2n, 3n, 4n, 5n]);
    await sql.query(
      `UPDATE customer SET
         tags = CASE id WHEN 1 THEN '{VIP,wholesale}' WHEN 2 THEN '{VIP}' WHEN 3 THEN '{newsletter}'
                        WHEN 5 THEN '{deleted-only}' ELSE '{}' END::text[],
         country_code = CASE id WHEN 1 THEN 'DE' WHEN 2 THEN 'FR' WHEN 3 THEN 'FR' WHEN 5 THEN 'JP' END,
         deleted_at = CASE WHEN id = 5 THEN now() END
       WHERE shop_id = $1`,
      [shopId],
    );
    const other = (await prisma.shop.create({ data: { domain: "else.myshopify.com" } })).id;
    await insertCustomers(sql, other, [9n]);
    await sql.query(
      `UPDATE customer SET tags = '{other-shop}', country_code = 'US' WHERE shop_id = $1`,
      [other],
    );
    // WHEN the builder asks for suggestions
    const suggestions = await segmentValueSuggestions(sql, shopId);
    // THEN it gets this shop's live values, the most used first and ties by name
    expect(suggestions).toEqual({
      tags: ["VIP", "newsletter", "wholesale"],
      countries: ["FR", "DE"],
      collections: [],
    });
  });

  it("offer the shop's collections by title, deleted ones and other shops' left out", async () => {
    // GIVEN three collections, one of them deleted, and another shop's collection
    const other = (await prisma.shop.create({ data: { domain: "else.myshopify.com" } })).id;
    await sql.query(
      `INSERT INTO collection (shop_id, id, title, handle, shopify_updated_at, deleted_at) VALUES
         ($1, 9007199254740993, 'summer', 'summer', now(), NULL),
         ($1, 2, 'Autumn', 'autumn', now(), NULL),
         ($1, 3, 'Gone', 'gone', now(), now()),
         ($2, 4, 'Elsewhere', 'elsewhere', now(), NULL)`,
      [shopId, other],
    );
    // WHEN the builder asks for suggestions
    const suggestions = await segmentValueSuggestions(sql, shopId);
    // THEN it offers this shop's live collections by title, their ids exact
    expect(suggestions.collections).toEqual([
      { id: "2", title: "Autumn" },
      { id: "9007199254740993", title: "summer" },
    ]);
  });
});
