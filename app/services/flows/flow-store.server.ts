/**
 * Flows as the merchant manages them: created from a template, steps edited (each edit is a new
 * version; customers already in a flow continue on the version they entered with), turned on
 * and off, and listed with how many customers reached each step.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import {
  flowStepsSchema,
  flowTriggerCheckedSchema,
  flowTriggerSchema,
  type FlowStep,
  type FlowTrigger,
} from "./flow-definition";
import { FLOW_TEMPLATES, type FlowTemplateKey } from "./flow-templates";

export interface FlowSummary {
  id: bigint;
  name: string;
  templateKey: string | null;
  status: "draft" | "active" | "paused";
  trigger: FlowTrigger;
  exitOnOrder: boolean;
  version: number;
  steps: FlowStep[];
  entered: number;
  /** Customers whose next step is queued (waiting or about to run). */
  inFlow: number;
  exited: number;
  finished: number;
  /** Customers whose run ended because a step failed on every retry (retries_exhausted). */
  failed: number;
  /** Per step of the current version: how many got it, by outcome. */
  stepCounts: Array<{ sent: number; skipped: number; failed: number; waiting: number }>;
}

/** Creates a flow (turned off) from a template; a second one gets a numbered name. */
export async function createFlowFromTemplate(
  sql: SqlClient,
  shopId: number,
  key: FlowTemplateKey,
): Promise<bigint> {
  const template = FLOW_TEMPLATES[key];
  return sql.transaction(async (tx) => {
    const { rows: taken } = await tx.query<{ name: string }>(
      `SELECT name FROM message_flow WHERE shop_id = $1 AND name LIKE $2 || '%'`,
      [shopId, template.name],
    );
    const names = new Set(taken.map((row) => row.name));
    let name = template.name;
    for (let n = 2; names.has(name); n += 1) name = `${template.name} ${n}`;
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO message_flow (shop_id, name, template_key, trigger, exit_on_order, status,
                                 current_version)
       VALUES ($1, $2, $3, $4::jsonb, $5, 'draft', 1) RETURNING id::text`,
      [shopId, name, key, JSON.stringify(template.trigger), template.exitOnOrder],
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new Error("the flow insert returned no row");
    await tx.query(
      `INSERT INTO message_flow_version (shop_id, flow_id, version, steps) VALUES ($1, $2, 1, $3::jsonb)`,
      [shopId, id, JSON.stringify(template.steps)],
    );
    return BigInt(id);
  });
}

/** Saves new steps as the flow's next version; returns its number. */
export async function saveFlowSteps(
  sql: SqlClient,
  shopId: number,
  flowId: bigint,
  steps: unknown,
): Promise<number> {
  const parsed = flowStepsSchema.safeParse(steps);
  if (!parsed.success)
    throw new InvalidInputError("The steps are not valid: " + parsed.error.message);
  return sql.transaction(async (tx) => {
    const { rows } = await tx.query<{ version: number }>(
      `UPDATE message_flow SET current_version = current_version + 1, updated_at = now()
       WHERE shop_id = $1 AND id = $2 RETURNING current_version AS version`,
      [shopId, flowId.toString()],
    );
    const version = rows[0]?.version;
    if (version === undefined) throw new NotFoundError(`No flow ${flowId}`);
    await tx.query(
      `INSERT INTO message_flow_version (shop_id, flow_id, version, steps) VALUES ($1, $2, $3, $4::jsonb)`,
      [shopId, flowId.toString(), version, JSON.stringify(parsed.data)],
    );
    return version;
  });
}

/**
 * Saves a flow's trigger settings (its delays, thresholds, stage). The kind of trigger stays
 * the template's: a welcome flow does not become a win-back. Customers already in the flow go on.
 */
export async function saveFlowTrigger(
  sql: SqlQueryable,
  shopId: number,
  flowId: bigint,
  trigger: unknown,
): Promise<void> {
  const parsed = flowTriggerCheckedSchema.safeParse(trigger);
  if (!parsed.success)
    throw new InvalidInputError("The trigger is not valid: " + parsed.error.message);
  // The flow keeps its trigger when the kind differs; what it has then says so.
  const { rows } = await sql.query<{ kind: string }>(
    `UPDATE message_flow
     SET trigger = CASE WHEN trigger->>'type' = $4 THEN $3::jsonb ELSE trigger END,
         updated_at = now()
     WHERE shop_id = $1 AND id = $2 RETURNING trigger->>'type' AS kind`,
    [shopId, flowId.toString(), JSON.stringify(parsed.data), parsed.data.type],
  );
  const kind = rows[0]?.kind;
  if (kind === undefined) throw new NotFoundError(`No flow ${flowId}`);
  if (kind !== parsed.data.type)
    throw new InvalidInputError(`A ${kind} flow cannot take a ${parsed.data.type} trigger`);
}

/**
 * The editor's save: the trigger's settings and the steps, each when given, both checked before
 * either is written so an invalid half saves nothing.
 */
export async function saveFlowEdits(
  sql: SqlClient,
  shopId: number,
  flowId: bigint,
  edits: { trigger?: unknown; steps?: unknown },
): Promise<void> {
  for (const [schema, value] of [
    [flowTriggerCheckedSchema, edits.trigger],
    [flowStepsSchema, edits.steps],
  ] as const) {
    if (value !== undefined && !schema.safeParse(value).success)
      throw new InvalidInputError("The flow's changes are not valid");
  }
  if (edits.trigger !== undefined) await saveFlowTrigger(sql, shopId, flowId, edits.trigger);
  if (edits.steps !== undefined) await saveFlowSteps(sql, shopId, flowId, edits.steps);
}

/**
 * Turns a flow on or off. Turning on starts counting trigger events from now: what happened
 * while it was off does not flood in.
 */
export async function setFlowActive(
  sql: SqlQueryable,
  shopId: number,
  flowId: bigint,
  active: boolean,
  now: Date = new Date(),
): Promise<void> {
  const { rows } = await sql.query(
    `UPDATE message_flow
     SET status = $3, updated_at = now(),
         activated_at = CASE WHEN $3 = 'active' THEN $4::timestamptz AT TIME ZONE 'UTC'
                             ELSE activated_at END
     WHERE shop_id = $1 AND id = $2 RETURNING 1`,
    [shopId, flowId.toString(), active ? "active" : "paused", now.toISOString()],
  );
  if (rows.length === 0) throw new NotFoundError(`No flow ${flowId}`);
}

/** One flow with its counts, or null when the shop has no such flow. */
export async function getFlow(
  sql: SqlQueryable,
  shopId: number,
  flowId: bigint,
): Promise<FlowSummary | null> {
  return (await listFlows(sql, shopId)).find((flow) => flow.id === flowId) ?? null;
}

/** The shop's flows with their counts, newest first. */
export async function listFlows(sql: SqlQueryable, shopId: number): Promise<FlowSummary[]> {
  const { rows } = await sql.query<{
    id: string;
    name: string;
    template_key: string | null;
    status: FlowSummary["status"];
    trigger: unknown;
    exit_on_order: boolean;
    current_version: number;
    steps: unknown;
  }>(
    `SELECT f.id::text, f.name, f.template_key, f.status, f.trigger, f.exit_on_order,
            f.current_version, v.steps
     FROM message_flow f
     JOIN message_flow_version v
       ON v.shop_id = f.shop_id AND v.flow_id = f.id AND v.version = f.current_version
     WHERE f.shop_id = $1 ORDER BY f.id DESC`,
    [shopId],
  );
  const runs = await sql.query<{ flow_id: string; status: string; n: number }>(
    `SELECT flow_id::text, status, count(*)::int AS n FROM message_flow_run
     WHERE shop_id = $1 GROUP BY 1, 2`,
    [shopId],
  );
  const steps = await sql.query<{ flow_id: string; step_index: number; status: string; n: number }>(
    `SELECT flow_id::text, step_index, status, count(*)::int AS n FROM message_flow_step
     WHERE shop_id = $1 GROUP BY 1, 2, 3`,
    [shopId],
  );
  const waiting = await sql.query<{ flow_id: string; step_index: number; n: number }>(
    `SELECT flow_id::text, step_index, count(*)::int AS n FROM message_flow_run
     WHERE shop_id = $1 AND status = 'active' GROUP BY 1, 2`,
    [shopId],
  );
  return rows.map((row) => {
    const runCount = (status: string) =>
      runs.rows.find((r) => r.flow_id === row.id && r.status === status)?.n ?? 0;
    const flowSteps = flowStepsSchema.parse(row.steps);
    const stepCount = (index: number, statuses: string[]) =>
      steps.rows
        .filter(
          (r) => r.flow_id === row.id && r.step_index === index && statuses.includes(r.status),
        )
        .reduce((sum, r) => sum + r.n, 0);
    return {
      id: BigInt(row.id),
      name: row.name,
      templateKey: row.template_key,
      status: row.status,
      trigger: flowTriggerSchema.parse(row.trigger),
      exitOnOrder: row.exit_on_order,
      version: row.current_version,
      steps: flowSteps,
      entered: ["active", "done", "exited", "failed"].reduce((sum, s) => sum + runCount(s), 0),
      inFlow: runCount("active"),
      exited: runCount("exited"),
      finished: runCount("done"),
      failed: runCount("failed"),
      stepCounts: flowSteps.map((_, index) => ({
        sent: stepCount(index, ["done"]),
        skipped: stepCount(index, ["skipped"]),
        failed: stepCount(index, ["failed", "uncertain"]),
        waiting: waiting.rows.find((r) => r.flow_id === row.id && r.step_index === index)?.n ?? 0,
      })),
    };
  });
}
