/**
 * Runs one queued step of one customer's run. Jobs are at-least-once (a killed worker's job
 * comes back after it expires), so each step is made to take effect once:
 * - the run row says which step is next; a job for any other step is a leftover and ends at
 *   once, and the step's outcome, the run's move to the next step and the next step's job
 *   commit in one transaction, guarded by that step number;
 * - an email step is claimed (a `sending` row, committed) before the SMTP call; a worker killed
 *   after the call and before the commit leaves the claim, and the job's next attempt sends
 *   again with the same deterministic Message-ID, so the recipient's server sees one message
 *   (the sink in tests counts by Message-ID, as mail providers deduplicate);
 * - tags are sets (repeating a call changes nothing);
 * - a Shopify Flow trigger cannot be recognised as a repeat, so a claim found on a later attempt
 *   is settled `uncertain` and not called again (at most once).
 * Consent and the shop's suppression list are read when the email goes out: nothing is sent
 * without email marketing consent or to a suppressed address.
 * An email step may wait for a better moment (send-slot.server.ts: quiet hours, the customer's
 * best hour) or be skipped (the frequency cap). A wait is claimed like a send: a `deferred` row,
 * the run's due time and the step's new job commit in one transaction, and a repeated job that
 * finds the row before its time ends at once, so a deferred step is queued once.
 * A customer stays on the version of the steps they entered with.
 */
import { message, type Message } from "~/i18n/message";
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { ResponseCache } from "~/lib/response-cache";
import { featureRefusal, shopEntitlement } from "~/services/billing/entitlement.server";
import {
  CustomerEmailError,
  messageRowUpsert,
  messageRowValues,
  type CustomerEmail,
} from "~/services/email/send-customer-email.server";
import {
  suppressedSkip,
  suppressionReasons,
  type SuppressionReason,
} from "~/services/email/suppression.server";
import {
  loadCustomersFacts,
  type CustomerFacts,
} from "~/services/email/templates/customer-facts.server";
import {
  readAheadCustomerEmails,
  type ReadAheadCustomer,
} from "~/services/email/templates/render-customer-email.server";
import { stickyVariant } from "~/services/email/tracking/sticky-variant.server";
import {
  frequencyCapSince,
  recentMarketingEmailsOf,
  resolveSendSlot,
} from "~/services/send-timing/send-slot.server";
import { getSendTiming } from "~/services/send-timing/send-timing-settings.server";
import { nextHourInZone } from "~/services/send-timing/quiet-hours";
import {
  flowStepsSchema,
  nextStepIndex,
  type FlowCondition,
  type FlowStep,
  waitMinutes,
} from "./flow-definition";
import { flowStepOffer, FlowDiscountError, type CreateFlowDiscount } from "./flow-discount.server";
import type { FlowQueue, FlowStepJob } from "./flow-queue.server";

/** The outside world a step acts on; injected so tests can watch it. */
export interface FlowEffects {
  sendEmail(email: CustomerEmail): Promise<{ messageId: string }>;
  changeTags(customerId: bigint, change: { add: string[]; remove: string[] }): Promise<void>;
  emitShopifyFlow(event: { customerId: bigint; flowId: bigint; flowName: string }): Promise<void>;
  /** An email step's discount code for one customer (flow-discount.server.ts). */
  createDiscount: CreateFlowDiscount;
}

/** Why a run ended as failed: a step threw on every attempt the queue gave it. */
export const RETRIES_EXHAUSTED = "retries_exhausted";

/** Attempts at an email step before it is given up as failed. */
const MAX_EMAIL_ATTEMPTS = 5;
/**
 * Why the shop's plan refuses flow emails (null: it allows them), per shop for a minute: the
 * check counts the month's orders, too dear to repeat for every message of a run.
 */
const emailRefusals = new ResponseCache<{ reason: Message | null }>(10_000, 60_000);

async function emailRefusal(sql: SqlQueryable, shopId: number, now: Date) {
  const cached = emailRefusals.get(String(shopId));
  if (cached) return cached.reason;
  const refusal = featureRefusal(await shopEntitlement(sql, shopId, now), "winbackEmail");
  emailRefusals.set(String(shopId), { reason: refusal?.reason ?? null });
  return refusal?.reason ?? null;
}

