/**
 * Saving, reading and starting/stopping a shop's win-back rules. Everything is checked before
 * it is written: the config against its schema, the audience text with the segment language,
 * and a segment trigger against the shop's segments.
 */
import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import { fieldMessages } from "~/i18n/field-message";
import { message, type Message } from "~/i18n/message";
import { validateEmailTemplate } from "~/services/email/render-template";
import { parseSegment, printSegment, SegmentError } from "~/services/segments/language";
import { ruleConfigSchema, type RuleConfig, type RuleStatus } from "./rule-config";

export interface StoredRule {
  id: bigint;
  shopId: number;
  name: string;
  status: RuleStatus;
  config: RuleConfig;
  activatedAt: Date | null;
  lastRunAt: Date | null;
  /**
   * Why the last run failed, for the merchant: a ruleFailures.* key (or a plan limit's) and its
   * values; null once a run succeeds.
   */
  lastError: Message | null;
  /** After a failure, the next attempt is not before this. */
  retryAt: Date | null;
  updatedAt: Date;
}

/** A rule form that failed validation: messages keyed by the field path ("actions.discount.value"). */
export class RuleValidationError extends InvalidInputError {
  constructor(readonly fieldErrors: Record<string, Message>) {
    super(`The rule is not valid: ${Object.keys(fieldErrors).join(", ")}`);
  }
}

const NAME_MAX = 80;

interface RuleRow {
  id: string;
  shop_id: number;
  name: string;
  status: RuleStatus;
  config: unknown;
  activated_at: string | null;
  last_run_at: string | null;
  last_error: Message | null;
  retry_at: string | null;
  updated_at: string;
}

const RULE_COLUMNS = `id::text, shop_id, name, status, config,
  to_char(activated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS activated_at,
  to_char(last_run_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_run_at, last_error,
  to_char(retry_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS retry_at,
  to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

const date = (value: string | null) => (value === null ? null : new Date(value));

function ruleFromRow(row: RuleRow): StoredRule {
  return {
    id: BigInt(row.id),
    shopId: row.shop_id,
    name: row.name,
    status: row.status,
    config: ruleConfigSchema.parse(row.config),
    activatedAt: date(row.activated_at),
    lastRunAt: date(row.last_run_at),
    lastError: row.last_error,
    retryAt: date(row.retry_at),
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * The config, parsed and normalised (canonical audience text), or every problem by field.
 * Exported so a dry run can check the form as it stands with saveRule's rules, writing nothing.
 */
export async function checkRuleConfig(
  sql: SqlQueryable,
  shopId: number,
  input: unknown,
): Promise<RuleConfig> {
  const parsed = ruleConfigSchema.safeParse(input);
  if (!parsed.success) throw new RuleValidationError(fieldMessages(parsed.error.issues, "config"));
  const errors: Record<string, Message> = {};
  const config = parsed.data;
  if (config.audience !== "") {
    try {
      config.audience = printSegment(parseSegment(config.audience).ast);
    } catch (error) {
      if (!(error instanceof SegmentError)) throw error;
      // The segment language explains itself in its own words (not yet translated).
      errors.audience = message("common.verbatim", { text: error.message });
    }
  }
  if (config.trigger.kind === "segment_entered") {
    const { rows } = await sql.query(`SELECT 1 FROM segment WHERE shop_id = $1 AND id = $2`, [
      shopId,
      config.trigger.segmentId,
    ]);
    if (rows.length === 0) errors["trigger.segmentId"] = message("fieldErrors.chooseSegment");
  }
  if (config.actions.offer && !config.actions.discount && config.actions.offer.text === "") {
    errors["actions.offer.text"] = message("fieldErrors.offerNeedsText");
  }
  if (config.actions.email) {
    for (const error of validateEmailTemplate(config.actions.email)) {
      errors[`actions.email.${error.field}`] ??= error.problem;
    }
  }
  if (Object.keys(errors).length > 0) throw new RuleValidationError(errors);
  return config;
}

const nameSchema = z.string().trim().min(1).max(NAME_MAX);

/** Creates or updates a rule (a new rule starts as a draft). */
export async function saveRule(
  sql: SqlQueryable,
  shopId: number,
  input: { id?: bigint; name: string; config: unknown },
): Promise<StoredRule> {
  if (input.id !== undefined && !(await getRule(sql, shopId, input.id))) {
    throw new NotFoundError("That rule does not exist");
  }
  const name = nameSchema.safeParse(input.name);
  if (!name.success) {
    throw new RuleValidationError({
      name: message("fieldErrors.nameLength", { max: NAME_MAX }),
    });
  }
  const config = await checkRuleConfig(sql, shopId, input.config);
  const duplicate = await sql.query(
    `SELECT 1 FROM winback_rule WHERE shop_id = $1 AND name = $2 AND id IS DISTINCT FROM $3::bigint`,
    [shopId, name.data, input.id?.toString() ?? null],
  );
  if (duplicate.rows.length > 0) {
    throw new RuleValidationError({
      name: message("fieldErrors.ruleNameTaken", { name: name.data }),
    });
  }
  const { rows } = input.id
    ? await sql.query<RuleRow>(
        `UPDATE winback_rule SET name = $3, config = $4::jsonb, updated_at = now() AT TIME ZONE 'UTC'
         WHERE shop_id = $1 AND id = $2 RETURNING ${RULE_COLUMNS}`,
        [shopId, input.id.toString(), name.data, JSON.stringify(config)],
      )
    : await sql.query<RuleRow>(
        `INSERT INTO winback_rule (shop_id, name, config) VALUES ($1, $2, $3::jsonb)
         RETURNING ${RULE_COLUMNS}`,
        [shopId, name.data, JSON.stringify(config)],
      );
  const row = rows[0];
  if (!row) throw new NotFoundError("That rule does not exist");
  return ruleFromRow(row);
}

export async function getRule(
  sql: SqlQueryable,
  shopId: number,
  id: bigint,
): Promise<StoredRule | null> {
  const { rows } = await sql.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM winback_rule WHERE shop_id = $1 AND id = $2`,
    [shopId, id.toString()],
  );
  const row = rows[0];
  return row ? ruleFromRow(row) : null;
}

