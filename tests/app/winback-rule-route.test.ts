import { beforeEach, describe, expect, it } from "vitest";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import {
  formDataFromValues,
  STARTER_RULE_VALUES,
  type RuleFormValues,
} from "~/services/winback/rule-form";
import { APP_URL, TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { formAnswer } from "../helpers/form-answer";
import { subscribeShop } from "../helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import * as rulePage from "~/routes/app.winback.$id";
import { EmailNotConfiguredError } from "~/services/email/email-errors";
import { recordRuleFailure } from "~/services/winback/rule-failures.server";
import { renderAdminDocument } from "../helpers/admin-document";
import { loader as listLoader } from "~/routes/app.winback._index";
import type { AdminLocale } from "~/i18n/config";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import type { Message } from "~/i18n/message";

const { loader, action } = rulePage;

// The rule page's loader and action behind real embedded-admin authentication: a stored
// offline session and a signed session token, with the network shut so nothing reaches out.
const { sql, prisma } = await migratedTestDatabase();

const DAY = 86_400_000;
const LAPSED = [101n, 102n, 103n, 104n, 105n, 106n];
const RECENT = [201n, 202n];
let shopId = 0;
shutNetworkDuringTests();

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession();
  // Six customers quiet for 200 days (each with 2 orders), two who bought last week.
  const now = Date.now();
  await insertCustomers(sql, shopId, [...LAPSED, ...RECENT]);
  await insertOrders(sql, shopId, [
    ...LAPSED.flatMap((customerId, i) => [
      { id: 1000n + BigInt(i), customerId, processedAt: new Date(now - 400 * DAY), total: 40 },
      { id: 2000n + BigInt(i), customerId, processedAt: new Date(now - 200 * DAY), total: 40 },
    ]),
    ...RECENT.map((customerId, i) => ({
      id: 3000n + BigInt(i),
      customerId,
      processedAt: new Date(now - 7 * DAY),
      total: 40,
    })),
  ]);
  await recomputeMetricsAndSegments(sql, shopId);
});

const request = embeddedAdminRequest;

const answer = async (id: string, intent: string, values?: RuleFormValues) =>
  action({
    request: await request(`/app/winback/${id}`, {
      intent,
      ...(values ? formDataFromValues(values) : {}),
    }),
    params: { id },
    context: {},
  });
/** The answer as the page reads it (a 4xx form answer's JSON body included). */
const post = async (id: string, intent: string, values?: RuleFormValues) =>
  (await formAnswer(await answer(id, intent, values))) as Exclude<
    Awaited<ReturnType<typeof action>>,
    Response
  >;

/** The rule id a redirect after save points at. */
const redirectedTo = (response: unknown) =>
  new URL((response as Response).headers.get("Location") ?? "", APP_URL).pathname;
const savedId = (response: unknown) => redirectedTo(response).split("/").pop() ?? "";

const errorsOf = (result: unknown) =>
  (result as { fieldErrors?: Record<string, Message> }).fieldErrors ?? {};

/** A field error as a merchant reads it in one of the admin's languages. */
const say = (locale: AdminLocale, text: Message | undefined) =>
  text ? i18nFor(locale, ADMIN_MESSAGES[locale]).t(text.key, text.values) : "";

const load = async (id: string, query = "") =>
  loader({ request: await request(`/app/winback/${id}${query}`), params: { id }, context: {} });

const ruleRows = async () =>
  (
    await sql.query<{ id: string; name: string; status: string; config: Record<string, unknown> }>(
      `SELECT id::text, name, status, config FROM winback_rule WHERE shop_id = $1 ORDER BY id`,
      [shopId],
    )
  ).rows;

const VALID: RuleFormValues = {
  ...STARTER_RULE_VALUES,
  name: "Lapsed 90",
  addTags: "winback, lapsed",
  emailEnabled: false,
};

