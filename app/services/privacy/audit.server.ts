import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { PartitionedTable } from "~/lib/partitions/partitioned-table";

/**
 * The trail is kept two years (it is the record that privacy requests were acted on), in one
 * partition a month; older months are dropped whole by the "event-partitions" job.
 */
export const AUDIT_PARTITIONS: PartitionedTable = {
  table: "audit_event",
  column: "created_at",
  period: "month",
  aheadPeriods: 2,
  retainedPeriods: 24,
};

/**
 * Audit trail of privacy and lifecycle actions. `detail` holds counts and request ids only,
 * never a name, email, address or customer id, so the trail itself needs no redaction.
 */
export async function recordAuditEvent(
  sql: SqlQueryable,
  shopDomain: string,
  kind: string,
  detail: Record<string, number | string | boolean>,
): Promise<void> {
  await sql.query(
    `INSERT INTO audit_event (shop_id, shop_domain, kind, detail)
     VALUES (coalesce((SELECT id FROM shop WHERE domain = $1), 0), $1, $2, $3::jsonb)`,
    [shopDomain, kind, JSON.stringify(detail)],
  );
}
