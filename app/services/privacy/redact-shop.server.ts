import type { SqlQueryable } from "~/lib/database-adapter.server";
import { recordAuditEvent } from "./audit.server";
import { listShopScopedTables } from "./shop-tables.server";

/**
 * shop/redact (48 hours after uninstall): erase everything held for the shop, in every
 * table, then the shop row itself. Idempotent: a redelivery finds nothing left to delete.
 */
export async function redactShop(sql: SqlQueryable, shopDomain: string): Promise<number> {
  const { rows } = await sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
    shopDomain,
  ]);
  const shopId = rows[0]?.id;
  let removed = 0;
  for (const { table, column } of await listShopScopedTables(sql)) {
    if (column === "shop_id" && shopId === undefined) continue;
    const key = column === "shop_id" ? shopId : shopDomain;
    const result = await sql.query<{ n: string }>(
      `WITH gone AS (DELETE FROM "${table}" WHERE "${column}" = $1 RETURNING 1) SELECT count(*)::text AS n FROM gone`,
      [key],
    );
    removed += Number(result.rows[0]?.n ?? 0);
  }
  // Recorded while the shop row still gives the event its shop id.
  await recordAuditEvent(sql, shopDomain, "shop_redacted", { rowsRemoved: removed });
  await sql.query(`DELETE FROM shop WHERE domain = $1`, [shopDomain]);
  return removed;
}
