import { beforeEach, describe, expect, it } from "vitest";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { SEGMENT_TEMPLATES } from "~/services/segments/templates";
import * as editor from "~/routes/app.segments.$id";
import * as list from "~/routes/app.segments._index";
import * as members from "~/routes/app.segments.$id_.members";
import * as csv from "~/routes/app.segments.$id_.export";
import * as preview from "~/routes/app.segments.preview";
import { renderAdminDocument } from "../helpers/admin-document";
import { embeddedAdminRequest, TEST_SHOP } from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { formAnswer } from "../helpers/form-answer";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The segments pages behind real embedded-admin authentication: a stored offline session and a
// signed session token, with the network shut so nothing reaches out.
const { sql, prisma } = await migratedTestDatabase();
shutNetworkDuringTests();

const DAY = 86_400_000;
/** 60 customers: ids 1-20 bought once 200 days ago, 21-40 three times lately, 41-60 never. */
const ONCE = Array.from({ length: 20 }, (_, i) => BigInt(i + 1));
const OFTEN = Array.from({ length: 20 }, (_, i) => BigInt(i + 21));
const NEVER = Array.from({ length: 20 }, (_, i) => BigInt(i + 41));
let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } })).id;
  await storeOfflineSession();
  const now = Date.now();
  await insertCustomers(sql, shopId, [...ONCE, ...OFTEN, ...NEVER]);
  await sql.query(
    `UPDATE customer SET tags = '{vip}', country_code = 'DE' WHERE shop_id = $1 AND id <= 5`,
    [shopId],
  );
  await insertOrders(sql, shopId, [
    ...ONCE.map((customerId) => ({
      id: 1000n + customerId,
      customerId,
      processedAt: new Date(now - 200 * DAY),
      total: 30,
    })),
    ...OFTEN.flatMap((customerId) =>
      [3, 20, 40].map((daysAgo) => ({
        id: 10_000n + customerId * 100n + BigInt(daysAgo),
        customerId,
        processedAt: new Date(now - daysAgo * DAY),
        total: 50,
      })),
    ),
  ]);
  await recomputeMetricsAndSegments(sql, shopId);
});

type Answer = {
  ok: boolean;
  id?: string | null;
  message?: { key: string; values?: Record<string, unknown> };
  fieldErrors?: Record<string, { key: string; values?: Record<string, unknown> }>;
};

const post = async (id: string, form: Record<string, string>) => {
  const response = await editor.action({
    request: await embeddedAdminRequest(`/app/segments/${id}`, form),
    params: { id },
    context: {},
  });
  return {
    status: response instanceof Response ? response.status : 200,
    answer: (await formAnswer(response)) as Answer,
  };
};
const load = async (id: string, query = "") =>
  editor.loader({
    request: await embeddedAdminRequest(`/app/segments/${id}${query}`),
    params: { id },
    context: {},
  });
const statusOf = (run: () => Promise<unknown>) =>
  run().then(
    (answer) => (answer instanceof Response ? answer.status : 200),
    (thrown) => (thrown instanceof Response ? thrown.status : Promise.reject(thrown)),
  );
const segmentRows = async () =>
  (
    await sql.query<{ id: string; name: string; query: string; members: number }>(
      `SELECT s.id::text, s.name, s.query,
              (SELECT count(*)::int FROM segment_membership m WHERE m.segment_id = s.id) AS members
       FROM segment s WHERE s.shop_id = $1 ORDER BY s.id`,
      [shopId],
    )
  ).rows;

