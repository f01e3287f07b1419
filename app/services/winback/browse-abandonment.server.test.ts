import { beforeAll, describe, expect, it } from "vitest";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import {
  insertPixelEvents,
  stitchBrowser,
  type PixelEventRow,
} from "~/services/behaviour/testing/pixel-rows";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { executeRun, type RunEffects, type WinbackEmail } from "./execute-run.server";
import { evaluateRule, planRuleRun } from "./plan-run.server";
import { saveRule, setRuleStatus, type StoredRule } from "./rule-store.server";

// Browse abandonment against hand-made pixel events: who qualifies, and that a rule reaches a
// customer about a product once per window through the ordinary run machinery.
const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-20T15:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRODUCT = 900n;
const OTHER_PRODUCT = 901n;
const TRIGGER = { kind: "browse_abandoned", views: 3, days: 7 };
let shopId: number;
const pixelEvents = (rows: readonly PixelEventRow[]) => insertPixelEvents(sql, shopId, rows);

/** `count` views of the product by the customer, one a day, the last `lastDaysAgo` days ago. */
const views = (
  customerId: bigint | null,
  count: number,
  options: {
    lastDaysAgo?: number;
    productId?: bigint;
    clientId?: string;
    marketing?: boolean;
  } = {},
): PixelEventRow[] =>
  Array.from({ length: count }, (_, i) => ({
    name: "product_viewed",
    at: new Date(NOW.getTime() - ((options.lastDaysAgo ?? 1) + i) * DAY),
    customerId,
    productId: options.productId ?? PRODUCT,
    clientId: options.clientId,
    marketing: options.marketing,
  }));

async function activeRule(name: string, config: object = {}): Promise<StoredRule> {
  const saved = await saveRule(sql, shopId, {
    name,
    config: { trigger: TRIGGER, holdoutPercent: 0, cooldownDays: 0, ...config, actions: ACTIONS },
  });
  return setRuleStatus(sql, shopId, saved.id, "active", new Date(NOW.getTime() - 30 * DAY));
}

const ACTIONS = { email: { subject: "Still thinking about it?", body: "{{unsubscribe_url}}" } };

async function chosen(rule: StoredRule, at = NOW) {
  const plan = await evaluateRule(sql, rule, at);
  return plan.targets.map((target) => [target.customerId, target.triggerKey]);
}

class RecordingEffects implements RunEffects {
  transport: RunEffects["transport"] = () =>
    Promise.reject(new Error("an email-only rule never calls Shopify"));
  emails: WinbackEmail[] = [];
  async sendEmail(email: WinbackEmail) {
    this.emails.push(email);
    return { messageId: email.messageId };
  }
  async emitFlow() {}
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "browsing.myshopify.com" } })).id;
  await subscribeShop(sql, shopId, "Pro");
  await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
  await insertCustomers(sql, shopId, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
  await sql.query(
    `UPDATE customer SET email = 'c' || id || '@example.com', first_name = 'C' || id,
       email_marketing = CASE WHEN id = 3 THEN 'not_subscribed' ELSE 'subscribed' END
     WHERE shop_id = $1`,
    [shopId],
  );
});

