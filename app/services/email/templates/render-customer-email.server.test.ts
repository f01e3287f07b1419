import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { servingCatalogue } from "~/services/recommendations/catalogue.server";
import { rebuildRecommendationModel } from "~/services/recommendations/model-store.server";
import {
  servingModelHeaders,
  servingNeighbourSets,
} from "~/services/recommendations/model-reader.server";
import { servingSettings } from "~/services/recommendations/settings-store.server";
import { seedRecommendationShop } from "~/services/recommendations/testing/seed-store";
import { startSmtpSink, type SmtpSink } from "../../../../tests/helpers/smtp-sink";
import { migratedTestDatabase, truncateAppTables } from "../../../../tests/helpers/test-database";
import { localSmtpSettings, saveEmailSettings } from "../email-settings.server";
import { InvalidEmailTemplateError } from "../render-template";
import { closeEmailTransports, sendEmail } from "../send-email.server";
import { shopBrands } from "./brand-store.server";
import { renderCustomerEmail } from "./render-customer-email.server";
import { FLOW_TEMPLATES } from "~/services/flows/flow-templates";
import { DEFAULT_TEMPLATE, type TemplateDocument } from "./template-document";
import {
  InvalidBrandedTemplateError,
  saveEmailTemplate,
  storedTemplates,
} from "./template-store.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-28T00:00:00Z");
const DOMAIN = "tea.myshopify.com";
const OFFER = {
  code: "COMEBACK-7Q2X",
  discountText: "15% off your next order",
  expiresAt: new Date("2026-12-12T12:00:00Z"),
};
const BRANDED: TemplateDocument = {
  ...DEFAULT_TEMPLATE,
  brand: { ...DEFAULT_TEMPLATE.brand, logoUrl: "https://cdn.tea.example/logo.png" },
};

let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  for (const cache of [
    shopBrands,
    storedTemplates,
    servingModelHeaders,
    servingSettings,
    servingCatalogue,
  ]) {
    cache.clear();
  }
  servingNeighbourSets.clear();
  shopId = (await prisma.shop.create({ data: { domain: DOMAIN, name: "Tea & Co" } })).id;
  await sql.query(
    `INSERT INTO shop_email_brand (shop_id, shop_name, address, storefront_url, fetched_at)
     VALUES ($1, 'Tea & Co', '1 Leaf Lane, Leeds LS1 1AA, United Kingdom', 'https://tea.example', now())`,
    [shopId],
  );
});

const render = (overrides: Partial<Parameters<typeof renderCustomerEmail>[0]> = {}) =>
  renderCustomerEmail({ sql, shopId, customerId: 1n, now: NOW, offer: OFFER, ...overrides });

