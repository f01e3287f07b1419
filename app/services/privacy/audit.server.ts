import type { SqlQueryable } from "~/lib/database-adapter.server";

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
    `INSERT INTO audit_event (shop_domain, kind, detail) VALUES ($1, $2, $3::jsonb)`,
    [shopDomain, kind, JSON.stringify(detail)],
  );
}