describe("browse abandonment trigger", () => {
  it("GIVEN three views of a product by a consenting subscriber WHEN the rule runs THEN they are chosen for that product", async () => {
    await pixelEvents(views(1n, 3));
    const rule = await activeRule("Browsed 1");
    expect(await chosen(rule)).toEqual([[1n, "browse:900:2026-11-17"]]);
  });

  it("GIVEN views without marketing consent in the pixel THEN not chosen", async () => {
    await pixelEvents(views(2n, 3, { marketing: false }));
    const rule = await activeRule("Browsed 2");
    expect((await chosen(rule)).map(([customer]) => customer)).not.toContain(2n);
  });

  it("GIVEN consent in the pixel but no email marketing subscription THEN not chosen", async () => {
    await pixelEvents(views(3n, 3));
    const rule = await activeRule("Browsed 3");
    expect((await chosen(rule)).map(([customer]) => customer)).not.toContain(3n);
  });

  it("GIVEN a later event that withdrew marketing consent THEN not chosen", async () => {
    await pixelEvents([
      ...views(8n, 3, { lastDaysAgo: 2 }),
      { name: "page_viewed", at: new Date(NOW.getTime() - DAY), customerId: 8n, marketing: false },
    ]);
    const rule = await activeRule("Browsed 8");
    expect((await chosen(rule)).map(([customer]) => customer)).not.toContain(8n);
  });

  it("GIVEN the product was added to the cart after the views THEN not chosen", async () => {
    await pixelEvents([
      ...views(4n, 3, { lastDaysAgo: 2 }),
      {
        name: "product_added_to_cart",
        at: new Date(NOW.getTime() - DAY),
        customerId: 4n,
        productId: PRODUCT,
      },
    ]);
    const rule = await activeRule("Browsed 4");
    expect((await chosen(rule)).map(([customer]) => customer)).not.toContain(4n);
  });

  it("GIVEN the product was bought after the views THEN not chosen", async () => {
    await pixelEvents(views(5n, 3, { lastDaysAgo: 2 }));
    await insertOrders(sql, shopId, [
      {
        id: 501n,
        customerId: 5n,
        processedAt: new Date(NOW.getTime() - DAY),
        total: 30,
        lines: [[PRODUCT, 1]],
      },
    ]);
    const rule = await activeRule("Browsed 5");
    expect((await chosen(rule)).map(([customer]) => customer)).not.toContain(5n);
  });

  it("GIVEN fewer views than the rule asks, or views older than its window THEN not chosen", async () => {
    await pixelEvents([...views(6n, 2), ...views(6n, 3, { lastDaysAgo: 8, productId: 902n })]);
    const rule = await activeRule("Browsed 6");
    expect((await chosen(rule)).map(([customer]) => customer)).not.toContain(6n);
  });

  it("GIVEN views sent before sign-in from a browser later stitched to the customer THEN they count", async () => {
    await pixelEvents(views(null, 3, { clientId: "browser-7", productId: OTHER_PRODUCT }));
    await stitchBrowser(sql, shopId, "browser-7", 7n);
    const rule = await activeRule("Browsed 7");
    expect(await chosen(rule)).toEqual([
      [1n, "browse:900:2026-11-17"],
      [7n, "browse:901:2026-11-17"],
    ]);
  });

  it("GIVEN a run reached a customer about a product WHEN the rule runs again within the window THEN not again; after it, with new views, again", async () => {
    const rule = await activeRule("Browsed once per window");
    const effects = new RecordingEffects();
    const { runId } = await planRuleRun(sql, rule, NOW);
    const report = await executeRun(sql, shopId, runId, effects, { now: () => NOW });
    expect(report.finished).toBe(true);
    expect(effects.emails.map((email) => email.to).sort()).toEqual([
      "c1@example.com",
      "c7@example.com",
    ]);

    // Another view the next day: the same product stays quiet for the rule's window.
    await pixelEvents(
      views(1n, 1).map((view) => ({ ...view, at: new Date(NOW.getTime() + 12 * HOUR) })),
    );
    const nextDay = new Date(NOW.getTime() + DAY);
    expect((await chosen(rule, nextDay)).map(([customer]) => customer)).not.toContain(1n);

    // Eight days on, three fresh views: a new occurrence.
    const later = new Date(NOW.getTime() + 8 * DAY);
    await pixelEvents(
      [1, 2, 3].map((hoursAgo) => ({
        name: "product_viewed" as const,
        at: new Date(later.getTime() - hoursAgo * HOUR),
        customerId: 1n,
        productId: PRODUCT,
      })),
    );
    expect(await chosen(rule, later)).toContainEqual([1n, "browse:900:2026-11-28"]);
  });
});