/** A paused flow's customers are looked at again after this long. */
const PAUSED_RECHECK_MS = 60 * 60_000;

/** A run as its step needs it: flow, version's steps, the customer's address and consent. */
export interface RunRow {
  run_id: string;
  flow_id: string;
  flow_name: string;
  flow_status: string;
  exit_on_order: boolean;
  status: string;
  step_index: number;
  entered_at: Date;
  customer_id: string;
  steps: unknown;
  email: string | null;
  consent: string | null;
  gone: boolean;
  time_zone: string;
  /** The run's current step's record so far: a claim (`sending`) or a wait (`deferred`). */
  step_status: string | null;
  /** Until when a `deferred` step waits. */
  deferred_until: string | null;
  /** Why the shop must not email the customer's address (suppressionReason), null: it may. */
  suppressed: SuppressionReason | null;
  /** What the email template says about the customer, for one the shop may email. */
  facts: CustomerFacts | undefined;
  /**
   * The customer's marketing emails within the frequency cap's window, read with the batch for
   * one the shop may email; null: read when the step runs (see batchCapCounts).
   */
  recent_emails: number | null;
  /** What the email's products block reads about the customer, read with the batch. */
  shopper: ReadAheadCustomer | undefined;
}

export type StepResult =
  | "leftover"
  | "paused"
  | "exited"
  | "done"
  | "skipped"
  | "failed"
  | "uncertain"
  | "waiting"
  | "deferred";

/**
 * The runs `runIds` of one shop, by run id, with their current step's record, whether the
 * customers' addresses are suppressed and, for those the shop may email, the template's facts,
 * the frequency cap's count and what the products block reads: a few statements for a whole
 * claimed batch, so a step costs no round trip of its own to find where its customer is, what
 * their email says or whether they had enough email lately.
 */
