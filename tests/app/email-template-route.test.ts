import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.email-template";
import type { AdminLocale } from "~/i18n/config";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import type { Message } from "~/i18n/message";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { localSmtpSettings, saveEmailSettings } from "~/services/email/email-settings.server";
import { closeEmailTransports } from "~/services/email/send-email.server";
import { shopBrands } from "~/services/email/templates/brand-store.server";
import { storedTemplates } from "~/services/email/templates/template-store.server";
import {
  DEFAULT_TEMPLATE,
  type TemplateDocument,
} from "~/services/email/templates/template-document";
import { servingCatalogue } from "~/services/recommendations/catalogue.server";
import { servingModelHeaders } from "~/services/recommendations/model-reader.server";
import { servingSettings } from "~/services/recommendations/settings-store.server";
import { seedRecommendationShop } from "~/services/recommendations/testing/seed-store";
import { formAnswer } from "../helpers/form-answer";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp-sink";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The template editor's loader and action behind real embedded-admin authentication (a stored
// offline session and a signed session token), the network shut: Shopify is not reachable, so
// the page works from what it has.
const { sql, prisma } = await migratedTestDatabase();
shutNetworkDuringTests();
let shopId = 0;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  closeEmailTransports();
  await sink.close();
});

beforeEach(async () => {
  await truncateAppTables();
  closeEmailTransports();
  sink.messages.length = 0;
  for (const cache of [
    shopBrands,
    storedTemplates,
    servingModelHeaders,
    servingSettings,
    servingCatalogue,
  ]) {
    cache.clear();
  }
  shopId = (
    await prisma.shop.create({
      data: { domain: TEST_SHOP, name: "Tea & Co", email: "owner@tea.example" },
    })
  ).id;
  await storeOfflineSession();
  await seedRecommendationShop(sql, shopId, new Date());
  await insertCustomers(sql, shopId, [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  await sql.query(
    `UPDATE customer SET first_name = 'Zoë', last_name = 'Ng', email = 'zoe@customer.example',
       email_marketing = 'subscribed' WHERE shop_id = $1 AND id = 1`,
    [shopId],
  );
});

const post = async (form: Record<string, string>) =>
  action({
    request: await embeddedAdminRequest("/app/email-template", form),
    params: {},
    context: {},
  });
const answer = async (form: Record<string, string>) => formAnswer(await post(form));
const statusOf = (result: unknown) => (result instanceof Response ? result.status : 200);
const withDocument = (document: TemplateDocument, rest: Record<string, string> = {}) => ({
  document: JSON.stringify(document),
  ...rest,
});
const say = (locale: AdminLocale, text: Message | undefined) =>
  text ? i18nFor(locale, ADMIN_MESSAGES[locale]).t(text.key, text.values) : "";
const savedTemplateKeys = async () =>
  (await sql.query(`SELECT key FROM email_template WHERE shop_id = $1`, [shopId])).rows;

const BROKEN: TemplateDocument = {
  ...DEFAULT_TEMPLATE,
  brand: { ...DEFAULT_TEMPLATE.brand, logoUrl: "http://tea.example/logo.png" },
  texts: { en: { heading: "Hello {{frist_name}}", buttonLabel: "Shop {{code" } },
};

describe("/app/email-template", () => {
  it("refuses a broken template field by field in plain words, and saves nothing", async () => {
    // WHEN the merchant saves a template with a typo, unclosed braces and an http logo
    const response = await post(withDocument(BROKEN, { intent: "save" }));
    // THEN 422 with each problem beside its field
    expect(statusOf(response)).toBe(422);
    const result = (await formAnswer(response)) as { errors: Record<string, Message> };
    expect(Object.keys(result.errors).sort()).toEqual([
      "brand.logoUrl",
      "texts.en.buttonLabel",
      "texts.en.heading",
    ]);
    expect(say("en", result.errors["texts.en.heading"])).toContain(
      "{{frist_name}} isn't a placeholder; did you mean {{first_name}}?",
    );
    expect(say("en", result.errors["texts.en.buttonLabel"])).toMatch(/isn't closed/);
    expect(say("en", result.errors["brand.logoUrl"])).toBe(
      "Enter the logo's web address, starting with https://",
    );
    expect(say("tr", result.errors["brand.logoUrl"])).not.toMatch(/emailTemplate\./);
    expect(await savedTemplateKeys()).toEqual([]);
    // AND a preview or a test of it is refused the same way: nothing broken is sent
    const test = await post(
      withDocument(BROKEN, { intent: "test", customerId: "1", testTo: "owner@tea.example" }),
    );
    expect(statusOf(test)).toBe(422);
    expect(sink.messages).toHaveLength(0);
  });

  it("saves a valid template, which the page then loads", async () => {
    const mine: TemplateDocument = {
      ...DEFAULT_TEMPLATE,
      blocks: ["heading", "products", "button"],
      texts: { en: { heading: "Fresh leaves, {{first_name}}" } },
    };
    expect(await answer(withDocument(mine, { intent: "save" }))).toEqual({
      intent: "save",
      ok: true,
    });
    const loaded = (await loader({
      request: await embeddedAdminRequest("/app/email-template"),
      params: {},
      context: {},
    })) as { document: TemplateDocument; customers: Array<{ id: string; label: string }> };
    expect(loaded.document).toEqual(mine);
    // The customer picker lists real customers, the most recent buyers first.
    expect(loaded.customers.map((customer) => customer.id)).toContain("1");
    expect(loaded.customers.find((customer) => customer.id === "1")?.label).toBe(
      "Zoë Ng · zoe@customer.example",
    );
  });

  it("previews the email for a chosen real customer, and says which blocks had nothing to show", async () => {
    const result = (await answer(
      withDocument(DEFAULT_TEMPLATE, { intent: "preview", customerId: "1", language: "" }),
    )) as { ok: boolean; html: string; subject: string; omitted: string[] };
    expect(result.ok).toBe(true);
    expect(result.subject).toBe("Something new for you at Tea & Co");
    expect(result.html).toContain("Hi Zoë, we have new things");
    expect(result.html).toContain("Product 10");
    expect(result.html).toContain("SAMPLE-CODE");
    // No logo set: the header shows the shop's name rather than a broken image.
    expect(result.html).not.toContain('<img alt="Tea &amp; Co"');
    expect(result.omitted).toEqual([]);

    // WHEN no product can be shown (all sold out): the block is left out, the rest still drawn
    await sql.query(`UPDATE variant SET available_for_sale = false WHERE shop_id = $1`, [shopId]);
    servingCatalogue.clear();
    const soldOut = (await answer(
      withDocument(DEFAULT_TEMPLATE, { intent: "preview", customerId: "1" }),
    )) as { html: string; omitted: string[] };
    expect(soldOut.omitted).toEqual(["products"]);
    expect(soldOut.html).not.toContain("Picked for you");
    expect(soldOut.html).toContain("Hi Zoë, we have new things");

    // A customer the shop does not have is a plain-words refusal.
    const unknown = await post(
      withDocument(DEFAULT_TEMPLATE, { intent: "preview", customerId: "999" }),
    );
    expect(statusOf(unknown)).toBe(422);
    expect(await formAnswer(unknown)).toMatchObject({
      ok: false,
      message: { key: "emailTemplate.chooseCustomer" },
    });
    // A form no page sends is a 400, not a server error.
    expect(statusOf(await post({ intent: "preview", document: "{not json" }))).toBe(400);
    expect(statusOf(await post({ intent: "delete", document: "{}" }))).toBe(400);
  });

  it("sends a test to the merchant's address through their mail server, with one-click unsubscribe", async () => {
    // GIVEN no mail server yet: the page says to set one up
    const first = await answer(
      withDocument(DEFAULT_TEMPLATE, {
        intent: "test",
        customerId: "1",
        testTo: "owner@tea.example",
      }),
    );
    expect(first).toMatchObject({ ok: false, message: { key: "emailTemplate.setUpMailFirst" } });
    // WHEN the mail server is set up and the merchant confirms the test
    await saveEmailSettings(
      sql,
      shopId,
      localSmtpSettings(sink, { name: "Tea & Co", address: "hello@tea.example" }),
    );
    const sent = await answer(
      withDocument(DEFAULT_TEMPLATE, {
        intent: "test",
        customerId: "1",
        testTo: "owner@tea.example",
      }),
    );
    // THEN the email customer 1 would get reaches the merchant, headers intact
    expect(sent).toEqual({ intent: "test", ok: true, to: "owner@tea.example" });
    const [mail] = await sink.waitFor(1);
    expect(mail?.envelope.to).toEqual(["owner@tea.example"]);
    expect(mail?.html).toContain("Hi Zoë, we have new things");
    expect(mail?.text).toContain("Your code: SAMPLE-CODE");
    expect(mail?.listUnsubscribe).toMatch(/^<https:\/\/.+\/email\/unsubscribe\?token=.+>$/);
    expect(mail?.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
  });
});
