import { ZodError } from "zod";
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { applyComplianceEvent } from "~/services/privacy/compliance-events.server";
import {
  applyRecordBatch,
  batchOf,
  NON_DATA_TOPICS,
  parseEvent,
  UnprocessableEventError,
  type AppliedChanges,
  type ParsedEvent,
} from "./apply-events.server";
import {
  BY_ROW_KEY,
  claimInboxEvents,
  markEventsDead,
  markEventsDone,
  markEventsFailed,
  ROW_KEYS,
  rowKeyParams,
  withoutCommitFlush,
  type InboxEvent,
} from "./inbox-queue.server";
import { applyIsolatingFailures } from "./isolate-failures.server";
import {
  MarkAndClaimError,
  rescoreClaimed,
  type ClaimedCustomers,
  type RescoringOptions,
} from "~/services/analytics/refresh-dirty.server";
import { parseJsonExact } from "~/lib/parse-json-exact";
import { message } from "~/i18n/message";

export interface DrainResult {
  claimed: number;
  applied: number;
  dead: number;
  failed: number;
  changes: Array<AppliedChanges & { shopId: number }>;
}

const COMPLIANCE_TOPICS = new Set(["shop/redact", "customers/redact", "customers/data_request"]);

/**
 * Claims one batch and applies it. A shop's data events are written in one transaction
 * together with their `done` marks, so a crash anywhere leaves them claimable again and a
 * re-run writes the same rows (the writers are idempotent): nothing lost, nothing doubled.
 * When the transaction fails because of an event, the others are applied without it and only
 * that event is dead-lettered (applyIsolatingFailures). With `rescoring`, the customers a
 * transaction changed are rescored right after its commit (markAndClaimCustomers); otherwise,
 * and whenever that fails, the metrics job rescores them.
 */
export async function processInboxBatch(
  sql: SqlClient,
  batchSize = 500,
  lockSeconds?: number,
  rescoring?: RescoringOptions,
): Promise<DrainResult> {
  const events = await claimInboxEvents(sql, batchSize, lockSeconds);
  const result: DrainResult = {
    claimed: events.length,
    applied: 0,
    dead: 0,
    failed: 0,
    changes: [],
  };
  const byShop = Map.groupBy(events, (event) => event.shopDomain);
  for (const [shopDomain, shopEvents] of byShop) {
    await processShopEvents(sql, shopDomain, shopEvents, result, rescoring);
  }
  return result;
}

/**
 * Rescores the customers an applied batch changed. Its events are done whatever happens here:
 * a failure leaves the claimed marks to the metrics job once their lease runs out.
 */
async function rescoreAfterApply(sql: SqlClient, shopDomain: string, claimed: ClaimedCustomers) {
  try {
    await rescoreClaimed(sql, claimed);
  } catch (error) {
    logger.error(
      { shopDomain, err: error },
      "rescoring after applying webhooks failed; the metrics job rescores those customers",
    );
  }
}

async function processShopEvents(
  sql: SqlClient,
  shopDomain: string,
  claimed: InboxEvent[],
  result: DrainResult,
  rescoring: RescoringOptions | undefined,
): Promise<void> {
  let events = claimed;
  const compliance = events.filter((event) => COMPLIANCE_TOPICS.has(event.topic));
  for (const event of compliance) await processComplianceEvent(sql, event, result);
  if (compliance.some((event) => event.topic === "customers/redact")) {
    events = await afterRedaction(sql, events);
  }

  const lifecycle = events.filter(
    (e) => NON_DATA_TOPICS.has(e.topic) && !COMPLIANCE_TOPICS.has(e.topic),
  );
  await markEventsDone(sql, lifecycle);
  result.applied += lifecycle.length;

  const dataEvents = events.filter((event) => !NON_DATA_TOPICS.has(event.topic));
  if (dataEvents.length === 0) return;
  const { rows } = await sql.query<{ id: number }>(
    `SELECT id FROM shop WHERE domain = $1 AND state = 'installed'`,
    [shopDomain],
  );
  const shopId = rows[0]?.id;
  if (shopId === undefined) {
    // Data for a shop that uninstalled (or never finished installing) is not kept.
    await markEventsDone(sql, dataEvents, "skipped: shop not installed");
    result.applied += dataEvents.length;
    return;
  }

  const parsed: ParsedEvent[] = [];
  for (const event of dataEvents) {
    try {
      parsed.push(parseEvent(event));
    } catch (error) {
      if (!(error instanceof UnprocessableEventError)) throw error;
      logger.warn(
        { shopDomain, topic: event.topic, inboxId: event.id, reason: error.message },
        "dead-lettered webhook",
      );
      await markEventsDead(sql, [event], error.reason, error.message);
      result.dead += 1;
    }
  }
  for (const { event, warnings } of parsed) {
    for (const warning of warnings) {
      logger.warn(
        { shopDomain, topic: event.topic, inboxId: event.id, ...warning },
        "webhook field dropped",
      );
    }
  }
  const eventsOf = (items: readonly ParsedEvent[]) => items.map((item) => item.event);
  await applyIsolatingFailures(parsed, {
    apply: async (items) => {
      const applyMarkingDone = (claiming: RescoringOptions | undefined) =>
        withoutCommitFlush(sql, async (tx) => {
          const applied = await applyRecordBatch(tx, shopId, batchOf(items), claiming);
          await markEventsDone(tx, eventsOf(items));
          return applied;
        });
      const applied = await applyMarkingDone(rescoring).catch((error: unknown) => {
        if (!(error instanceof MarkAndClaimError)) throw error;
        // Reading for the rescoring must not hold webhooks back: apply them with marks only.
        logger.warn(
          { shopDomain, events: items.length, err: error.cause },
          "reading webhooks' customers for their rescoring failed; applied with marks only",
        );
        return applyMarkingDone(undefined);
      });
      result.applied += items.length;
      result.changes.push({ shopId, ...applied.changes });
      if (applied.claimed) await rescoreAfterApply(sql, shopDomain, applied.claimed);
    },
    poison: async ({ event }, error) => {
      logger.warn(
        { shopDomain, topic: event.topic, inboxId: event.id, err: error },
        "dead-lettered webhook that fails on its own",
      );
      await markEventsDead(
        sql,
        [event],
        message("deadReasons.valueOutOfRange"),
        (error as Error).message,
      );
      result.dead += 1;
    },
    transient: async (items, error) => {
      logger.error(
        { shopDomain, events: items.length, err: error },
        "applying webhook batch failed",
      );
      await markEventsFailed(sql, eventsOf(items), (error as Error).message);
      result.failed += items.length;
    },
  });
}