describe("/app/winback/:id", () => {
  it("a save with errors returns them by field and writes nothing", async () => {
    const response = await answer("new", "save", {
      ...VALID,
      triggerDays: "abc",
      discountValue: "0",
      offerTitle: "",
    });
    expect((response as Response).status).toBe(422);
    const result = await formAnswer(response);
    expect(result).toMatchObject({ ok: false });
    expect(Object.keys(errorsOf(result)).sort()).toEqual([
      "actions.discount.value",
      "actions.offer.title",
      "trigger.days",
    ]);
    expect(await ruleRows()).toEqual([]);

    // The audience is checked with the segment language once the rest is valid.
    const audience = await post("new", "save", { ...VALID, audience: "orders_count >>" });
    expect(Object.keys(errorsOf(audience))).toEqual(["audience"]);

    // A missing name comes with the settings' problems, not instead of them.
    const unnamed = await post("new", "save", { ...VALID, name: " ", capDays: "0" });
    expect(errorsOf(unnamed)).toEqual({
      name: { key: "fieldErrors.nameLength", values: { max: 80 } },
      capDays: { key: "fieldErrors.atLeast", values: { min: 1 } },
    });
    expect(await ruleRows()).toEqual([]);

    // Each arrives as a sentence in the merchant's language, never zod's own wording.
    const typed = errorsOf(result);
    expect(say("en", typed["trigger.days"])).toBe("Enter a number");
    expect(say("en", typed["actions.discount.value"])).toBe("Enter more than 0");
    expect(say("en", errorsOf(unnamed).capDays)).toBe("Enter 1 or more");
    expect(say("tr", errorsOf(unnamed).capDays)).toBe("1 veya daha fazla girin");
    expect(say("zh-CN", errorsOf(unnamed).name)).toBe("请为规则取一个 1 到 80 个字符的名称");
    for (const text of Object.values(typed)) {
      expect(say("fa", text)).not.toMatch(/expected|Invalid|Too (small|big)|fieldErrors/);
    }
  });

  it("a valid save creates a draft and redirects to it; a second save updates it", async () => {
    const created = await post("new", "save", VALID);
    expect(created).toBeInstanceOf(Response);
    const [row] = await ruleRows();
    expect(redirectedTo(created)).toBe(`/app/winback/${row?.id}`);
    expect(row).toMatchObject({ name: "Lapsed 90", status: "draft" });
    expect(row?.config).toMatchObject({
      trigger: { kind: "days_since_last_order", days: 90 },
      audience: "orders_count >= 2",
      actions: {
        discount: { valueType: "percentage", value: 15, expiresInDays: 14 },
        addTags: ["winback", "lapsed"],
        email: null,
      },
    });

    const id = row?.id ?? "";
    const updated = await post(id, "save", {
      ...VALID,
      discountEnabled: false,
      holdoutPercent: "20",
    });
    expect(updated).toEqual({
      ok: true,
      message: { key: "winbackRule.saved", values: { name: "Lapsed 90" } },
    });
    const [after] = await ruleRows();
    expect(after?.config).toMatchObject({ holdoutPercent: 20, actions: { discount: null } });

    const page = await load(id);
    expect(page.rule).toMatchObject({ id, name: "Lapsed 90", status: "draft", hasRun: false });
    expect(page.values).toMatchObject({ holdoutPercent: "20", discountEnabled: false });
    expect(page.history?.report.treated.customers).toBe(0);
  });

  it("saves browse abandonment as the trigger, its window at most the pixel's 90 days", async () => {
    // GIVEN the form with "viewed a product but didn't buy it" chosen
    const browse = {
      ...VALID,
      name: "Browsed",
      triggerKind: "browse_abandoned" as const,
      browseViews: "3",
      triggerDays: "7",
    };
    // WHEN a window beyond the pixel's retention is saved THEN the days field says so
    const tooLong = await post("new", "save", { ...browse, triggerDays: "120" });
    expect(errorsOf(tooLong)).toEqual({
      "trigger.days": { key: "fieldErrors.atMost", values: { max: 90 } },
    });
    // WHEN it is saved as it should be THEN the rule's trigger is stored and read back
    await post("new", "save", browse);
    const [row] = await ruleRows();
    expect(row?.config).toMatchObject({ trigger: { kind: "browse_abandoned", views: 3, days: 7 } });
    const page = await load(row?.id ?? "");
    expect(page.values).toMatchObject({
      triggerKind: "browse_abandoned",
      browseViews: "3",
      triggerDays: "7",
    });
  });

  it("a dry run evaluates the form as it stands, writing nothing", async () => {
    const created = await post("new", "save", VALID);
    const id = savedId(created);
    const before = await ruleRows();

    // The form now asks for 150 days: the lapsed customers (200 days) still qualify.
    const result = await post(id, "dry_run", { ...VALID, triggerDays: "150", holdoutPercent: "0" });
    expect(result).toMatchObject({ ok: true });
    const dry = result && "dryRun" in result ? result.dryRun : undefined;
    if (!dry) throw new Error("the dry run answered without a plan");
    expect(dry.counts).toMatchObject({ qualified: 6, targeted: 6, heldOut: 0 });
    expect(dry.sample).toHaveLength(6);
    expect(dry.sample[0]).toMatchObject({ group: "action", discountCode: expect.any(String) });

    // An unsaved new rule can be tried too, and invalid settings answer with their errors.
    const fresh = await post("new", "dry_run", { ...VALID, audience: "orders_count >= 3" });
    expect(fresh).toMatchObject({ ok: true, dryRun: { counts: { qualified: 0 } } });
    const invalid = await post(id, "dry_run", { ...VALID, capCount: "0" });
    expect(invalid).toMatchObject({
      ok: false,
      fieldErrors: { capCount: { key: "fieldErrors.atLeast", values: { min: 1 } } },
    });

    expect(await ruleRows()).toEqual(before);
    const written = await sql.query(
      `SELECT 1 FROM winback_target UNION ALL SELECT 1 FROM winback_run
       UNION ALL SELECT 1 FROM winback_action`,
    );
    expect(written.rows).toEqual([]);
  });

  it("starts, pauses and deletes a rule; one that has run cannot be deleted", async () => {
    const created = await post("new", "save", VALID);
    const id = savedId(created);
    expect(await post(id, "activate")).toMatchObject({ ok: true });
    expect((await ruleRows())[0]?.status).toBe("active");
    expect(await post(id, "run_now")).toMatchObject({ ok: true });
    expect(await post(id, "pause")).toMatchObject({ ok: true });
    expect((await ruleRows())[0]?.status).toBe("paused");

    await sql.query(
      `INSERT INTO winback_run (shop_id, rule_id, status, started_at) VALUES ($1, $2, 'done', now())`,
      [shopId, id],
    );
    expect(await post(id, "delete")).toEqual({
      ok: false,
      message: {
        key: "common.verbatim",
        values: { text: "A rule that has run keeps its history: pause it instead" },
      },
    });

    const other = await post("new", "save", { ...VALID, name: "Never ran" });
    const otherId = savedId(other);
    const deleted = await post(otherId, "delete");
    expect(redirectedTo(deleted)).toBe("/app/winback");
    expect((await ruleRows()).map((row) => row.name)).toEqual(["Lapsed 90"]);
  });

  it("shows how the rule's emails went: sent, retrying, failed with the reason, uncertain", async () => {
    // GIVEN a rule whose run sent one email, is retrying one, failed two and lost track of one
    const id = savedId(await post("new", "save", { ...VALID, emailEnabled: true }));
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO winback_run (shop_id, rule_id, status, started_at)
       VALUES ($1, $2, 'executing', now()) RETURNING id::text`,
      [shopId, id],
    );
    const runId = rows[0]?.id;
    const refused = { key: "actionReasons.addressRefused", values: { replyCode: 550 } };
    const outcomes: Array<[string, object | null]> = [
      ["done", null],
      ["retrying", { key: "actionReasons.serverUnreachable" }],
      ["failed", refused],
      ["failed", refused],
      ["uncertain", { key: "actionReasons.stoppedMidSend" }],
    ];
    for (const [i, [status, error]] of outcomes.entries()) {
      const customerId = LAPSED[i]?.toString();
      await sql.query(
        `WITH target AS (
           INSERT INTO winback_target (shop_id, rule_id, run_id, customer_id, trigger_key, holdout, created_at)
           VALUES ($1, $2, $3, $4, 'lapse', false, now()) RETURNING id)
         INSERT INTO winback_action (shop_id, rule_id, run_id, target_id, customer_id, kind, position,
                                     status, error, updated_at)
         SELECT $1, $2, $3, id, $4, 'email', 1, $5, $6::jsonb, now() FROM target`,
        [shopId, id, runId, customerId, status, error && JSON.stringify(error)],
      );
    }
    // WHEN the merchant opens the rule
    const page = await load(id);
    // THEN the page has the counts and the reasons, which it words in the merchant's language
    expect(page.history?.emails).toEqual({
      sent: 1,
      waiting: 0,
      retrying: 1,
      failed: 2,
      uncertain: 1,
      reasons: [{ reason: refused, count: 2 }],
    });
    expect(page.rule?.sendsEmail).toBe(true);
  });

  it("offers the starter for a new rule and 404s an unknown one", async () => {
    expect((await load("new", "?starter=1")).values).toMatchObject({
      name: "Win back lapsing customers",
      audience: "orders_count >= 2",
      offerEnabled: true,
      emailEnabled: true,
    });
    const missing = await load("999").then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect((missing as Response).status).toBe(404);
  });

  it("tells a merchant on Free that its plan skips the emails, and names the plan that sends them", async () => {
    // GIVEN a shop on Free
    const limit = (await load("new", "?starter=1")).emailPlanLimit ?? undefined;
    expect(limit?.key).toBe("planLimit.notIncluded.winbackEmail");
    expect(say("en", limit)).toBe(
      "Win-back emails aren't included in the Free plan. Upgrade to Growth to use them.",
    );
    expect(say("ms", limit)).toMatch(/^E-mel tarik-balik tidak termasuk dalam pelan Percuma\./);
    // WHEN it moves to Growth, THEN the page has nothing to warn about
    await subscribeShop(sql, shopId, "Growth");
    expect((await load("new", "?starter=1")).emailPlanLimit).toBeNull();
  });

  it("answers 404, changing nothing, for every action on a rule id that does not exist", async () => {
    // GIVEN one saved rule
    await post("new", "save", VALID);
    const before = await ruleRows();
    // WHEN the merchant's form names a rule id that is not theirs or never existed
    for (const id of ["999", "9223372036854775807", "9999999999999999999"]) {
      for (const intent of ["save", "dry_run", "activate", "pause", "run_now", "delete"]) {
        const outcome = await post(id, intent, VALID).then(
          (answer: unknown) => answer,
          (thrown: unknown) => thrown,
        );
        // THEN the answer is a 404, not a server error
        expect(outcome instanceof Response ? outcome.status : outcome, `${intent} ${id}`).toBe(404);
      }
    }
    expect(await ruleRows()).toEqual(before);
  });

  it("the list describes each rule and its results so far", async () => {
    await post("new", "save", VALID);
    await post("new", "save", { ...VALID, name: "Abandoned", triggerKind: "abandoned_checkout" });
    const list = await listLoader({
      request: await request("/app/winback"),
      params: {},
      context: {},
    });
    expect(list.rules).toEqual([
      expect.objectContaining({
        name: "Abandoned",
        trigger: { trigger: { kind: "abandoned_checkout", hours: 4 } },
      }),
      expect.objectContaining({
        name: "Lapsed 90",
        status: "draft",
        trigger: { trigger: { kind: "days_since_last_order", days: 90 } },
        lastRunAt: null,
        treated: 0,
        treatedRate: null,
        lift: null,
      }),
    ]);
  });

  it("says why the last run failed in the merchant's language, never as a key", async () => {
    // GIVEN a rule whose last run failed for want of email settings
    const id = savedId(await post("new", "save", VALID));
    await recordRuleFailure(
      sql,
      shopId,
      BigInt(id),
      new EmailNotConfiguredError(shopId),
      new Date(),
    );
    const page = async (query: string) => {
      const answer = await renderAdminDocument(await request(`/app/winback/${id}${query}`), {
        id: "routes/app.winback.$id",
        path: "winback/:id",
        module: rulePage,
      });
      expect(answer.status).toBe(200);
      // What the merchant sees: the markup without the loader's data the scripts carry.
      return (await answer.text())
        .replace(/<script[\s\S]*?<\/script>/g, "")
        .replaceAll("&#x27;", "'");
    };
    // WHEN the rule page is rendered in English and in Persian
    // THEN each names the cause and what to do, in its language
    expect(await page("")).toContain("Emails can't be sent: no mail server is set up.");
    expect(await page("?locale=fa")).toContain(
      "ایمیل‌ها فرستاده نمی‌شوند: هیچ سرور ایمیلی تنظیم نشده است.",
    );
    // AND a reason this version has no text for (an older row) reads as the generic one
    await sql.query(`UPDATE winback_rule SET last_error = '{"key":"ruleFailures.retired"}'::jsonb`);
    const persian = await page("?locale=fa");
    expect(persian).toContain("اجرا به‌خاطر خطایی پیش‌بینی‌نشده متوقف شد.");
    expect(persian).not.toMatch(/ruleFailures\./);
  });
});
