import { beforeEach, describe, expect, it } from "vitest";
import * as segmentsPage from "~/routes/app.segments._index";
import { renderAdminDocument } from "../helpers/admin-document";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The embedded admin in the language Shopify admin opens it in (its `locale` parameter),
// rendered whole by Remix behind real embedded-admin authentication.
const { prisma } = await migratedTestDatabase();
shutNetworkDuringTests();

beforeEach(async () => {
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP } });
  await storeOfflineSession();
});

const SEGMENTS = {
  id: "routes/app.segments._index",
  path: "segments",
  index: true,
  module: segmentsPage,
};
const segmentsDocument = async (query = "") => {
  const answer = await renderAdminDocument(
    await embeddedAdminRequest(`/app/segments${query}`),
    SEGMENTS,
  );
  return { status: answer.status, html: await answer.text() };
};

describe("the embedded admin's language", () => {
  it("renders Persian right to left when Shopify admin asks for fa", async () => {
    const { status, html } = await segmentsDocument("?locale=fa");
    expect(status).toBe(200);
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toContain("<title>بخش‌بندی‌ها · Rekindle</title>");
    expect(html).toContain("ساخت بخش"); // the Create segment button
  });

  it("renders English left to right without a locale, with the page's title", async () => {
    const { html } = await segmentsDocument();
    expect(html).toMatch(/<html lang="en" dir="ltr">/);
    expect(html).toContain("<title>Segments · Rekindle</title>");
    expect(html).toContain("Create segment");
  });

  it("leaves the language's texts out of the page: the browser loads them as a cached file", async () => {
    const { html } = await segmentsDocument("?locale=fa");
    // A text of another page (the home page's setup guide), and the catalogue's own keys.
    expect(html).not.toContain("همه‌چیز آماده است");
    expect(html).not.toContain("setupGuide");
  });

  it("takes the closest supported language, then English", async () => {
    expect((await segmentsDocument("?locale=zh-TW")).html).toMatch(/<html lang="zh-CN" dir="ltr">/);
    expect((await segmentsDocument("?locale=ms-MY")).html).toMatch(/<html lang="ms" dir="ltr">/);
    expect((await segmentsDocument("?locale=pt-BR")).html).toMatch(/<html lang="en" dir="ltr">/);
  });
});
