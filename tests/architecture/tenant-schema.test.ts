import { describe, expect, it } from "vitest";
import { UnscopedTenantQueryError } from "~/lib/shop-scope";
import { migratedTestDatabase } from "../helpers/test-database";
import type { SchemaModel } from "../helpers/schema-models";
import { hasShopId, isReferenceTable, MODELS, TENANT_MODELS } from "./tenant-tables";

/**
 * Issue 21: the schema is ready for a database distributed by shop (Citus, docs/scaling.md).
 * Each tenant table's primary and unique keys lead with shop_id, so they hold within one shop's
 * shard; its foreign keys to other tenant tables include shop_id, so they join shards of the
 * same shop; the few tables every shop shares are marked reference tables. Checked twice: in
 * prisma/schema.prisma, and in the database the migrations build (the catalog is the truth,
 * whatever the schema says).
 */

const { sql, prisma } = await migratedTestDatabase();

const SHOP_MODEL = "Shop";

/** What is wrong with a tenant model's keys and relations in the schema. */
function schemaProblems(model: SchemaModel): string[] {
  const problems: string[] = [];
  if (model.primaryKey[0] !== "shopId") {
    problems.push(`primary key (${model.primaryKey.join(", ")}) does not lead with shopId`);
  }
  for (const key of model.uniqueKeys) {
    if (key[0] !== "shopId")
      problems.push(`unique key (${key.join(", ")}) does not lead with shopId`);
  }
  for (const relation of model.relations) {
    const expected =
      relation.model === SHOP_MODEL
        ? relation.fields.join() === "shopId" && relation.references.join() === "id"
        : relation.fields[0] === "shopId" && relation.references[0] === "shopId";
    if (!expected) {
      problems.push(
        `relation to ${relation.model} (${relation.fields.join(", ")}) → (${relation.references.join(", ")}) does not pair shopId with shopId`,
      );
    }
  }
  return problems;
}

interface CatalogKey {
  table: string;
  name: string;
  columns: string[];
}

interface CatalogForeignKey extends CatalogKey {
  referencedTable: string;
  referencedColumns: string[];
}

/** Every unique index (primary keys included) of the migrated database, columns in order. */
async function catalogUniqueKeys(): Promise<CatalogKey[]> {
  const { rows } = await sql.query<CatalogKey>(
    `SELECT t.relname AS table, i.relname AS name,
            array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                  ORDER BY k.n) AS columns
     FROM pg_index x
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE ns.nspname = 'public' AND x.indisunique AND NOT t.relispartition
     ORDER BY 1, 2`,
  );
  return rows;
}

/** Every foreign key of the migrated database, columns paired in order. */
async function catalogForeignKeys(): Promise<CatalogForeignKey[]> {
  const { rows } = await sql.query<CatalogForeignKey>(
    `SELECT t.relname AS table, c.conname AS name, r.relname AS "referencedTable",
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                  ORDER BY k.n) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
                  ORDER BY k.n) AS "referencedColumns"
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class r ON r.oid = c.confrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE ns.nspname = 'public' AND c.contype = 'f' AND NOT t.relispartition
     ORDER BY 1, 2`,
  );
  return rows;
}

/** The tables the migrations create (partitions belong to their parent). */
async function catalogTables(): Promise<string[]> {
  const { rows } = await sql.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> '_prisma_migrations'
     ORDER BY 1`,
  );
  return rows.map((row) => row.table);
}

const tenantTables = () => new Set(TENANT_MODELS.map((model) => model.table));
const referenceTables = () => new Set(MODELS.filter(isReferenceTable).map((model) => model.table));

describe("the Prisma schema", () => {
  it("makes every model a tenant table (shop_id) or a marked reference table", () => {
    const unclassified = MODELS.filter(
      (model) => !hasShopId(model) && !isReferenceTable(model),
    ).map((model) => model.table);
    expect(unclassified).toEqual([]);
    const both = MODELS.filter((model) => hasShopId(model) && isReferenceTable(model));
    expect(both.map((model) => model.table)).toEqual([]);
  });

  it("leads every tenant table's primary and unique keys with shopId and pairs its foreign keys on it", () => {
    const problems = TENANT_MODELS.flatMap((model) =>
      schemaProblems(model).map((problem) => `${model.table}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("finds what it checks for (a wrong key and a cross-shop foreign key are reported)", () => {
    const wrong: SchemaModel = {
      name: "Wrong",
      table: "wrong",
      doc: [],
      fields: [],
      primaryKey: ["id"],
      uniqueKeys: [["runId", "shopId"]],
      relations: [{ model: "WinbackRun", fields: ["runId"], references: ["id"] }],
    };
    expect(schemaProblems(wrong)).toHaveLength(3);
  });
});

describe("the migrated database", () => {
  it("has exactly the schema's tables", async () => {
    expect(await catalogTables()).toEqual(MODELS.map((model) => model.table).sort());
  });

  it("leads every unique index of a tenant table with shop_id", async () => {
    const tenant = tenantTables();
    const keys = (await catalogUniqueKeys()).filter((key) => tenant.has(key.table));
    expect(keys.length).toBeGreaterThanOrEqual(tenant.size);
    const problems = keys
      .filter((key) => key.columns[0] !== "shop_id")
      .map((key) => `${key.table}.${key.name} (${key.columns.join(", ")})`);
    expect(problems).toEqual([]);
  });

  it("has no foreign key across shops, and none from a reference table to a tenant table", async () => {
    const tenant = tenantTables();
    const reference = referenceTables();
    const foreignKeys = await catalogForeignKeys();
    const problems = foreignKeys
      .filter((key) => {
        if (reference.has(key.table)) return tenant.has(key.referencedTable);
        if (!tenant.has(key.table)) return false;
        if (key.referencedTable === "shop") {
          return key.columns.join() !== "shop_id" || key.referencedColumns.join() !== "id";
        }
        const shopAt = key.columns.indexOf("shop_id");
        return shopAt < 0 || key.referencedColumns[shopAt] !== "shop_id";
      })
      .map((key) => `${key.table}.${key.name} → ${key.referencedTable}`);
    expect(problems).toEqual([]);
    // The composite keys between tenant tables are there to be checked.
    expect(foreignKeys.map((key) => key.name)).toEqual(
      expect.arrayContaining([
        "order_line_shop_id_order_id_fkey",
        "variant_shop_id_product_id_fkey",
      ]),
    );
  });
});

describe("the app's Prisma client outside production", () => {
  const delegate = (model: SchemaModel) =>
    (prisma as unknown as Record<string, { findFirst(args: object): Promise<unknown> }>)[
      model.name.charAt(0).toLowerCase() + model.name.slice(1)
    ];

  it("refuses an operation on any tenant model that does not name its shop", async () => {
    for (const model of TENANT_MODELS) {
      await expect(delegate(model)?.findFirst({ where: {} }), model.name).rejects.toThrow(
        UnscopedTenantQueryError,
      );
      await expect(delegate(model)?.findFirst({ where: { shopId: -1 } })).resolves.toBeNull();
    }
  });

  it("lets reference tables be read without a shop", async () => {
    for (const model of MODELS.filter(isReferenceTable)) {
      await expect(delegate(model)?.findFirst({ where: {} }), model.name).resolves.toBeDefined();
    }
  });
});