describe("the segment editor", () => {
  it("saves a rule of OR-ed groups with its members, edits it, and answers each save with a message", async () => {
    // GIVEN a rule the builder writes for "VIPs, or three or more orders and active"
    const rule = "tags CONTAINS 'vip' OR (orders_count >= 3 AND days_since_last_order <= 30)";
    // WHEN the merchant saves it as a new segment
    const created = await post("new", {
      intent: "save",
      name: "Best",
      query: rule,
      tagInShopify: "on",
    });
    // THEN it is stored in canonical form with its 25 members, and the answer names it
    expect(created).toMatchObject({
      status: 200,
      answer: { ok: true, message: { key: "segments.saved", values: { name: "Best" } } },
    });
    const [stored] = await segmentRows();
    expect(stored).toEqual({ id: created.answer.id, name: "Best", query: rule, members: 25 });

    // WHEN the merchant narrows it on its own page
    const edited = await post(stored?.id ?? "", {
      intent: "save",
      name: "Best VIPs",
      query: "tags CONTAINS 'vip'",
    });
    // THEN the same segment changes, members follow, and no second one appears
    expect(edited.answer).toMatchObject({ ok: true, id: stored?.id });
    expect(await segmentRows()).toEqual([
      { id: stored?.id, name: "Best VIPs", query: "tags CONTAINS 'vip'", members: 5 },
    ]);
  });

  it("refuses a bad name or rule field by field, in message keys, and writes nothing", async () => {
    const unnamed = await post("new", { intent: "save", name: "  ", query: "orders_count >= 1" });
    expect(unnamed.status).toBe(422);
    expect(unnamed.answer.fieldErrors).toEqual({
      name: { key: "segments.nameLength", values: { max: 80 } },
    });
    const badRule = await post("new", {
      intent: "save",
      name: "Bad",
      query: "orders_count >= many",
    });
    expect(badRule.status).toBe(422);
    expect(badRule.answer.fieldErrors?.query?.key).toMatch(/^segmentErrors\.\w+$/);
    expect(badRule.answer.fieldErrors?.query?.values).toEqual({
      line: 1,
      column: expect.any(Number),
    });
    expect(await segmentRows()).toEqual([]);

    await post("new", { intent: "save", name: "Taken", query: "orders_count >= 1" });
    const taken = await post("new", { intent: "save", name: "Taken", query: "orders_count >= 2" });
    expect(taken.answer.fieldErrors).toEqual({ name: { key: "segments.nameTaken" } });
    // Nothing of the language's English reaches the answer.
    expect(JSON.stringify([unnamed, badRule, taken])).not.toMatch(/characters|already|Expected/);
  });

  it("duplicates a segment under a free name with the same members, then deletes one", async () => {
    const { answer } = await post("new", {
      intent: "save",
      name: "Once",
      query: "orders_count = 1",
    });
    const id = answer.id ?? "";
    const copy = await post(id, { intent: "duplicate", name: "Copy of Once" });
    const again = await post(id, { intent: "duplicate", name: "Copy of Once" });
    expect(copy.answer).toMatchObject({
      ok: true,
      message: { key: "segments.duplicated", values: { name: "Copy of Once" } },
    });
    expect(again.answer.message?.values).toEqual({ name: "Copy of Once 2" });
    expect((await segmentRows()).map(({ name, members }) => [name, members])).toEqual([
      ["Once", 20],
      ["Copy of Once", 20],
      ["Copy of Once 2", 20],
    ]);

    const deleted = await post(copy.answer.id ?? "", { intent: "delete" });
    // A null id sends the page back to the list.
    expect(deleted.answer).toEqual({ ok: true, message: { key: "segments.deleted" }, id: null });
    expect((await segmentRows()).map((row) => row.name)).toEqual(["Once", "Copy of Once 2"]);
  });

  it("will not delete a segment a win-back rule starts from, and says which rule", async () => {
    const { answer } = await post("new", {
      intent: "save",
      name: "Lapsed",
      query: "orders_count = 1",
    });
    await sql.query(
      `INSERT INTO winback_rule (shop_id, name, status, config) VALUES ($1, 'Come back', 'draft', $2::jsonb)`,
      [shopId, JSON.stringify({ trigger: { segmentId: answer.id } })],
    );
    const refused = await post(answer.id ?? "", { intent: "delete" });
    expect(refused).toEqual({
      status: 422,
      answer: { ok: false, message: { key: "segments.inUse", values: { rules: "Come back" } } },
    });
    expect(await segmentRows()).toHaveLength(1);
  });

  it("opens a template filled in, an unknown one as a blank rule, and answers 404 for a segment that isn't there", async () => {
    for (const template of SEGMENT_TEMPLATES) {
      const page = await load("new", `?template=${template.key}`);
      expect(page).toMatchObject({ template: template.key, draft: { query: template.rule } });
    }
    expect(await load("new", "?template=nope")).toMatchObject({
      template: null,
      draft: { name: "", query: "days_since_last_order > 90" },
    });
    expect(await statusOf(() => load("999"))).toBe(404);
    expect(await statusOf(() => load("abc"))).toBe(404);
    expect(await post("new", { intent: "delete" })).toMatchObject({ status: 400 });
  });

  it("names the products a rule's rows pick", async () => {
    await sql.query(
      `INSERT INTO product (shop_id, id, title, handle, status, created_at, shopify_updated_at)
       VALUES ($1, 501, 'Walnut bowl', 'walnut-bowl', 'active', now(), now())`,
      [shopId],
    );
    const { answer } = await post("new", {
      intent: "save",
      name: "Bowl buyers",
      query: "has_purchased_product(501) OR NOT has_purchased_product(999)",
    });
    const page = await load(answer.id ?? "");
    // A product gone from the catalogue has no title; the page says so in words.
    expect(page.choices.productTitles).toEqual({ "501": "Walnut bowl" });
  });

  it("offers the shop's collections and counts who bought from one, within a window", async () => {
    // GIVEN two collections, one holding product 1 (every order's line here), and a deleted one
    await sql.query(
      `INSERT INTO collection (shop_id, id, title, handle, shopify_updated_at, deleted_at) VALUES
         ($1, 9007199254740995, 'Wooden toys', 'wooden-toys', now(), NULL),
         ($1, 12, 'Candles', 'candles', now(), NULL),
         ($1, 13, 'Old sale', 'old-sale', now(), now())`,
      [shopId],
    );
    await sql.query(
      `INSERT INTO collection_product (shop_id, collection_id, product_id) VALUES ($1, 9007199254740995, 1)`,
      [shopId],
    );
    // WHEN the merchant saves the builder's collection rows
    const { answer } = await post("new", {
      intent: "save",
      name: "Toy buyers lately",
      query: "has_purchased_from_collection(9007199254740995, within_days: 30)",
    });
    const anyTime = await post("new", {
      intent: "save",
      name: "Toy buyers",
      query: "has_purchased_from_collection(9007199254740995)",
    });
    const candles = await post("new", {
      intent: "save",
      name: "Candle buyers",
      query: "has_purchased_from_collection(12)",
    });
    // THEN the picker offers the live collections by title, ids exact
    const page = await load(answer.id ?? "");
    expect(page.choices.collections).toEqual([
      { id: "12", title: "Candles" },
      { id: "9007199254740995", title: "Wooden toys" },
    ]);
    // AND the members are who bought from it: within 30 days only the frequent buyers
    expect(page.segment).toEqual({ id: answer.id, members: 20 });
    expect((await load(anyTime.answer.id ?? "")).segment?.members).toBe(40);
    expect((await load(candles.answer.id ?? "")).segment?.members).toBe(0);
    // AND the editor shows the row with the collection's title and the window, not rule text
    const document = await (
      await renderAdminDocument(await embeddedAdminRequest(`/app/segments/${answer.id}`), {
        id: "routes/app.segments.$id",
        path: "segments/:id",
        module: editor,
      })
    ).text();
    // The markup as drawn (the page's data, texts included, follows it).
    const html = document.slice(
      document.indexOf("<ui-title-bar"),
      document.indexOf('<div id="PolarisPortalsContainer">'),
    );
    for (const text of ["Purchased from collection", "has bought", "Chosen: Wooden toys"]) {
      expect(html, text).toContain(text);
    }
    expect(html).toMatch(/Bought within how many days<\/span>[\s\S]*?value="30"/);
    expect(html).not.toContain("edit it as text below");
  });

  it("offers the shop's tags and countries and shows the first page of members", async () => {
    const { answer } = await post("new", {
      intent: "save",
      name: "Ordered",
      query: "orders_count >= 1",
    });
    const page = await load(answer.id ?? "");
    expect(page.choices).toMatchObject({ tags: ["vip"], countries: ["DE"] });
    expect(page.segment).toEqual({ id: answer.id, members: 40 });
    expect(page.members?.members).toHaveLength(40);
    expect(page.members?.members[20]).toMatchObject({
      customerId: "21",
      ordersCount: 3,
      totalSpent: 150,
      lifecycleStage: expect.any(String),
    });
  });
});

