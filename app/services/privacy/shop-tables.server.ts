import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface ShopScopedTable {
  table: string;
  /** shop_id (the app's shop key) or shop_domain / shop (the myshopify domain). */
  column: "shop_id" | "shop_domain" | "shop";
}

/**
 * Every table that holds shop data, read from the catalog rather than listed by hand, so a
 * table added by a later feature is erased on shop/redact without anyone remembering to. A
 * partitioned table is listed once, not with each of its partitions.
 */
export async function listShopScopedTables(sql: SqlQueryable): Promise<ShopScopedTable[]> {
  const { rows } = await sql.query<{ table_name: string; column_name: ShopScopedTable["column"] }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name IN ('shop_id', 'shop_domain', 'shop')
       AND table_name NOT IN ('shop', 'audit_event', '_prisma_migrations')
       AND NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relname = table_name AND c.relispartition)
     ORDER BY table_name`,
  );
  return rows.map((row) => ({ table: row.table_name, column: row.column_name }));
}