export async function listRules(sql: SqlQueryable, shopId: number): Promise<StoredRule[]> {
  const { rows } = await sql.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM winback_rule WHERE shop_id = $1 ORDER BY name`,
    [shopId],
  );
  return rows.map(ruleFromRow);
}

/**
 * Starts or stops a rule. Starting sets the moment event triggers count from, so switching a
 * rule on never acts on segment entries or stage moves from before it was on.
 */
export async function setRuleStatus(
  sql: SqlQueryable,
  shopId: number,
  id: bigint,
  status: RuleStatus,
  now = new Date(),
): Promise<StoredRule> {
  const { rows } = await sql.query<RuleRow>(
    `UPDATE winback_rule
     SET status = $3,
         activated_at = CASE WHEN $3 = 'active' AND status <> 'active'
                             THEN $4::timestamptz AT TIME ZONE 'UTC' ELSE activated_at END,
         updated_at = now() AT TIME ZONE 'UTC'
     WHERE shop_id = $1 AND id = $2 RETURNING ${RULE_COLUMNS}`,
    [shopId, id.toString(), status, now.toISOString()],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError("That rule does not exist");
  return ruleFromRow(row);
}

/** Deletes a rule that never acted; one with history can only be paused (its audit stays). */
export async function deleteRule(sql: SqlQueryable, shopId: number, id: bigint): Promise<void> {
  const { rows } = await sql.query(
    `DELETE FROM winback_rule r WHERE r.shop_id = $1 AND r.id = $2
       AND NOT EXISTS (SELECT 1 FROM winback_run x WHERE x.shop_id = r.shop_id AND x.rule_id = r.id)
     RETURNING 1`,
    [shopId, id.toString()],
  );
  if (rows.length > 0) return;
  if (!(await getRule(sql, shopId, id))) throw new NotFoundError("That rule does not exist");
  throw new InvalidInputError("A rule that has run keeps its history: pause it instead");
}

/** Asks the scheduler to run an active rule on its next pass instead of waiting for its slot. */
export async function requestRuleRun(sql: SqlQueryable, shopId: number, ruleId: bigint) {
  const { rows } = await sql.query(
    `UPDATE winback_rule SET last_run_at = NULL WHERE shop_id = $1 AND id = $2 AND status = 'active'
     RETURNING 1`,
    [shopId, ruleId.toString()],
  );
  if (rows.length === 0 && !(await getRule(sql, shopId, ruleId))) {
    throw new NotFoundError("That rule does not exist");
  }
}