describe("the member pages and the CSV export", () => {
  it("page through members and export them all in the merchant's language", async () => {
    const { answer } = await post("new", {
      intent: "save",
      name: "Ordered ones",
      query: "orders_count >= 1",
    });
    const id = answer.id ?? "";
    const next = await members.loader({
      request: await embeddedAdminRequest(`/app/segments/${id}/members?after=30`),
      params: { id },
      context: {},
    });
    expect(next.members.map((member) => member.customerId)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(31 + i)),
    );
    expect(next).toMatchObject({ hasNext: false, hasPrevious: true });

    const response = await csv.loader({
      request: await embeddedAdminRequest(`/app/segments/${id}/export?locale=tr`),
      params: { id },
      context: {},
    });
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain(
      "filename*=UTF-8''Ordered-ones.csv",
    );
    expect(response.body).toBeInstanceOf(ReadableStream);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "\uFEFFAd,E-posta,Yaşam döngüsü aşaması,Siparişler,Toplam harcama (USD),Son sipariş,Tahmini değer (USD)",
    );
    expect(lines).toHaveLength(41);
    expect(lines.join("\n")).not.toMatch(/,(new|active|lapsing|lost|at_risk|loyal),/);
  });

  it("answer 404 for another id", async () => {
    for (const route of [members, csv]) {
      const request = await embeddedAdminRequest(`/app/segments/77/export`);
      expect(
        await statusOf(async () => route.loader({ request, params: { id: "77" }, context: {} })),
      ).toBe(404);
    }
  });
});

describe("the live preview", () => {
  it("words a broken rule by code and place, never in the language's English", async () => {
    const answer = await preview.loader({
      request: await embeddedAdminRequest(
        `/app/segments/preview?q=${encodeURIComponent("orders_count >")}`,
      ),
      params: {},
      context: {},
    });
    expect(answer).toEqual({
      ok: false,
      rule: "orders_count >",
      error: { key: "segmentErrors.unexpected_token", values: { line: 1, column: 15 } },
    });
  });
});