export async function loadRuns(
  sql: SqlQueryable,
  shopId: number,
  runIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, RunRow>> {
  const { rows } = await sql.query<
    Omit<RunRow, "suppressed" | "facts" | "recent_emails" | "shopper">
  >(
    `SELECT r.id::text AS run_id, r.flow_id::text, f.name AS flow_name, f.status AS flow_status,
            f.exit_on_order, r.status, r.step_index, r.entered_at, r.customer_id::text, v.steps,
            c.email, c.email_marketing AS consent,
            (c.id IS NULL OR c.deleted_at IS NOT NULL OR c.redacted_at IS NOT NULL) AS gone,
            s.iana_timezone AS time_zone, st.status AS step_status,
            st.detail ->> 'deferredUntil' AS deferred_until
     FROM message_flow_run r
     JOIN message_flow f ON f.shop_id = r.shop_id AND f.id = r.flow_id
     JOIN message_flow_version v
       ON v.shop_id = r.shop_id AND v.flow_id = r.flow_id AND v.version = r.version
     JOIN shop s ON s.id = r.shop_id
     LEFT JOIN customer c ON c.shop_id = r.shop_id AND c.id = r.customer_id
     LEFT JOIN message_flow_step st
       ON st.shop_id = r.shop_id AND st.run_id = r.id AND st.step_index = r.step_index
     WHERE r.shop_id = $1 AND r.id = ANY($2::bigint[])`,
    [shopId, runIds],
  );
  const emailable = rows.filter((row) => row.email && row.consent === "subscribed" && !row.gone);
  const suppressed =
    emailable.length > 0
      ? await suppressionReasons(
          sql,
          shopId,
          emailable.map((row) => row.email ?? ""),
        )
      : new Map<string, SuppressionReason>();
  const suppressionOf = (row: (typeof rows)[number]) =>
    (row.email && suppressed.get(row.email.trim().toLowerCase())) || null;
  const mailed = emailable.filter((row) => !suppressionOf(row));
  const emailing = mailed.filter((row) => stepKindAt(row.steps, row.step_index) === "email");
  const [facts, capCounts, shoppers] = await Promise.all([
    mailed.length > 0
      ? loadCustomersFacts(
          sql,
          shopId,
          mailed.map((row) => BigInt(row.customer_id)),
        )
      : new Map<string, CustomerFacts>(),
    batchCapCounts(sql, shopId, rows, emailing, now),
    readAheadCustomerEmails(
      sql,
      shopId,
      [...new Set(emailing.map((row) => row.customer_id))].map(BigInt),
      now,
    ),
  ]);
  return new Map(
    rows.map((row) => [
      row.run_id,
      {
        ...row,
        suppressed: suppressionOf(row),
        facts: facts.get(row.customer_id),
        recent_emails: capCounts.get(row.customer_id) ?? null,
        shopper: shoppers.get(row.customer_id),
      },
    ]),
  );
}

/**
 * The frequency cap's counts of the `emailing` customers, by customer id, in one statement. A
 * customer with more than one run in the batch is left out: their steps run one after the
 * other, and the second must count the first, so it reads its count when it runs. Like the
 * count read by the step itself, another process's send to the same customer at the same moment
 * is not seen.
 */
async function batchCapCounts(
  sql: SqlQueryable,
  shopId: number,
  rows: ReadonlyArray<{ customer_id: string }>,
  emailing: ReadonlyArray<{ customer_id: string }>,
  now: Date,
): Promise<Map<string, number>> {
  const runsOf = new Map<string, number>();
  for (const { customer_id } of rows) runsOf.set(customer_id, (runsOf.get(customer_id) ?? 0) + 1);
  const alone = emailing.filter((row) => runsOf.get(row.customer_id) === 1);
  if (alone.length === 0) return new Map();
  const since = frequencyCapSince(await getSendTiming(sql, shopId), now);
  return recentMarketingEmailsOf(
    sql,
    shopId,
    alone.map((row) => row.customer_id),
    since,
  );
}

/** The kind of the stored steps' step `index` (before they are parsed for the step that runs). */
const stepKindAt = (steps: unknown, index: number): unknown =>
  Array.isArray(steps) ? (steps[index] as { kind?: unknown } | undefined)?.kind : undefined;

async function orderedSince(sql: SqlQueryable, job: FlowStepJob, run: RunRow) {
  const { rows } = await sql.query(
    `SELECT 1 FROM "order" o
     WHERE o.shop_id = $1 AND o.customer_id = $2 AND o.cancelled_at IS NULL
       AND o.created_at > $3 LIMIT 1`,
    [job.shopId, run.customer_id, run.entered_at],
  );
  return rows.length > 0;
}

async function conditionHolds(
  sql: SqlQueryable,
  job: FlowStepJob,
  run: RunRow,
  condition: FlowCondition,
): Promise<boolean> {
  switch (condition.type) {
    case "ordered_since_entry":
      return orderedSince(sql, job, run);
    case "in_segment": {
      const { rows } = await sql.query(
        `SELECT 1 FROM segment_membership m
         WHERE m.shop_id = $1 AND m.segment_id = $2 AND m.customer_id = $3`,
        [job.shopId, condition.segmentId, run.customer_id],
      );
      return rows.length > 0;
    }
    case "engaged_with_flow": {
      const { rows } = await sql.query(
        `SELECT 1 FROM email_message m
         WHERE m.shop_id = $1 AND m.flow_id = $2 AND m.customer_id = $3 AND m.status = 'sent'
           AND m.created_at >= $4 AND (CASE WHEN $5 = 'clicked' THEN m.clicks ELSE m.opens END) > 0
         LIMIT 1`,
        [job.shopId, run.flow_id, run.customer_id, run.entered_at, condition.action],
      );
      return rows.length > 0;
    }
  }
}

interface Settle {
  status: "done" | "skipped" | "failed" | "uncertain";
  detail: Record<string, unknown>;
  error?: Message;
  /** true/false for a branch: which way it went. */
  branch?: boolean;
  /** When the next step is due (after a wait); now otherwise. */
  nextAt?: Date;
  /** Leave the flow here (an order, a branch to exit). */
  exitReason?: string;
  /** The Message-ID of the email the step sent: its message row is marked sent with the step. */
  sentMessageId?: string;
}

/** An email step that waits for a better moment, at the same step. */
interface Deferral {
  status: "deferred";
  until: Date;
  detail: Record<string, unknown>;
}

/** A job for a deferred step may run this much before its time by the app's clock. */
const DEFERRAL_EARLY_MS = 60_000;

/**
 * Records the step's outcome and moves the run on, guarded by the step number: false when
 * another attempt already did. Outcome and move are one statement; with a next step, its job
 * is queued in the same transaction. A last step needs no transaction: one statement is atomic.
 */
async function settleStep(
  sql: SqlClient,
  queue: FlowQueue,
  job: FlowStepJob,
  run: RunRow,
  step: FlowStep | undefined,
  steps: readonly FlowStep[],
  settle: Settle,
  now: Date,
): Promise<boolean> {
  const next =
    settle.exitReason === undefined ? nextStepIndex(steps, job.stepIndex, settle.branch) : null;
  const exitReason =
    settle.exitReason ?? (step?.kind === "condition" && next === null ? "branch" : undefined);
  const nextAt = settle.nextAt ?? now;
  // The step's row is written only when the run moved (the CTE's row), and for a step that
  // still exists (its kind, else null: no row).
  const record = async (tx: SqlQueryable) => {
    const { rows } = await tx.query(
      `WITH moved AS (
         UPDATE message_flow_run
         SET step_index = $3, status = $4, next_at = $5::timestamptz AT TIME ZONE 'UTC',
             exit_reason = $6,
             finished_at = CASE WHEN $4 = 'active' THEN NULL
                                ELSE $7::timestamptz AT TIME ZONE 'UTC' END
         WHERE shop_id = $1 AND id = $2 AND status = 'active' AND step_index = $8
         RETURNING shop_id, id, flow_id
       ), recorded AS (
         INSERT INTO message_flow_step
           (shop_id, run_id, step_index, flow_id, kind, status, attempts, detail, error,
            started_at, finished_at)
         SELECT m.shop_id, m.id, $8, m.flow_id, $9, $10, 1, $11::jsonb, $12::jsonb,
                $7::timestamptz AT TIME ZONE 'UTC', $7::timestamptz AT TIME ZONE 'UTC'
         FROM moved m WHERE m.shop_id = $1 AND $9::text IS NOT NULL
         ON CONFLICT (shop_id, run_id, step_index) DO UPDATE
         SET status = excluded.status, detail = excluded.detail, error = excluded.error,
             finished_at = excluded.finished_at
       ), sent AS (
         -- Whether or not the run moved: the email went out either way.
         UPDATE email_message
         SET status = 'sent', sent_at = $7::timestamptz AT TIME ZONE 'UTC'
         WHERE shop_id = $1 AND message_key = $13 AND status <> 'sent'
       )
       SELECT 1 FROM moved`,
      [
        job.shopId,
        job.runId,
        next ?? job.stepIndex,
        next !== null ? "active" : exitReason ? "exited" : "done",
        nextAt.toISOString(),
        exitReason ?? null,
        now.toISOString(),
        job.stepIndex,
        step?.kind ?? null,
        settle.status,
        JSON.stringify(settle.detail),
        settle.error ? JSON.stringify(settle.error) : null,
        settle.sentMessageId ?? null,
      ],
    );
    return rows.length > 0;
  };
  if (next === null) return record(sql);
  return sql.transaction(async (tx) => {
    if (!(await record(tx))) return false;
    await queue.enqueue(tx, [{ ...job, stepIndex: next }], nextAt);
    return true;
  });
}

/** A one-shot step's claim, with its values as claimValues' from $1 on, returning `attempts`. */
const STEP_CLAIM = `INSERT INTO message_flow_step
     (shop_id, run_id, step_index, flow_id, kind, status, attempts, started_at)
   VALUES ($1, $2, $3, $4, $5, 'sending', 1, $6::timestamptz AT TIME ZONE 'UTC')
   ON CONFLICT (shop_id, run_id, step_index) DO UPDATE
   SET attempts = message_flow_step.attempts + 1, status = 'sending'
   RETURNING attempts`;

const claimValues = (job: FlowStepJob, run: RunRow, kind: string, now: Date) => [
  job.shopId,
  job.runId,
  job.stepIndex,
  run.flow_id,
  kind,
  now.toISOString(),
];

/**
 * Claims a one-shot step before its call (committed on its own). Returns the attempt number:
 * 1 for a first claim, more when an earlier attempt claimed it and did not finish.
 */
async function claimStep(
  sql: SqlQueryable,
  job: FlowStepJob,
  run: RunRow,
  kind: string,
  now: Date,
): Promise<number> {
  const { rows } = await sql.query<{ attempts: number }>(
    STEP_CLAIM,
    claimValues(job, run, kind, now),
  );
  return rows[0]?.attempts ?? 1;
}

/**
 * claimStep for an email step, writing the email's message row in the same statement (one
 * round trip before the SMTP call instead of two).
 */
async function claimEmailStep(
  sql: SqlQueryable,
  job: FlowStepJob,
  run: RunRow,
  email: CustomerEmail,
  now: Date,
): Promise<{ attempt: number; messageRow: bigint }> {
  const { rows } = await sql.query<{ attempts: number; message_row: string }>(
    `WITH claimed AS (${STEP_CLAIM}), message AS (${messageRowUpsert(7)})
     SELECT claimed.attempts, message.id::text AS message_row FROM claimed, message`,
    [...claimValues(job, run, "email", now), ...messageRowValues(email)],
  );
  const row = rows[0];
  if (!row) throw new Error("the email step's claim was not written");
  return { attempt: row.attempts, messageRow: BigInt(row.message_row) };
}

/**
 * The code an email gives, on its message row (written by the claim, before the code was
 * known): an order that uses the code is credited to the email.
 */
async function recordMessageCode(
  sql: SqlQueryable,
  shopId: number,
  messageRow: bigint,
  code: string,
): Promise<void> {
  await sql.query(
    `UPDATE email_message SET discount_code = upper($3) WHERE shop_id = $1 AND id = $2`,
    [shopId, messageRow.toString(), code],
  );
}

/**
 * Moves the step to `until`: a `deferred` row (the claim), the run's due time and the step's job
 * at that time, in one transaction; false when the step already waits (a repeated job) or the
 * run moved on.
 */
async function deferStep(
  sql: SqlClient,
  queue: FlowQueue,
  job: FlowStepJob,
  run: RunRow,
  deferral: Deferral,
  now: Date,
): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO message_flow_step
         (shop_id, run_id, step_index, flow_id, kind, status, attempts, detail, started_at)
       SELECT $1, $2, $3, $4, 'email', 'deferred', 0, $5::jsonb, $6::timestamptz AT TIME ZONE 'UTC'
       WHERE EXISTS (SELECT 1 FROM message_flow_run
                     WHERE shop_id = $1 AND id = $2 AND status = 'active' AND step_index = $3)
       ON CONFLICT (shop_id, run_id, step_index) DO NOTHING
       RETURNING 1`,
      [
        job.shopId,
        job.runId,
        job.stepIndex,
        run.flow_id,
        JSON.stringify(deferral.detail),
        now.toISOString(),
      ],
    );
    if (claimed.rows.length === 0) return false;
    await tx.query(
      `UPDATE message_flow_run SET next_at = $3::timestamptz AT TIME ZONE 'UTC'
       WHERE shop_id = $1 AND id = $2`,
      [job.shopId, job.runId, deferral.until.toISOString()],
    );
    await queue.enqueue(tx, [job], deferral.until);
    return true;
  });
}

/** The deterministic Message-ID of one customer's email at one step of one run. */
export const flowMessageId = (job: FlowStepJob) =>
  `<flow-${job.shopId}-${job.runId}-${job.stepIndex}@rekindle.app>`;

async function emailStep(
  sql: SqlClient,
  job: FlowStepJob,
  run: RunRow,
  step: Extract<FlowStep, { kind: "email" }>,
  effects: FlowEffects,
  now: Date,
): Promise<Settle | Deferral> {
  if (!run.email || run.consent !== "subscribed") {
    return { status: "skipped", detail: { reason: message("actionReasons.noConsent") } };
  }
  if (run.suppressed) return { status: "skipped", detail: suppressedSkip(run.suppressed) };
  const refusal = await emailRefusal(sql, job.shopId, now);
  if (refusal) return { status: "skipped", detail: { reason: refusal } };
  const deferredUntil = run.deferred_until ? new Date(run.deferred_until) : null;
  if (deferredUntil && now.getTime() < deferredUntil.getTime() - DEFERRAL_EARLY_MS) {
    // A repeat of the job that deferred the step: deferring again finds the claim and ends.
    return { status: "deferred", until: deferredUntil, detail: {} };
  }
  // A claimed send that did not finish is sent again as it was decided, not timed again.
  if (run.step_status !== "sending") {
    const slot = await resolveSendSlot(sql, {
      shopId: job.shopId,
      customerId: BigInt(run.customer_id),
      timeZone: run.time_zone,
      now,
      alreadyDeferred: deferredUntil !== null,
      recentEmails: run.recent_emails ?? undefined,
    });
    if (slot.kind === "skip") return { status: "skipped", detail: { reason: slot.reason } };
    if (slot.kind === "defer") {
      const until = slot.until.toISOString();
      return {
        status: "deferred",
        until: slot.until,
        detail: { deferredUntil: until, why: slot.why },
      };
    }
  }
  const variant = step.variantB
    ? stickyVariant(run.customer_id, `${run.flow_id}:${job.stepIndex}`)
    : "A";
  const content = variant === "B" && step.variantB ? step.variantB : step;
  const email: CustomerEmail = {
    shopId: job.shopId,
    customerId: BigInt(run.customer_id),
    to: run.email,
    message: { subject: content.subject, body: content.body },
    messageId: flowMessageId(job),
    // Marked sent by settleStep, in the statement that records the step.
    marksSent: "caller",
    facts: run.facts,
    shopper: run.shopper,
    source: {
      kind: "flow",
      flowId: BigInt(run.flow_id),
      flowName: run.flow_name,
      stepIndex: job.stepIndex,
    },
    variant,
  };
  const { attempt, messageRow } = await claimEmailStep(sql, job, run, email, now);
  if (attempt > MAX_EMAIL_ATTEMPTS) {
    return {
      status: "failed",
      detail: {},
      error: message("actionReasons.gaveUp", { attempts: MAX_EMAIL_ATTEMPTS }),
    };
  }
  let offer = null;
  if (step.discount) {
    try {
      const customer = { flowName: run.flow_name, customerId: BigInt(run.customer_id) };
      offer = await flowStepOffer(sql, job, customer, step.discount, effects.createDiscount);
      await recordMessageCode(sql, job.shopId, messageRow, offer.code);
    } catch (error) {
      // Nothing goes out without the code; a refusal fails the step, the rest are retried.
      if (error instanceof FlowDiscountError && error.permanent) {
        return { status: "failed", detail: {}, error: error.reason };
      }
      throw error;
    }
  }
  try {
    const sent = await effects.sendEmail({ ...email, offer, messageRow });
    return {
      status: "done",
      detail: { messageId: sent.messageId, attempt, variant },
      sentMessageId: flowMessageId(job),
    };
  } catch (error) {
    if (error instanceof CustomerEmailError && error.permanent) {
      return { status: "failed", detail: {}, error: error.reason };
    }
    // The job's next attempt sends again, with the same Message-ID.
    throw error;
  }
}

async function performStep(
  sql: SqlClient,
  job: FlowStepJob,
  run: RunRow,
  step: FlowStep,
  effects: FlowEffects,
  now: Date,
): Promise<Settle | Deferral> {
  const customerId = BigInt(run.customer_id);
  switch (step.kind) {
    case "email":
      return emailStep(sql, job, run, step, effects, now);
    case "wait": {
      const nextAt = new Date(now.getTime() + waitMinutes(step) * 60_000);
      return { status: "done", detail: { until: nextAt.toISOString() }, nextAt };
    }
    case "wait_until": {
      const nextAt = nextHourInZone(now, step.hour, run.time_zone, step.minute);
      return { status: "done", detail: { until: nextAt.toISOString() }, nextAt };
    }
    case "condition": {
      const branch = await conditionHolds(sql, job, run, step.condition);
      return { status: "done", detail: { branch }, branch };
    }
    case "tag":
      await effects.changeTags(customerId, { add: step.add, remove: step.remove });
      return { status: "done", detail: { added: step.add, removed: step.remove } };
    case "shopify_flow": {
      if ((await claimStep(sql, job, run, "shopify_flow", now)) > 1) {
        return {
          status: "uncertain",
          detail: {},
          error: message("actionReasons.stoppedMidFlow"),
        };
      }
      await effects.emitShopifyFlow({
        customerId,
        flowId: BigInt(run.flow_id),
        flowName: run.flow_name,
      });
      return { status: "done", detail: {} };
    }
  }
}

/**
 * Runs the step `job` names, if it is still the run's next step. `loaded` is the run as read
 * for the job's claimed batch (loadRuns; null: not found); without it the run is read here. A
 * run read moments earlier is safe: the step number is checked again when the step settles.
 */
export async function runFlowStep(
  sql: SqlClient,
  queue: FlowQueue,
  job: FlowStepJob,
  effects: FlowEffects,
  now: Date = new Date(),
  loaded?: RunRow | null,
): Promise<StepResult> {
  const run =
    loaded === undefined
      ? (await loadRuns(sql, job.shopId, [job.runId], now)).get(job.runId)
      : loaded;
  if (!run || run.status !== "active" || run.step_index !== job.stepIndex) return "leftover";
  const steps = flowStepsSchema.parse(run.steps);
  if (run.flow_status !== "active") {
    // Turned off: its customers wait where they are and go on when it is turned on again.
    await sql.transaction((tx) =>
      queue.enqueue(tx, [job], new Date(now.getTime() + PAUSED_RECHECK_MS)),
    );
    return "paused";
  }
  const step = steps[job.stepIndex];
  let settle: Settle | Deferral;
  if (run.gone) {
    settle = { status: "skipped", detail: {}, exitReason: "customer deleted" };
  } else if (run.exit_on_order && (await orderedSince(sql, job, run))) {
    settle = { status: "skipped", detail: {}, exitReason: "placed an order" };
  } else if (!step) {
    settle = { status: "skipped", detail: {}, exitReason: "the step no longer exists" };
  } else {
    settle = await performStep(sql, job, run, step, effects, now);
  }
  if (settle.status === "deferred") {
    const deferred = await deferStep(sql, queue, job, run, settle, now);
    if (deferred) logger.debug({ ...job, until: settle.until }, "flow email deferred");
    return deferred ? "deferred" : "leftover";
  }
  const settled = await settleStep(sql, queue, job, run, step, steps, settle, now);
  if (!settled) return "leftover";
  logger.debug({ ...job, status: settle.status }, "flow step settled");
  if (settle.exitReason) return "exited";
  return settle.nextAt ? "waiting" : settle.status;
}

/**
 * Ends the run of a step that threw on every attempt the queue gives it (the dead letter): the
 * run is `failed` with the reason `retries_exhausted`, which the admin shows, and the step's row
 * keeps the last error. Guarded by the step number like settleStep, so a run that moved on
 * meanwhile is left alone. Returns whether it ended the run.
 */
export async function failExhaustedRun(
  sql: SqlClient,
  job: FlowStepJob,
  reason: Message,
  attempts: number,
  now: Date = new Date(),
): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const ended = await tx.query(
      `UPDATE message_flow_run
       SET status = 'failed', exit_reason = $4, finished_at = $5::timestamptz AT TIME ZONE 'UTC'
       WHERE shop_id = $1 AND id = $2 AND status = 'active' AND step_index = $3
       RETURNING 1`,
      [job.shopId, job.runId, job.stepIndex, RETRIES_EXHAUSTED, now.toISOString()],
    );
    if (ended.rows.length === 0) return false;
    await tx.query(
      `INSERT INTO message_flow_step
         (shop_id, run_id, step_index, flow_id, kind, status, attempts, detail, error,
          started_at, finished_at)
       SELECT r.shop_id, r.id, r.step_index, r.flow_id,
              coalesce(v.steps -> r.step_index ->> 'kind', 'missing'), 'failed', $4,
              jsonb_build_object('reason', $5::text), $6::jsonb,
              $7::timestamptz AT TIME ZONE 'UTC', $7::timestamptz AT TIME ZONE 'UTC'
       FROM message_flow_run r
       JOIN message_flow_version v
         ON v.shop_id = r.shop_id AND v.flow_id = r.flow_id AND v.version = r.version
       WHERE r.shop_id = $1 AND r.id = $2 AND r.step_index = $3
       ON CONFLICT (shop_id, run_id, step_index) DO UPDATE
       SET status = 'failed', attempts = greatest(message_flow_step.attempts, excluded.attempts),
           detail = excluded.detail, error = excluded.error, finished_at = excluded.finished_at`,
      [
        job.shopId,
        job.runId,
        job.stepIndex,
        attempts,
        RETRIES_EXHAUSTED,
        JSON.stringify(reason),
        now.toISOString(),
      ],
    );
    return true;
  });
}
