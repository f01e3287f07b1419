import { describe, expect, it } from "vitest";
import { listPartitions, maintainPartitions } from "~/lib/partitions/partition-maintenance.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { AUDIT_PARTITIONS, recordAuditEvent } from "./audit.server";

const { sql } = await migratedTestDatabase();

describe("audit trail", () => {
  it("keeps the audit trail in months: the coming ones made ahead, those past two years dropped", async () => {
    await truncateAppTables();
    // GIVEN the job having run 25 months ago, and an audit event recorded now
    const now = new Date();
    const then = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 25, 15));
    const early = await maintainPartitions(sql, [AUDIT_PARTITIONS], then);
    expect(early.created).toHaveLength(3);
    await recordAuditEvent(sql, "audit.myshopify.com", "customer_redacted", { rows: 1 });
    // WHEN it runs now
    const changes = await maintainPartitions(sql, [AUDIT_PARTITIONS], now);
    // THEN this month and the two after it are made, the month 25 months back is dropped,
    // those 24 and 23 months back are kept, and the event is in this month's partition
    expect(changes.created).toHaveLength(3);
    expect(changes.dropped).toEqual([early.created[0]]);
    expect(await listPartitions(sql, "audit_event")).toEqual(
      expect.arrayContaining([early.created[1], early.created[2], ...changes.created]),
    );
    const { rows } = await sql.query<{ shop_id: number; kind: string; partition: string }>(
      `SELECT shop_id, kind, tableoid::regclass::text AS partition FROM audit_event`,
    );
    expect(rows).toEqual([
      { shop_id: 0, kind: "customer_redacted", partition: changes.created[0] },
    ]);
  });
});