describe("the segments pages as rendered", () => {
  /** The page as drawn: the markup between the page's start and Polaris' portals, without the data. */
  const render = async (path: string, page: Parameters<typeof renderAdminDocument>[1]) => {
    const html = await (await renderAdminDocument(await embeddedAdminRequest(path), page)).text();
    return html.slice(
      html.indexOf("<ui-title-bar"),
      html.indexOf('<div id="PolarisPortalsContainer">'),
    );
  };

  it("list the segments with a title bar action, the templates and help; an empty list says what to do", async () => {
    const empty = await render("/app/segments", {
      id: "routes/app.segments._index",
      path: "segments",
      index: true,
      module: list,
    });
    expect(empty).toContain("<ui-title-bar");
    expect(empty).toContain("You have no segments yet");
    // Help is the link at the foot of the page, as on every other page.
    expect(empty).toContain("About “Segments”: what it does and what to do next");
    expect(empty).toContain('<ui-modal id="help-segments">');
    expect(empty).toContain("Lapsed VIPs");
    expect(empty).toContain('href="/app/segments/new?template=first_order_recent"');

    await post("new", { intent: "save", name: "Ordered", query: "orders_count >= 1" });
    const listed = await render("/app/segments", {
      id: "routes/app.segments._index",
      path: "segments",
      index: true,
      module: list,
    });
    expect(listed).not.toContain("You have no segments yet");
    expect(listed).toMatch(/Ordered<\/a>/);
  });

  it("show the editor with groups, worded operators and values, the member list and help", async () => {
    const { answer } = await post("new", {
      intent: "save",
      name: "Mixed",
      query:
        "lifecycle_stage IN ('active', 'loyal') OR (orders_count >= 1 AND days_since_last_order > 90)",
    });
    const html = await render(`/app/segments/${answer.id}`, {
      id: "routes/app.segments.$id",
      path: "segments/:id",
      module: editor,
    });
    for (const text of [
      "Group 1",
      "Group 2",
      "Any of these",
      "is at least",
      "is more than",
      "Active",
      "Loyal",
      "days",
      "40 members",
      "Export CSV",
      "About “Mixed”: what it does and what to do next",
      '<ui-modal id="help-segment">',
      "<ui-save-bar",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).not.toMatch(/>\s*(>=|&gt;=|days_since_last_order)\s*</);
    // The rule's example is code: it reads left to right on a right-to-left page too.
    expect(html).toContain('e.g. <code dir="ltr">days_since_last_order &gt; 90 AND (');
    const persian = await render(`/app/segments/${answer.id}?locale=fa`, {
      id: "routes/app.segments.$id",
      path: "segments/:id",
      module: editor,
    });
    expect(persian).toContain("گروه ۱");
    expect(persian).toContain('مثلاً <code dir="ltr">days_since_last_order');
  });

  it("edit a purchase window as a number of days, and offer Save once, in the save bar", async () => {
    // GIVEN a segment of customers who bought a product in the last 30 days
    const { answer } = await post("new", {
      intent: "save",
      name: "Bought lately",
      query: "has_purchased_product(42, within_days: 30)",
    });
    // WHEN its editor is rendered
    const html = await render(`/app/segments/${answer.id}`, {
      id: "routes/app.segments.$id",
      path: "segments/:id",
      module: editor,
    });
    // THEN the window is a number box between "within" and "days", not rule text
    const window = html.match(/Bought within how many days<\/span>[\s\S]*?(<input[^>]*>)/)?.[1];
    expect(window).toMatch(/inputMode="decimal"/);
    expect(window).toMatch(/value="30"/);
    expect(window).toMatch(/min="1"/);
    expect(window).toMatch(/max="36500"/);
    expect(html).not.toContain("edit it as text below");
    // AND a Persian page shows it in Persian digits
    const persian = await render(`/app/segments/${answer.id}?locale=fa`, {
      id: "routes/app.segments.$id",
      path: "segments/:id",
      module: editor,
    });
    expect(persian).toContain('value="۳۰"');
    // AND Save is offered by the save bar only: not in the title bar, not at the foot of the form
    const titleBar = html.match(/<ui-title-bar[^>]*>(.*?)<\/ui-title-bar>/s)?.[1] ?? "";
    expect(titleBar).not.toMatch(/>Save</);
    const outsideBars = html.replace(/<ui-(title|save)-bar[\s\S]*?<\/ui-\1-bar>/g, "");
    expect(outsideBars).not.toMatch(/>Save( segment)?</);
    expect(html.match(/<ui-save-bar[\s\S]*?<\/ui-save-bar>/)?.[0]).toMatch(/>Save</);
  });
});
