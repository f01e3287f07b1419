/**
 * Who enters which flow, read from the data the app already keeps (webhooks applied into
 * tables, metrics recomputed by the runner). One statement per active flow: the customers its
 * trigger picks now, each keyed by the trigger occurrence that qualified them, inserted as runs
 * and their first step queued in the same transaction. The run's unique key (shop, flow,
 * customer, occurrence) keeps a customer to one entry per occurrence, whichever process
 * evaluates, however often.
 *
 * Only events after the flow was turned on count (its `activated_at`), so turning a flow on
 * does not sweep in the shop's whole history; a predicted-overdue date counts from 30 days
 * before it (customers who are overdue now are the point of that flow).
 */
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { browseAbandonmentSql } from "~/services/behaviour/browse-abandonment";
import { checkoutDelayMinutes, flowTriggerSchema, type FlowTrigger } from "./flow-definition";
import type { FlowQueue } from "./flow-queue.server";

/** Entries made per flow per evaluation; the rest follow on the next one. */
const ENTRIES_PER_PASS = 2000;

/**
 * The candidate rows (customer_id, occurrence_key) for a trigger. $1 shop, $2 flow,
 * $3 activated_at, $4 now, $5 the trigger's own setting, and from $8 on any `extra` parameters.
 * Every candidate is a customer still on file and not already entered for that occurrence.
 */
function candidatesSql(
  trigger: FlowTrigger,
  now: Date,
): { text: string; setting: unknown; extra?: unknown[] } {
  switch (trigger.type) {
    case "customer_created":
      return {
        setting: null,
        text: `SELECT c.id AS customer_id, 'created' AS occurrence_key, c.shop_id FROM customer c
               WHERE c.shop_id = $1 AND c.created_at >= ($3::timestamptz AT TIME ZONE 'UTC') AND $5::text IS NULL`,
      };
    case "checkout_abandoned":
      return {
        setting: checkoutDelayMinutes(trigger),
        text: `SELECT k.customer_id, 'checkout:' || k.id AS occurrence_key, k.shop_id FROM checkout k
               WHERE k.shop_id = $1 AND k.customer_id IS NOT NULL AND k.completed_at IS NULL
                 AND k.redacted_at IS NULL AND k.shopify_updated_at >= ($3::timestamptz AT TIME ZONE 'UTC')
                 AND k.shopify_updated_at <= ($4::timestamptz AT TIME ZONE 'UTC') - make_interval(mins => $5::int)
                 AND NOT EXISTS (SELECT 1 FROM "order" o
                                 WHERE o.shop_id = k.shop_id AND o.customer_id = k.customer_id
                                   AND o.created_at >= k.created_at AND o.cancelled_at IS NULL)`,
      };
    case "order_paid":
      return {
        setting: trigger.afterDays,
        text: `SELECT o.customer_id, 'order:' || o.id AS occurrence_key, o.shop_id FROM "order" o
               WHERE o.shop_id = $1 AND o.customer_id IS NOT NULL AND o.processed_at >= ($3::timestamptz AT TIME ZONE 'UTC')
                 AND o.processed_at <= ($4::timestamptz AT TIME ZONE 'UTC') - make_interval(days => $5::int)
                 AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
                 AND o.financial_status IN ('paid', 'partially_refunded')`,
      };
    case "lifecycle_entered":
      return {
        setting: trigger.stage,
        text: `SELECT s.customer_id, 'stage:' || s.id AS occurrence_key, s.shop_id
               FROM customer_stage_change s
               WHERE s.shop_id = $1 AND s.to_stage = $5::text AND s.changed_at >= ($3::timestamptz AT TIME ZONE 'UTC')`,
      };
    case "segment_entered":
      return {
        setting: trigger.segmentId,
        text: `SELECT e.customer_id, 'segment:' || e.id AS occurrence_key, e.shop_id
               FROM segment_membership_event e
               WHERE e.shop_id = $1 AND e.segment_id = $5::bigint AND e.kind = 'enter'
                 AND e.at >= ($3::timestamptz AT TIME ZONE 'UTC')`,
      };
    case "predicted_overdue":
      return {
        setting: trigger.maxProbAlive,
        text: `SELECT m.customer_id,
                      'overdue:' || to_char(m.next_order_due_at, 'YYYY-MM-DD') AS occurrence_key,
                      m.shop_id
               FROM customer_metrics m
               WHERE m.shop_id = $1 AND m.next_order_due_at <= ($4::timestamptz AT TIME ZONE 'UTC')
                 AND m.next_order_due_at >= ($3::timestamptz AT TIME ZONE 'UTC') - interval '30 days'
                 AND m.prob_alive < $5::float8`,
      };
    case "browse_abandoned": {
      const extra: unknown[] = [];
      const browsed = browseAbandonmentSql({
        shopParam: "$1",
        param: (value) => `$${FIXED_PARAMS + extra.push(value)}`,
        now,
        views: trigger.views,
        days: trigger.days,
      });
      // One occurrence per product and first day of its views: a product browsed again later
      // is a new occurrence, the same browsing never enters twice.
      return {
        setting: null,
        extra,
        text: `SELECT b.customer_id, $1::int AS shop_id,
                      'browse:' || b.product_id || ':' || to_char(b.first_viewed_at, 'YYYY-MM-DD')
                        AS occurrence_key
               FROM (${browsed}) b
               WHERE b.first_viewed_at >= ($3::timestamptz AT TIME ZONE 'UTC') AND $5::text IS NULL`,
      };
    }
  }
}

