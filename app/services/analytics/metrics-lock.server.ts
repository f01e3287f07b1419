/**
 * The per-shop lock a full recompute and an incremental refresh each hold for their transaction,
 * so a refresh never interleaves with a recompute's read and write and overwrites newer numbers
 * with older ones.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

/** Lock namespace for pg_advisory_xact_lock(namespace, shop id). */
const METRICS_LOCK = 7301;

/** The statement that takes the lock; `shopId` is checked to be an integer before it is inlined. */
export function lockShopSql(shopId: number): string {
  if (!Number.isSafeInteger(shopId)) throw new Error(`shop id must be an integer, got ${shopId}`);
  return `SELECT pg_advisory_xact_lock(${METRICS_LOCK}, ${shopId})`;
}

export async function lockShop(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.exec(lockShopSql(shopId));
}
