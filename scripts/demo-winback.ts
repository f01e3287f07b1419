import type { SqlQueryable } from "~/lib/database-adapter.server";
import { listRules, saveRule, setRuleStatus } from "~/services/winback/rule-store.server";

export const DEMO_RULE_NAME = "Win back lapsing customers";

/**
 * The demo shop's starter rule, switched on: repeat customers quiet for 60 days get a 15% code,
 * the storefront banner, a tag, an email (to the local sink) and a Flow trigger; 10% are held
 * back. No quiet hours, so the demo acts whatever the hour, and at most 40 customers per run,
 * so the first run fits the simulated Admin API's burst allowance and the demo starts quickly.
 */
const DEMO_RULE_CONFIG = {
  trigger: { kind: "days_since_last_order", days: 60 },
  audience: "orders_count >= 2",
  holdoutPercent: 10,
  quietHours: { start: 0, end: 0 },
  maxPerRun: 40,
  actions: {
    discount: { valueType: "percentage", value: 15, expiresInDays: 14, prefix: "COMEBACK" },
    offer: { title: "We miss you" },
    addTags: ["rekindle-winback"],
    email: {
      subject: "{{first_name}}, here is {{discount}}",
      body: [
        "Hi {{first_name}},",
        "",
        "It has been a while. Use {{code}} for {{discount}} before {{expires_on}}.",
        "",
        "{{shop_name}}",
        "",
        "Unsubscribe: {{unsubscribe_url}}",
      ].join("\n"),
    },
    flowTrigger: true,
  },
};

/** Creates and starts the starter rule (once; a second demo run keeps it). */
export async function startDemoWinbackRule(sql: SqlQueryable, shopId: number): Promise<bigint> {
  const existing = (await listRules(sql, shopId)).find((rule) => rule.name === DEMO_RULE_NAME);
  if (existing) return existing.id;
  const rule = await saveRule(sql, shopId, { name: DEMO_RULE_NAME, config: DEMO_RULE_CONFIG });
  await setRuleStatus(sql, shopId, rule.id, "active");
  return rule.id;
}

/** Waits for the rule's first run to finish; returns up to three customers it gave an offer. */
export async function waitForDemoWinbackRun(
  sql: SqlQueryable,
  ruleId: bigint,
  timeoutMs = 120_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await sql.query(
      `SELECT 1 FROM winback_run WHERE rule_id = $1 AND status = 'done'`,
      [ruleId.toString()],
    );
    if (rows.length > 0) {
      const offers = await sql.query<{ customer_id: string }>(
        `SELECT t.customer_id::text FROM winback_target t
         JOIN customer_offer o ON o.shop_id = t.shop_id AND o.customer_id = t.customer_id
                              AND o.code = t.discount_code
         WHERE t.rule_id = $1 ORDER BY t.id LIMIT 3`,
        [ruleId.toString()],
      );
      return offers.rows.map((row) => row.customer_id);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the demo's win-back rule did not finish its first run in time");
}
