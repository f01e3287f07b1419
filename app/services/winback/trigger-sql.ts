/**
 * Each trigger as SQL yielding (customer_id, trigger_key): who qualifies now, and which
 * occurrence of the trigger made them qualify. A rule acts at most once per customer and key,
 * so the key decides what "again" means: a new segment entry, a new stage move, a new lapse
 * (a later last order), another abandoned checkout, or a product browsed and left (at most
 * once per product in the trigger's window of days).
 */
import { browseAbandonmentSql } from "~/services/behaviour/browse-abandonment";
import type { RuleTrigger } from "./rule-config";

export interface TriggerScope {
  /** Placeholder of the shop id. */
  shopParam: string;
  now: Date;
  /** Event triggers count events from here (when the rule was switched on). */
  since: Date;
  /** The rule being planned: browse abandonment skips products it acted on in its window. */
  ruleId: bigint;
}

/** How far back an abandoned checkout is still worth a reminder. */
const CHECKOUT_LOOKBACK_HOURS = 7 * 24;

/** SQL and parameters, numbered from `firstParam`. */
export function triggerCandidatesSql(
  trigger: RuleTrigger,
  scope: TriggerScope,
  firstParam: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const shop = scope.shopParam;
  const utc = (value: Date) => `(${param(value.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
  const lastOrderDay = `to_char(m.last_order_at, 'YYYY-MM-DD')`;
  switch (trigger.kind) {
    case "segment_entered":
      return {
        sql: `SELECT e.customer_id, 'entered:' || e.id AS trigger_key
              FROM segment_membership_event e
              JOIN segment_membership sm
                ON sm.shop_id = e.shop_id AND sm.segment_id = e.segment_id
                  AND sm.customer_id = e.customer_id
              WHERE e.shop_id = ${shop} AND e.segment_id = ${param(trigger.segmentId)}::bigint
                AND e.kind = 'enter' AND e.at >= ${utc(scope.since)}`,
        params,
      };
    case "stage_entered":
      return {
        sql: `SELECT sc.customer_id, 'stage:' || sc.id AS trigger_key
              FROM customer_stage_change sc
              JOIN customer_metrics m ON m.shop_id = sc.shop_id AND m.customer_id = sc.customer_id
                AND m.lifecycle_stage = sc.to_stage
              WHERE sc.shop_id = ${shop} AND sc.to_stage = ANY(${param(trigger.stages)}::text[])
                AND sc.changed_at >= ${utc(scope.since)}`,
        params,
      };
    case "days_since_last_order":
      return {
        sql: `SELECT m.customer_id, 'lapse:' || ${lastOrderDay} AS trigger_key
              FROM customer_metrics m
              WHERE m.shop_id = ${shop} AND m.last_order_at IS NOT NULL
                AND m.last_order_at <= ${utc(scope.now)} - make_interval(days => ${param(trigger.days)})`,
        params,
      };
    case "next_order_overdue":
      return {
        sql: `SELECT m.customer_id, 'overdue:' || ${lastOrderDay} AS trigger_key
              FROM customer_metrics m
              WHERE m.shop_id = ${shop} AND m.next_order_due_at IS NOT NULL
                AND m.next_order_due_at <= ${utc(scope.now)} - make_interval(days => ${param(trigger.days)})`,
        params,
      };
    case "abandoned_checkout": {
      const hours = param(trigger.hours);
      return {
        sql: `SELECT k.customer_id, 'checkout:' || k.id AS trigger_key
              FROM checkout k
              WHERE k.shop_id = ${shop} AND k.customer_id IS NOT NULL AND k.completed_at IS NULL
                AND k.created_at <= ${utc(scope.now)} - make_interval(hours => ${hours})
                AND k.created_at >= ${utc(scope.now)} - make_interval(hours => ${hours} + ${param(CHECKOUT_LOOKBACK_HOURS)})
                AND NOT EXISTS (SELECT 1 FROM "order" o
                                WHERE o.shop_id = k.shop_id AND o.customer_id = k.customer_id
                                  AND o.processed_at >= k.created_at)`,
        params,
      };
    }
    case "browse_abandoned": {
      const browsed = browseAbandonmentSql({
        shopParam: shop,
        param,
        now: scope.now,
        views: trigger.views,
        days: trigger.days,
      });
      // Keyed by product and first view's day; the window check stops a second message about
      // the same product while the views that led to the first are still being counted.
      return {
        sql: `SELECT b.customer_id,
                     'browse:' || b.product_id || ':' || to_char(b.first_viewed_at, 'YYYY-MM-DD')
                       AS trigger_key
              FROM (${browsed}) b
              WHERE NOT EXISTS (
                SELECT 1 FROM winback_target t
                WHERE t.shop_id = ${shop} AND t.rule_id = ${param(scope.ruleId.toString())}::bigint
                  AND t.customer_id = b.customer_id
                  AND t.trigger_key LIKE 'browse:' || b.product_id || ':%'
                  AND t.created_at > ${utc(scope.now)} - make_interval(days => ${param(trigger.days)}))`,
        params,
      };
    }
  }
}
