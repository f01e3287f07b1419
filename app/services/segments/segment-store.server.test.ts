import { beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "~/lib/errors";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import {
  deleteSegment,
  duplicateSegment,
  getSegment,
  listSegments,
  saveSegment,
  SegmentInUseError,
  SegmentNameError,
} from "./segment-store.server";

const { sql, prisma } = await migratedTestDatabase();
let shopId: number;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "store.myshopify.com" } })).id;
});

describe("the segment store", () => {
  it("reads one segment of the shop, and not another shop's", async () => {
    const saved = await saveSegment(sql, shopId, { name: "VIP", query: "tags contains 'vip'" });
    expect(await getSegment(sql, shopId, saved.id)).toMatchObject({
      name: "VIP",
      query: "tags CONTAINS 'vip'",
      members: 0,
    });
    const other = (await prisma.shop.create({ data: { domain: "other.myshopify.com" } })).id;
    await expect(getSegment(sql, other, saved.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("duplicates under a free name, without the Shopify tag", async () => {
    const saved = await saveSegment(sql, shopId, {
      name: "Lapsed",
      query: "days_since_last_order > 90",
      tagInShopify: true,
    });
    const copy = await duplicateSegment(sql, shopId, saved.id, "Copy of Lapsed");
    const again = await duplicateSegment(sql, shopId, saved.id, "Copy of Lapsed");
    expect([copy.name, again.name]).toEqual(["Copy of Lapsed", "Copy of Lapsed 2"]);
    expect(copy).toMatchObject({ query: saved.query, shopifyTag: null });
    expect((await listSegments(sql, shopId)).map((segment) => segment.name)).toEqual([
      "Copy of Lapsed",
      "Copy of Lapsed 2",
      "Lapsed",
    ]);
    // A name at the limit stays within it.
    const long = "x".repeat(80);
    await duplicateSegment(sql, shopId, saved.id, long);
    expect((await duplicateSegment(sql, shopId, saved.id, long)).name).toBe(`${"x".repeat(78)} 2`);
  });

  it("says which name problem it is, and which rules keep a segment from being deleted", async () => {
    await expect(
      saveSegment(sql, shopId, { name: " ", query: "orders_count > 1" }),
    ).rejects.toThrow(expect.objectContaining({ code: "name_length" }));
    const saved = await saveSegment(sql, shopId, { name: "A", query: "orders_count > 1" });
    const taken = saveSegment(sql, shopId, { name: "A", query: "orders_count > 2" });
    await expect(taken).rejects.toBeInstanceOf(SegmentNameError);
    await expect(taken).rejects.toMatchObject({ code: "name_taken" });
    await expect(
      saveSegment(sql, shopId, { id: 999n, name: "B", query: "orders_count > 1" }),
    ).rejects.toBeInstanceOf(NotFoundError);

    await sql.query(
      `INSERT INTO winback_rule (shop_id, name, status, config)
       VALUES ($1, 'Come back', 'draft', $2::jsonb)`,
      [
        shopId,
        JSON.stringify({ trigger: { kind: "segment_entered", segmentId: saved.id.toString() } }),
      ],
    );
    const refused = deleteSegment(sql, shopId, saved.id);
    await expect(refused).rejects.toBeInstanceOf(SegmentInUseError);
    await expect(refused).rejects.toMatchObject({ ruleNames: ["Come back"] });
    expect(await listSegments(sql, shopId)).toHaveLength(1);
  });
});