async function seedCustomer(first: string, locale: string | null) {
  await insertCustomers(sql, shopId, [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
  await sql.query(
    `UPDATE customer SET first_name = $3, locale = $4, email = 'zoe@customer.example',
       email_marketing = 'subscribed'
     WHERE shop_id = $1 AND id = $2`,
    [shopId, "1", first, locale],
  );
}

describe("renderCustomerEmail", () => {
  beforeEach(async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
    await saveEmailTemplate(sql, shopId, BRANDED);
  });

  it("draws every block: logo, texts, the served recommendations, the code, the last order, the button and the footer", async () => {
    await seedCustomer("Zoë", "en");
    const email = await render();

    expect(email.subject).toBe("Something new for you at Tea & Co");
    expect(email.to).toBe("zoe@customer.example");
    expect(email.omitted).toEqual([]);
    const { html, text } = email;
    expect(html).toContain('src="https://cdn.tea.example/logo.png"');
    expect(html).toContain("It&#x27;s been a while");
    expect(html).toContain("Hi Zoë, we have new things");
    // The storefront's served list for this customer: the shop is too small for training to
    // beat bestsellers (recommend.server.test.ts), so 10, 20 and 30; 40 to 60 cannot be shown.
    expect(html).toContain("Picked for you");
    const productLinks = [...html.matchAll(/href="https:\/\/tea\.example\/products\/([^"]+)"/g)];
    expect(productLinks.map((match) => match[1])).toEqual([
      "product-10",
      "product-20",
      "product-30",
    ]);
    expect(html).toContain("$25.00");
    expect(html).toContain("COMEBACK-7Q2X");
    expect(html).toContain("Use it by December 12, 2026");
    expect(html).toContain("Your last order");
    expect(html).toContain('href="https://tea.example/discount/COMEBACK-7Q2X"');
    expect(html).toContain("1 Leaf Lane, Leeds LS1 1AA, United Kingdom");
    expect(html).toContain(`href="${email.unsubscribeUrl}"`);
    expect(email.unsubscribeUrl).toMatch(/\/email\/unsubscribe\?token=/);
    // The text part says the same, links written out.
    expect(text).toContain("Hi Zoë, we have new things");
    expect(text).toContain("Your code: COMEBACK-7Q2X");
    expect(text).toContain("- Product 10 ($25.00): https://tea.example/products/product-10");
    expect(text).toContain("Visit the shop: https://tea.example/discount/COMEBACK-7Q2X");
    expect(text).toContain(`Unsubscribe: ${email.unsubscribeUrl}`);
  });

  it("GIVEN a layout without a code block WHEN the email gives a code THEN the code still shows, after the message", async () => {
    await saveEmailTemplate(sql, shopId, {
      ...BRANDED,
      blocks: BRANDED.blocks.filter((block) => block !== "discount"),
    });
    await seedCustomer("Zoë", "en");

    const { html, text } = await render();

    expect(html).toContain("COMEBACK-7Q2X");
    expect(html.indexOf("COMEBACK-7Q2X")).toBeGreaterThan(
      html.indexOf("Hi Zoë, we have new things"),
    );
    expect(text).toContain("Your code: COMEBACK-7Q2X");
    expect(text.indexOf("Your code")).toBeLessThan(text.indexOf("Picked for you"));
  });

  it("GIVEN a layout without a code block WHEN the email gives none THEN no code block appears", async () => {
    await saveEmailTemplate(sql, shopId, {
      ...BRANDED,
      blocks: BRANDED.blocks.filter((block) => block !== "discount"),
    });
    await seedCustomer("Zoë", "en");

    const { text } = await render({ offer: null });

    expect(text).not.toContain("Your code");
  });

  it("escapes what customers typed: a name with markup or a link stays text", async () => {
    await seedCustomer('<img src=x onerror="alert(1)"> https://evil.example', "en");
    const email = await render({
      message: { subject: "Hi {{first_name}}", body: "Dear {{first_name}}, come back." },
    });
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).toContain("&lt;img src=x");
    expect(email.html).not.toContain('href="https://evil.example');
    expect(email.subject).toBe('Hi <img src=x onerror="alert(1)"> https://evil.example');
    expect(email.text).toContain("Dear <img src=x");
  });

  it("speaks the customer's language, falling back to the template's default", async () => {
    await seedCustomer("Ayşe", "tr-TR");
    const turkish = await render();
    expect(turkish.language).toBe("tr");
    expect(turkish.html).toContain("Sizin için seçtiklerimiz");
    expect(turkish.html).toContain('lang="tr"');

    await sql.query(`UPDATE customer SET locale = 'fr' WHERE shop_id = $1`, [shopId]);
    await saveEmailTemplate(sql, shopId, {
      ...BRANDED,
      texts: { en: { heading: "Come back, {{first_name}}" } },
    });
    const french = await render();
    expect(french.language).toBe("en");
    expect(french.html).toContain("Come back, Ayşe");
    // The editor's language switch overrides the customer's.
    expect((await render({ locale: "fa" })).html).toContain('dir="rtl"');
  });

  it("sends a flow template's unedited texts in the customer's language, edited ones as written", async () => {
    // GIVEN a Turkish customer and the win-back template's first email as a flow stores it
    await seedCustomer("Ayşe", "tr-TR");
    const stored = FLOW_TEMPLATES.winback.steps[0] as { subject: string; body: string };
    // WHEN it is rendered as it came, and with the merchant's own subject
    const asItCame = await render({ message: { subject: stored.subject, body: stored.body } });
    const edited = await render({ message: { subject: "Hi {{first_name}}", body: stored.body } });
    // THEN the template's texts are Turkish, the merchant's subject is theirs
    expect(asItCame.subject).toBe("Tea & Co olarak sizi özledik");
    expect(asItCame.text).toContain("Uzun zaman oldu.");
    expect(edited.subject).toBe("Hi Ayşe");
    expect(edited.text).toContain("Uzun zaman oldu.");
  });

  it("leaves out the product block when no product can be shown, and still sends the text", async () => {
    await seedCustomer("Zoë", "en");
    await sql.query(`UPDATE variant SET available_for_sale = false WHERE shop_id = $1`, [shopId]);
    servingCatalogue.clear();
    const email = await render({ offer: null });
    expect(email.omitted).toEqual(["discount", "products"]);
    expect(email.html).not.toContain("Picked for you");
    expect(email.html).toContain("Hi Zoë, we have new things");
    expect(email.text).not.toContain("Your code");
  });

  it("refuses a broken template or message instead of sending it", async () => {
    await seedCustomer("Zoë", "en");
    const broken: TemplateDocument = {
      ...BRANDED,
      brand: { ...BRANDED.brand, logoUrl: "javascript:alert(1)" },
      texts: { en: { heading: "Hi {{frist_name}}", buttonLabel: "Shop {{now" } },
    };
    const error = await render({ template: broken }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidBrandedTemplateError);
    expect((error as InvalidBrandedTemplateError).problems.map((p) => p.field)).toEqual([
      "brand.logoUrl",
      "texts.en.heading",
      "texts.en.buttonLabel",
    ]);
    expect(
      (error as InvalidBrandedTemplateError).problems.find((p) => p.field === "texts.en.heading")
        ?.problem.values?.suggestion,
    ).toBe("{{first_name}}");
    await expect(
      render({ message: { subject: "Hi", body: "Use {{code}" } }),
    ).rejects.toBeInstanceOf(InvalidEmailTemplateError);
  });
});

describe("sending a rendered email", () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    closeEmailTransports();
    await sink.close();
  });

  it("keeps the one-click unsubscribe headers and both parts", async () => {
    await seedCustomer("Zoë", "en");
    await saveEmailSettings(
      sql,
      shopId,
      localSmtpSettings(sink, { name: "Tea & Co", address: "hello@tea.example" }),
    );
    const email = await render();
    await sendEmail(sql, shopId, {
      to: email.to ?? "",
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: "<branded-1@rekindle.test>",
      unsubscribeUrl: email.unsubscribeUrl,
    });
    const [caught] = await sink.waitFor(1);
    expect(caught?.listUnsubscribe).toBe(`<${email.unsubscribeUrl}>`);
    expect(caught?.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
    expect(caught?.html).toContain("COMEBACK-7Q2X");
    expect(caught?.text).toContain("Your code: COMEBACK-7Q2X");
  });
});