/** Parameters every entry statement has ($1 to $7, see enterFlow). */
const FIXED_PARAMS = 7;

export interface ActiveFlow {
  shopId: number;
  flowId: bigint;
  version: number;
  trigger: FlowTrigger;
  activatedAt: Date;
}

/** Enters the customers `flow`'s trigger picks now; returns how many entered. */
export async function enterFlow(
  sql: SqlClient,
  queue: FlowQueue,
  flow: ActiveFlow,
  now: Date,
): Promise<number> {
  const { text, setting, extra = [] } = candidatesSql(flow.trigger, now);
  return sql.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `WITH candidate AS (${text})
       INSERT INTO message_flow_run
         (shop_id, flow_id, version, customer_id, occurrence_key, status, step_index, next_at,
          entered_at)
       SELECT DISTINCT ON (k.customer_id, k.occurrence_key)
              k.shop_id, $2, $6, k.customer_id, k.occurrence_key, 'active', 0,
              ($4::timestamptz AT TIME ZONE 'UTC'), ($4::timestamptz AT TIME ZONE 'UTC')
       FROM candidate k
       JOIN customer c ON c.shop_id = k.shop_id AND c.id = k.customer_id
       WHERE c.shop_id = $1 AND c.deleted_at IS NULL AND c.redacted_at IS NULL
         -- OFFSET 0 keeps this a per-candidate probe of the run's unique index. As an anti
         -- join, a table that was near empty when last analyzed (a flow just turned on) got
         -- a plan filtering every candidate against every run: 9 s a pass at 20k runs.
         AND NOT EXISTS (SELECT 1 FROM message_flow_run r
                         WHERE r.shop_id = k.shop_id AND r.flow_id = $2
                           AND r.customer_id = k.customer_id
                           AND r.occurrence_key = k.occurrence_key
                         OFFSET 0)
       ORDER BY k.customer_id, k.occurrence_key
       LIMIT $7
       ON CONFLICT (shop_id, flow_id, customer_id, occurrence_key) DO NOTHING
       RETURNING id::text`,
      [
        flow.shopId,
        flow.flowId.toString(),
        flow.activatedAt.toISOString(),
        now.toISOString(),
        setting,
        flow.version,
        ENTRIES_PER_PASS,
        ...extra,
      ],
    );
    await queue.enqueue(
      tx,
      rows.map((row) => ({ shopId: flow.shopId, runId: row.id, stepIndex: 0 })),
      now,
    );
    return rows.length;
  });
}

/** Every active flow of every installed shop. */
export async function activeFlows(sql: SqlClient): Promise<ActiveFlow[]> {
  const { rows } = await sql.query<{
    shop_id: number;
    id: string;
    current_version: number;
    trigger: unknown;
    activated_at: Date;
  }>(
    `SELECT f.shop_id, f.id::text, f.current_version, f.trigger, f.activated_at
     FROM message_flow f JOIN shop s ON s.id = f.shop_id
     WHERE f.status = 'active' AND f.activated_at IS NOT NULL AND s.state = 'installed'
     ORDER BY f.shop_id, f.id`,
  );
  return rows.flatMap((row) => {
    const trigger = flowTriggerSchema.safeParse(row.trigger);
    if (!trigger.success) {
      logger.warn({ shopId: row.shop_id, flowId: row.id }, "flow with an unreadable trigger");
      return [];
    }
    return [
      {
        shopId: row.shop_id,
        flowId: BigInt(row.id),
        version: row.current_version,
        trigger: trigger.data,
        activatedAt: new Date(row.activated_at),
      },
    ];
  });
}

/** The runner's trigger job: every active flow, one after another. */
export async function enterDueCustomers(
  sql: SqlClient,
  queue: FlowQueue,
  isRunning: () => boolean,
  now: () => Date = () => new Date(),
): Promise<number> {
  let entered = 0;
  for (const flow of await activeFlows(sql)) {
    if (!isRunning()) break;
    try {
      entered += await enterFlow(sql, queue, flow, now());
    } catch (error) {
      logger.error({ shopId: flow.shopId, flowId: flow.flowId, err: error }, "flow entry failed");
    }
  }
  return entered;
}
