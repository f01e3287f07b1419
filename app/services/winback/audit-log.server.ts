/**
 * The win-back audit log: every action for every customer, readable per rule (paged, newest
 * first, filterable by status) and per customer (all rules). Built on the action rows the
 * executor writes, so the log cannot disagree with what was done.
 */
import type { Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";

export interface AuditEntry {
  actionId: string;
  ruleId: string;
  ruleName: string;
  runId: string;
  customerId: string;
  customerName: string | null;
  kind: string;
  status: string;
  detail: Record<string, unknown>;
  error: Message | null;
  at: string;
}

export interface RunSummary {
  runId: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number>;
}

interface AuditRow {
  id: string;
  rule_id: string;
  rule_name: string;
  run_id: string;
  customer_id: string;
  first_name: string | null;
  last_name: string | null;
  kind: string;
  status: string;
  detail: Record<string, unknown>;
  error: Message | null;
  at: string;
}

const AUDIT_SELECT = `
  SELECT a.id::text, a.rule_id::text, r.name AS rule_name, a.run_id::text, a.customer_id::text,
         c.first_name, c.last_name, a.kind, a.status, a.detail, a.error,
         to_char(a.updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
  FROM winback_action a
  JOIN winback_rule r ON r.shop_id = a.shop_id AND r.id = a.rule_id
  LEFT JOIN customer c ON c.shop_id = a.shop_id AND c.id = a.customer_id`;

const toEntry = (row: AuditRow): AuditEntry => ({
  actionId: row.id,
  ruleId: row.rule_id,
  ruleName: row.rule_name,
  runId: row.run_id,
  customerId: row.customer_id,
  customerName: displayName(row.first_name, row.last_name),
  kind: row.kind,
  status: row.status,
  detail: row.detail,
  error: row.error,
  at: row.at,
});

export const AUDIT_PAGE_SIZE = 50;

/** One page of a rule's actions, newest first; `status` narrows to one outcome. */
export async function listRuleActions(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
  options: { page?: number; status?: string } = {},
): Promise<{ entries: AuditEntry[]; hasNext: boolean }> {
  const page = Math.max(1, options.page ?? 1);
  const { rows } = await sql.query<AuditRow>(
    `${AUDIT_SELECT}
     WHERE a.shop_id = $1 AND a.rule_id = $2 AND ($3::text IS NULL OR a.status = $3)
     ORDER BY a.updated_at DESC, a.id DESC LIMIT $4 OFFSET $5`,
    [
      shopId,
      ruleId.toString(),
      options.status ?? null,
      AUDIT_PAGE_SIZE + 1,
      (page - 1) * AUDIT_PAGE_SIZE,
    ],
  );
  return {
    entries: rows.slice(0, AUDIT_PAGE_SIZE).map(toEntry),
    hasNext: rows.length > AUDIT_PAGE_SIZE,
  };
}

/** Everything any rule did to one customer, and when they were held back, newest first. */
export async function listCustomerActions(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
): Promise<{ actions: AuditEntry[]; heldBack: Array<{ ruleName: string; at: string }> }> {
  const [actions, held] = await Promise.all([
    sql.query<AuditRow>(
      `${AUDIT_SELECT}
       WHERE a.shop_id = $1 AND a.customer_id = $2
       ORDER BY a.updated_at DESC, a.id DESC LIMIT 200`,
      [shopId, customerId.toString()],
    ),
    sql.query<{ rule_name: string; at: string }>(
      `SELECT r.name AS rule_name, to_char(t.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM winback_target t JOIN winback_rule r ON r.shop_id = t.shop_id AND r.id = t.rule_id
       WHERE t.shop_id = $1 AND t.customer_id = $2 AND t.holdout
       ORDER BY t.created_at DESC LIMIT 50`,
      [shopId, customerId.toString()],
    ),
  ]);
  return {
    actions: actions.rows.map(toEntry),
    heldBack: held.rows.map((row) => ({ ruleName: row.rule_name, at: row.at })),
  };
}

/** A rule's latest runs with their counts. */
export async function listRuleRuns(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
  limit = 20,
): Promise<RunSummary[]> {
  const { rows } = await sql.query<{
    id: string;
    status: string;
    started_at: string;
    finished_at: string | null;
    counts: Record<string, number>;
  }>(
    `SELECT id::text, status, counts,
            to_char(started_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at,
            to_char(finished_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished_at
     FROM winback_run WHERE shop_id = $1 AND rule_id = $2 ORDER BY id DESC LIMIT $3`,
    [shopId, ruleId.toString(), limit],
  );
  return rows.map((row) => ({
    runId: row.id,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: row.counts,
  }));
}
