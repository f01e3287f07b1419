/**
 * The per-shop lock a full recompute holds for its transaction, and the incremental rescoring's
 * write for its statement (shared, and only if it is free), so a rescoring never lands between
 * a recompute's read and its write: a recompute waits for the write under way, and a write
 * during a recompute stores nothing (its customers are rescored after it).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

/** Lock namespace for pg_advisory_xact_lock(namespace, shop id). */
const METRICS_LOCK = 7301;

/**
 * An SQL boolean that takes the lock in shared mode for the transaction if no one holds it
 * exclusively; `shop` is an SQL integer expression (a placeholder).
 */
export function tryLockShopSharedSql(shop: string): string {
  return `pg_try_advisory_xact_lock_shared(${METRICS_LOCK}, ${shop})`;
}

/** The statement that takes the lock; `shopId` is checked to be an integer before it is inlined. */
function lockShopSql(shopId: number): string {
  if (!Number.isSafeInteger(shopId)) throw new Error(`shop id must be an integer, got ${shopId}`);
  return `SELECT pg_advisory_xact_lock(${METRICS_LOCK}, ${shopId})`;
}

export async function lockShop(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.exec(lockShopSql(shopId));
}
