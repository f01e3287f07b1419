/**
 * Carrying out a planned run. Every action row is the record of what happened to one customer
 * (the audit log) and the guard against doing it twice:
 * - discount, offer, tags: repeatable (deterministic code, overwrite, set semantics), so a
 *   crash between the call and the bookkeeping only repeats a harmless call;
 * - email, Flow: not repeatable, so the row is claimed (`sending`) and committed before the
 *   call; a row still `sending` after a crash, or a call that failed when it may already have
 *   gone out (the connection lost after the email was handed over), is `uncertain` and never
 *   made again. At most once.
 * A temporary failure (network, Shopify throttling beyond patience, an SMTP 4xx, a mail server
 * that could not be reached) sets the action `retrying`: it is tried again after a backoff that
 * grows with each attempt, and fails after MAX_ATTEMPTS. A refusal (userErrors, SMTP 5xx)
 * fails it at once, with the reason.
 * An email may also wait for a better moment (send-slot.server.ts: the shop's quiet hours, the
 * customer's best hour): it stays `pending` with a `retry_at`, and the target's later actions
 * wait with it; or be skipped by the frequency cap across flows and win-back.
 */
import { message, type Message } from "~/i18n/message";
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { ShopifyUserError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { featureRefusal, shopEntitlement } from "~/services/billing/entitlement.server";
import { failureReason } from "~/services/email/failure-reason";
import { suppressedSkip, suppressionReason } from "~/services/email/suppression.server";
import { resolveSendSlot } from "~/services/send-timing/send-slot.server";
import { discountExpiry, discountText } from "./discount-text";
import type { ActionKind } from "./plan-run.server";
import { ruleConfigSchema, type RuleConfig } from "./rule-config";
import {
  changeCustomerTags,
  createCustomerDiscount,
  setOfferMetafield,
  type ShopifyActionContext,
} from "./shopify-actions.server";

export interface WinbackEmail {
  shopId: number;
  ruleId: bigint;
  ruleName: string;
  customerId: bigint;
  to: string;
  firstName: string | null;
  template: { subject: string; body: string };
  code: string | null;
  discountText: string;
  expiresAt: Date | null;
  /** Deterministic, so a relay that saw it already can drop a repeat. */
  messageId: string;
}

export interface FlowEvent {
  customerId: bigint;
  ruleId: bigint;
  ruleName: string;
  code: string | null;
  discountText: string;
  expiresAt: Date | null;
  lifecycleStage: string | null;
}

/** A failure the next pass may get past (as opposed to a refusal), with its reason if known. */
export class TemporaryActionError extends Error {
  readonly reason?: Message;
  constructor(text: string, options?: ErrorOptions & { reason?: Message }) {
    super(text, options);
    this.reason = options?.reason;
  }
}

/** The outside world a run acts on; injected so tests and benchmarks can watch it. */
export interface RunEffects extends ShopifyActionContext {
  /** Sends one email; throws TemporaryActionError for a retryable failure. */
  sendEmail(email: WinbackEmail): Promise<{ messageId: string }>;
  emitFlow(event: FlowEvent): Promise<void>;
}

export interface ExecuteOptions {
  now?: () => Date;
  /** Targets loaded per batch. */
  batchTargets?: number;
  /** Targets worked on at once (each target's actions run in order). */
  concurrency?: number;
  /** A `sending` row older than this belongs to a process that died mid-call. */
  sendingStaleMs?: number;
  shouldContinue?: () => boolean;
}

export interface ExecuteReport {
  done: number;
  skipped: number;
  failed: number;
  /** One-shot calls that may or may not have happened; never repeated. */
  uncertain: number;
  /** Actions deferred after a temporary failure. */
  retrying: number;
  /** Emails waiting for the end of quiet hours or the customer's best hour. */
  deferred: number;
  /** True when nothing is left to do and the run is closed. */
  finished: boolean;
}

const MAX_ATTEMPTS = 5;
/** Wait before the first retry; each further one waits four times longer (1, 4, 16, 64 min). */
const RETRY_BASE_MS = 60_000;

/** When an action that has failed `attempts` times (this one included) is tried again. */
export function retryAt(attempts: number, now: Date): Date {
  return new Date(now.getTime() + RETRY_BASE_MS * 4 ** Math.max(0, attempts - 1));
}

/** Statuses an action can be worked on from (a `retrying` one once its time has come). */
const RUNNABLE = ["pending", "retrying"];

interface ActionRow {
  id: string;
  target_id: string;
  customer_id: string;
  kind: ActionKind;
  status: string;
  attempts: number;
  /** Set on a retrying action, and on an email that waits for its moment. */
  retry_at: Date | null;
  discount_code: string | null;
  chosen_at: string;
  email: string | null;
  first_name: string | null;
  consent: string | null;
  deleted: boolean;
  stage: string | null;
}

interface RunContext {
  runId: bigint;
  shopId: number;
  ruleId: bigint;
  ruleName: string;
  config: RuleConfig;
  timeZone: string;
  /** What the rule's code gives, in the shop's currency: the same for every target. */
  discountText: string;
}

type Outcome =
  | { status: "done" | "skipped"; detail: Record<string, unknown> }
  | { status: "deferred"; until: Date; detail: Record<string, unknown> }
  | { status: "failed" | "uncertain"; error: Message; detail?: Record<string, unknown> };

/** Actions that must not be repeated when their outcome is in doubt. */
const ONE_SHOT: ReadonlySet<ActionKind> = new Set(["email", "flow"]);

async function loadRunContext(
  sql: SqlQueryable,
  shopId: number,
  runId: bigint,
): Promise<RunContext | null> {
  const { rows } = await sql.query<{
    shop_id: number;
    rule_id: string;
    name: string;
    config: unknown;
    currency: string;
    time_zone: string;
  }>(
    `SELECT x.shop_id, x.rule_id::text, r.name, r.config, s.currency,
            s.iana_timezone AS time_zone
     FROM winback_run x JOIN winback_rule r ON r.shop_id = x.shop_id AND r.id = x.rule_id
       JOIN shop s ON s.id = x.shop_id
     WHERE x.shop_id = $2 AND x.id = $1`,
    [runId.toString(), shopId],
  );
  const row = rows[0];
  if (!row) return null;
  const config = ruleConfigSchema.parse(row.config);
  const { discount } = config.actions;
  return {
    runId,
    shopId: row.shop_id,
    ruleId: BigInt(row.rule_id),
    ruleName: row.name,
    config,
    timeZone: row.time_zone,
    discountText: discount ? discountText(discount, row.currency) : "",
  };
}

async function record(sql: SqlQueryable, shopId: number, id: string, outcome: Outcome, now: Date) {
  await sql.query(
    `UPDATE winback_action
     SET status = $2, detail = $3::jsonb, error = $4::jsonb, attempts = attempts + 1,
         updated_at = $5::timestamptz AT TIME ZONE 'UTC'
     WHERE shop_id = $6 AND id = $1`,
    [
      id,
      outcome.status,
      JSON.stringify(outcome.detail ?? {}),
      "error" in outcome ? JSON.stringify(outcome.error) : null,
      now.toISOString(),
      shopId,
    ],
  );
}

/**
 * After a temporary failure: `retrying` after a backoff, or `failed` once MAX_ATTEMPTS calls
 * have failed. Returns the status it was given.
 */
async function deferAction(
  sql: SqlQueryable,
  shopId: number,
  action: ActionRow,
  error: unknown,
  now: Date,
): Promise<"retrying" | "failed"> {
  const reason = failureReason(error);
  const attempts = action.attempts + 1;
  const givingUp = attempts >= MAX_ATTEMPTS;
  await sql.query(
    `UPDATE winback_action
     SET status = $3, attempts = $4, error = $2::jsonb,
         retry_at = $5::timestamptz AT TIME ZONE 'UTC',
         updated_at = $6::timestamptz AT TIME ZONE 'UTC'
     WHERE shop_id = $7 AND id = $1`,
    [
      action.id,
      JSON.stringify(givingUp ? { ...reason, values: { ...reason.values, attempts } } : reason),
      givingUp ? "failed" : "retrying",
      attempts,
      givingUp ? null : retryAt(attempts, now).toISOString(),
      now.toISOString(),
      shopId,
    ],
  );
  return givingUp ? "failed" : "retrying";
}

/** Puts an email off until `until`, still pending; the target's later actions wait with it. */
async function postponeAction(
  sql: SqlQueryable,
  shopId: number,
  id: string,
  outcome: Extract<Outcome, { status: "deferred" }>,
  now: Date,
) {
  await sql.query(
    `UPDATE winback_action
     SET retry_at = $2::timestamptz AT TIME ZONE 'UTC', detail = $3::jsonb,
         updated_at = $4::timestamptz AT TIME ZONE 'UTC'
     WHERE shop_id = $5 AND id = $1 AND status = ANY($6::text[])`,
    [
      id,
      outcome.until.toISOString(),
      JSON.stringify(outcome.detail),
      now.toISOString(),
      shopId,
      RUNNABLE,
    ],
  );
}

/** Claims a one-shot action before its call; false if another process got there first. */
async function markSending(
  sql: SqlQueryable,
  shopId: number,
  id: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE winback_action SET status = 'sending', updated_at = $2::timestamptz AT TIME ZONE 'UTC'
     WHERE shop_id = $4 AND id = $1 AND status = ANY($3::text[]) RETURNING 1`,
    [id, now.toISOString(), RUNNABLE, shopId],
  );
  return rows.length > 0;
}

class TargetRunner {
  constructor(
    private readonly sql: SqlClient,
    private readonly run: RunContext,
    private readonly effects: RunEffects,
    private readonly now: () => Date,
    /** Why the shop's plan does not let this run send emails now; null when it does. */
    private readonly emailRefusal: Message | null,
  ) {}

  private offerFor(action: ActionRow) {
    const { discount } = this.run.config.actions;
    const chosenAt = new Date(action.chosen_at);
    return {
      code: action.discount_code,
      discountText: this.run.discountText,
      expiresAt: discount ? discountExpiry(chosenAt, discount) : null,
    };
  }

  /** One action; returns its outcome, or throws for a temporary failure. */
  private async perform(action: ActionRow, codeReady: boolean): Promise<Outcome | null> {
    const { actions } = this.run.config;
    const customerId = BigInt(action.customer_id);
    const offer = this.offerFor(action);
    if (action.deleted)
      return { status: "skipped", detail: { reason: message("actionReasons.customerDeleted") } };
    if (action.kind !== "discount" && action.kind !== "tags" && actions.discount && !codeReady) {
      return { status: "skipped", detail: { reason: message("actionReasons.noDiscountCode") } };
    }
    switch (action.kind) {
      case "discount": {
        const discount = actions.discount;
        if (!discount || !action.discount_code || !offer.expiresAt) {
          return { status: "failed", error: message("actionReasons.ruleHasNoDiscount") };
        }
        const created = await createCustomerDiscount(this.effects, {
          customerId,
          code: action.discount_code,
          title: `${this.run.ruleName} (${action.discount_code})`,
          discount,
          startsAt: new Date(action.chosen_at),
          endsAt: offer.expiresAt,
        });
        return { status: "done", detail: { code: action.discount_code, ...created } };
      }
      case "offer": {
        const config = actions.offer;
        if (!config) return { status: "failed", error: message("actionReasons.ruleHasNoOffer") };
        const text = offer.discountText || config.text;
        const expiresAt = offer.expiresAt?.toISOString() ?? null;
        const code = offer.code ?? "";
        await setOfferMetafield(this.effects, customerId, {
          code,
          title: config.title,
          text,
          expiresAt,
        });
        await this.sql.query(
          `INSERT INTO customer_offer (shop_id, customer_id, code, title, discount_text, expires_at)
           SELECT $1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC'
           WHERE NOT EXISTS (SELECT 1 FROM customer_offer
                             WHERE shop_id = $1 AND customer_id = $2 AND code = $3 AND title = $4)`,
          [this.run.shopId, action.customer_id, code, config.title, text, expiresAt],
        );
        return { status: "done", detail: { code, title: config.title } };
      }
      case "tags":
        await changeCustomerTags(this.effects, customerId, {
          add: actions.addTags,
          remove: actions.removeTags,
        });
        return { status: "done", detail: { added: actions.addTags, removed: actions.removeTags } };
      case "email": {
        const template = actions.email;
        if (!template) return { status: "failed", error: message("actionReasons.ruleHasNoEmail") };
        // Consent is read at sending time: an unsubscribe after planning is respected.
        if (!action.email || action.consent !== "subscribed") {
          return { status: "skipped", detail: { reason: message("actionReasons.noConsent") } };
        }
        const suppressed = await suppressionReason(this.sql, this.run.shopId, action.email);
        if (suppressed) return { status: "skipped", detail: suppressedSkip(suppressed) };
        // The plan gate, on the server: a plan without emails (or over its order volume) skips
        // the send; the next run after an upgrade sends.
        if (this.emailRefusal) return { status: "skipped", detail: { reason: this.emailRefusal } };
        const slot = await resolveSendSlot(this.sql, {
          shopId: this.run.shopId,
          customerId,
          timeZone: this.run.timeZone,
          now: this.now(),
          alreadyDeferred: action.retry_at !== null,
        });
        if (slot.kind === "skip") return { status: "skipped", detail: { reason: slot.reason } };
        if (slot.kind === "defer") {
          const detail = { deferredUntil: slot.until.toISOString(), why: slot.why };
          return { status: "deferred", until: slot.until, detail };
        }
        if (!(await markSending(this.sql, this.run.shopId, action.id, this.now()))) return null;
        const sent = await this.effects.sendEmail({
          shopId: this.run.shopId,
          ruleId: this.run.ruleId,
          ruleName: this.run.ruleName,
          customerId,
          to: action.email,
          firstName: action.first_name,
          template,
          code: offer.code,
          discountText: offer.discountText,
          expiresAt: offer.expiresAt,
          messageId: `<winback-${action.id}.${this.run.runId}@rekindle.app>`,
        });
        return { status: "done", detail: { messageId: sent.messageId } };
      }
      case "flow":
        if (!(await markSending(this.sql, this.run.shopId, action.id, this.now()))) return null;
        await this.effects.emitFlow({
          customerId,
          ruleId: this.run.ruleId,
          ruleName: this.run.ruleName,
          code: offer.code,
          discountText: offer.discountText,
          expiresAt: offer.expiresAt,
          lifecycleStage: action.stage,
        });
        return { status: "done", detail: {} };
    }
  }

  /**
   * A target's actions in order. Returns false after a temporary failure, which stops this
   * target (later actions may depend on the failed one) until the next pass.
   */
  async runTarget(actions: readonly ActionRow[], report: ExecuteReport): Promise<boolean> {
    let codeReady = actions.some(
      (action) => action.kind === "discount" && action.status === "done",
    );
    for (const action of actions) {
      if (!RUNNABLE.includes(action.status)) continue;
      let outcome: Outcome | null;
      try {
        outcome = await this.perform(action, codeReady);
      } catch (error) {
        const reason =
          error instanceof ShopifyUserError
            ? message("actionReasons.shopifyRefused")
            : failureReason(error, "actionReasons.unexpected");
        if (error instanceof ShopifyUserError || isPermanent(error)) {
          outcome = { status: "failed", error: reason };
        } else if (ONE_SHOT.has(action.kind) && !(error instanceof TemporaryActionError)) {
          // It may have gone out before the error (a timeout mid-send): never risk a second.
          outcome = { status: "uncertain", error: reason };
        } else {
          logger.warn(
            { runId: this.run.runId, actionId: action.id, kind: action.kind, err: error },
            "win-back action will be retried",
          );
          report[await deferAction(this.sql, this.run.shopId, action, error, this.now())] += 1;
          return false;
        }
      }
      if (outcome === null) continue;
      if (outcome.status === "deferred") {
        await postponeAction(this.sql, this.run.shopId, action.id, outcome, this.now());
        report.deferred += 1;
        return true;
      }
      await record(this.sql, this.run.shopId, action.id, outcome, this.now());
      report[outcome.status] += 1;
      if (action.kind === "discount") codeReady = outcome.status === "done";
    }
    return true;
  }
}

const isPermanent = (error: unknown) =>
  error instanceof Error && (error as { permanent?: boolean }).permanent === true;

/**
 * Targets with work to do now: a pending action, or a retrying one whose time has come, and no
 * action still waiting for its retry or its moment (later actions may depend on it).
 */
async function loadBatch(sql: SqlQueryable, run: RunContext, limit: number, now: Date) {
  const { rows } = await sql.query<ActionRow>(
    `WITH batch AS (
       SELECT target_id FROM winback_action
       WHERE shop_id = $4 AND run_id = $1 AND status IN ('pending', 'retrying')
       GROUP BY target_id
       HAVING bool_and(retry_at IS NULL OR retry_at <= $3::timestamptz AT TIME ZONE 'UTC')
       ORDER BY target_id LIMIT $2)
     SELECT a.id::text, a.target_id::text, a.customer_id::text, a.kind, a.status, a.attempts,
            a.retry_at,
            t.discount_code, to_char(t.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS chosen_at,
            c.email, c.first_name, c.email_marketing AS consent,
            (c.id IS NULL OR c.deleted_at IS NOT NULL OR c.redacted_at IS NOT NULL) AS deleted,
            m.lifecycle_stage AS stage
     FROM winback_action a
     JOIN batch b ON b.target_id = a.target_id
     JOIN winback_target t ON t.shop_id = a.shop_id AND t.id = a.target_id
     LEFT JOIN customer c ON c.shop_id = a.shop_id AND c.id = a.customer_id
     LEFT JOIN customer_metrics m ON m.shop_id = a.shop_id AND m.customer_id = a.customer_id
     WHERE a.shop_id = $4
     ORDER BY a.target_id, a.position`,
    [run.runId.toString(), limit, now.toISOString(), run.shopId],
  );
  const byTarget = new Map<string, ActionRow[]>();
  for (const row of rows) {
    const list = byTarget.get(row.target_id) ?? [];
    list.push(row);
    byTarget.set(row.target_id, list);
  }
  return [...byTarget.values()];
}

/** Marks one-shot actions a dead process left `sending` as `uncertain`: never sent twice. */
async function settleAbandonedSends(
  sql: SqlQueryable,
  shopId: number,
  runId: bigint,
  before: Date,
) {
  const { rows } = await sql.query(
    `UPDATE winback_action
     SET status = 'uncertain', error = '{"key": "actionReasons.stoppedMidSend"}'::jsonb
     WHERE shop_id = $3 AND run_id = $1 AND status = 'sending'
       AND updated_at < $2::timestamptz AT TIME ZONE 'UTC' RETURNING 1`,
    [runId.toString(), before.toISOString(), shopId],
  );
  return rows.length;
}

/** Works through a run's pending actions; closes the run when none are left. */
export async function executeRun(
  sql: SqlClient,
  shopId: number,
  runId: bigint,
  effects: RunEffects,
  options: ExecuteOptions = {},
): Promise<ExecuteReport> {
  const now = options.now ?? (() => new Date());
  const report: ExecuteReport = {
    done: 0,
    skipped: 0,
    failed: 0,
    uncertain: 0,
    retrying: 0,
    deferred: 0,
    finished: false,
  };
  const run = await loadRunContext(sql, shopId, runId);
  if (!run) return report;
  report.uncertain = await settleAbandonedSends(
    sql,
    shopId,
    runId,
    new Date(now().getTime() - (options.sendingStaleMs ?? 5 * 60_000)),
  );
  const emailRefusal = run.config.actions.email
    ? (featureRefusal(await shopEntitlement(sql, run.shopId, now()), "winbackEmail")?.reason ??
      null)
    : null;
  const runner = new TargetRunner(sql, run, effects, now, emailRefusal);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let stalled = false;
  while (!stalled && (options.shouldContinue?.() ?? true)) {
    const targets = await loadBatch(sql, run, options.batchTargets ?? 200, now());
    if (targets.length === 0) break;
    let next = 0;
    const worker = async () => {
      while (!stalled && next < targets.length) {
        const actions = targets[next++];
        if (actions && !(await runner.runTarget(actions, report))) stalled = true;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  const { rows } = await sql.query<{ open: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM winback_action
                    WHERE shop_id = $2 AND run_id = $1
                      AND status IN ('pending', 'sending', 'retrying')) AS open`,
    [runId.toString(), shopId],
  );
  if (!rows[0]?.open) {
    await sql.query(
      `UPDATE winback_run SET status = 'done', finished_at = $2::timestamptz AT TIME ZONE 'UTC'
       WHERE shop_id = $3 AND id = $1 AND status = 'executing'`,
      [runId.toString(), now().toISOString(), shopId],
    );
    report.finished = true;
  }
  logger.info({ shopId: run.shopId, runId, ...report }, "win-back run executed");
  return report;
}