async function processComplianceEvent(sql: SqlClient, event: InboxEvent, result: DrainResult) {
  try {
    const body = parseJsonExact(event.payload);
    await sql.transaction(async (tx) => {
      await applyComplianceEvent(tx, event.shopDomain, event.topic, body);
      await markEventsDone(tx, [event]);
      // The request names the customer; once acted on, it need not keep their details.
      if (event.topic !== "shop/redact") {
        await tx.query(
          `/* across shops: the inbox queue settles what it claimed, by row key */
         UPDATE webhook_inbox w SET payload = '{"redacted":true}' FROM ${ROW_KEYS} WHERE ${BY_ROW_KEY}`,
          rowKeyParams([event]),
        );
      }
    });
    result.applied += 1;
  } catch (error) {
    if (error instanceof ZodError || error instanceof SyntaxError) {
      await markEventsDead(
        sql,
        [event],
        message("deadReasons.wrongShape"),
        (error as Error).message,
      );
      result.dead += 1;
      return;
    }
    await markEventsFailed(sql, [event], (error as Error).message);
    result.failed += 1;
  }
}

/**
 * A customers/redact in the batch has redacted the batch's other deliveries in the database
 * (records of the customer closed, orders stripped of personal fields): they go on from what
 * is stored now, not from the bodies claimed before.
 */
async function afterRedaction(sql: SqlClient, events: InboxEvent[]): Promise<InboxEvent[]> {
  const { rows } = await sql.query<{ id: string; payload: string; status: string }>(
    `/* across shops: the inbox queue rereads what it claimed, by row key */
     SELECT w.id::text, w.payload, w.status FROM webhook_inbox w JOIN ${ROW_KEYS} ON ${BY_ROW_KEY}`,
    rowKeyParams(events),
  );
  const stored = new Map(rows.map((row) => [row.id, row]));
  return events.flatMap((event) => {
    const row = stored.get(event.id);
    if (!row || row.status === "done") return [];
    return [{ ...event, payload: row.payload }];
  });
}

/** Drains until the inbox has nothing runnable (tests, backfill hand-off, the demo). */
export async function drainInbox(
  sql: SqlClient,
  batchSize = 500,
  rescoring?: RescoringOptions,
): Promise<DrainResult> {
  const total: DrainResult = { claimed: 0, applied: 0, dead: 0, failed: 0, changes: [] };
  for (;;) {
    const step = await processInboxBatch(sql, batchSize, undefined, rescoring);
    if (step.claimed === 0) return total;
    total.claimed += step.claimed;
    total.applied += step.applied;
    total.dead += step.dead;
    total.failed += step.failed;
    total.changes.push(...step.changes);
  }
}

export interface InboxWorker {
  stop(): Promise<void>;
}

/** A polling worker loop; several may run, in one process or many. */
export function startInboxWorker(
  sql: SqlClient,
  options: {
    batchSize?: number;
    idleDelayMs?: number;
    /** How long a claimed batch stays locked before another worker may take it over. */
    lockSeconds?: number;
    /** Rescores the customers each batch changed right after its commit (processInboxBatch). */
    rescoring?: RescoringOptions;
    onBatch?: (result: DrainResult) => void;
  } = {},
): InboxWorker {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        const result = await processInboxBatch(
          sql,
          options.batchSize ?? 500,
          options.lockSeconds,
          options.rescoring,
        );
        options.onBatch?.(result);
        if (result.claimed > 0) continue;
      } catch (error) {
        logger.error({ err: error }, "inbox worker iteration failed");
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.idleDelayMs ?? 500);
      });
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
