import { beforeAll, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { previewAudience } from "./audience.server";
import { groupsFromAst } from "./builder-rows";
import { evaluateSegment, parseSegment, printSegment } from "./language";
import { SEGMENT_TEMPLATES } from "./templates";
import { customerRecord } from "./customer-record";
import { seedScoredShop } from "./testing/scored-shop";

const { sql, prisma } = await migratedTestDatabase();
const AS_OF = new Date("2026-06-01T12:00:00Z");
let shopId: number;

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "templates.myshopify.com" } })).id;
  await seedScoredShop(sql, shopId, { customers: 400, asOf: AS_OF, meanDailyRate: 0.03, seed: 5 });
});

describe("segment templates", () => {
  it("are at least ten, each a canonical rule the builder opens as groups", () => {
    expect(SEGMENT_TEMPLATES.length).toBeGreaterThanOrEqual(10);
    expect(new Set(SEGMENT_TEMPLATES.map((template) => template.key)).size).toBe(
      SEGMENT_TEMPLATES.length,
    );
    for (const template of SEGMENT_TEMPLATES) {
      const { ast } = parseSegment(template.rule);
      expect(printSegment(ast), template.key).toBe(template.rule);
      expect(groupsFromAst(ast), template.key).not.toBeNull();
    }
  });

  it("count in SQL exactly whom the reference evaluator picks, and most find someone in a real-looking shop", async () => {
    const { rows } = await sql.query<Record<string, unknown>>(
      `SELECT c.*, m.* FROM customer c
       LEFT JOIN customer_metrics m ON m.shop_id = c.shop_id AND m.customer_id = c.id
       WHERE c.shop_id = $1`,
      [shopId],
    );
    const records = rows.map(customerRecord);
    const counts: Record<string, number> = {};
    for (const template of SEGMENT_TEMPLATES) {
      const { ast } = parseSegment(template.rule);
      const preview = await previewAudience(sql, shopId, ast);
      expect(preview.count, template.key).toBe(
        records.filter((record) => evaluateSegment(ast, record)).length,
      );
      counts[template.key] = preview.count;
    }
    const empty = Object.entries(counts).filter(([, count]) => count === 0);
    expect(empty.length, JSON.stringify(counts)).toBeLessThanOrEqual(3);
  });
});
