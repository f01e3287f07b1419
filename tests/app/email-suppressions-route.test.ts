import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.email-suppressions";
import { loader as settingsLoader } from "~/routes/app.email-settings";
import { saveEmailSettings } from "~/services/email/email-settings.server";
import { suppressAddress, suppressionReason } from "~/services/email/suppression.server";
import { adminRouteShop, callAdminRoute } from "../helpers/admin-route";
import { formAnswer } from "../helpers/form-answer";

// The suppressed addresses page and the email settings page's parts of it, behind real
// embedded-admin authentication (a stored offline session and a signed session token).
const shop = await adminRouteShop();
const { sql } = shop;

const post = async (form: Record<string, string>) =>
  formAnswer(await callAdminRoute(action, "/app/email-suppressions", { form }));
const load = async (query = "") =>
  (await callAdminRoute(loader, `/app/email-suppressions${query}`)) as Awaited<
    ReturnType<typeof loader>
  >;

describe("the suppressed addresses page", () => {
  it("GIVEN a spam report from the provider WHEN the merchant adds the address THEN it is listed, and emails skip it", async () => {
    // WHEN the merchant adds a complaint
    const added = await post({
      intent: "add",
      email: " Zoe@Customer.example ",
      reason: "complaint",
    });
    expect(added).toMatchObject({
      intent: "add",
      ok: true,
      message: { key: "suppressions.added" },
    });
    // THEN the page lists it, counted under its reason
    const page = await load();
    expect(page.entries).toEqual([
      expect.objectContaining({ email: "zoe@customer.example", reason: "complaint" }),
    ]);
    expect(page.counts).toEqual({ hard_bounce: 0, complaint: 1, unsubscribe: 0 });
    expect(await suppressionReason(sql, shop.id, "zoe@customer.example")).toBe("complaint");
    // AND adding it again says so and changes nothing
    expect(
      await post({ intent: "add", email: "zoe@customer.example", reason: "hard_bounce" }),
    ).toMatchObject({
      message: { key: "suppressions.alreadyListed" },
    });
    expect((await load()).entries[0]?.reason).toBe("complaint");
  });

  it("GIVEN a listed address WHEN the merchant confirms its removal THEN emails may go to it again", async () => {
    await suppressAddress(sql, shop.id, {
      email: "bob@example.com",
      reason: "hard_bounce",
      detail: "550 5.1.1 unknown",
    });
    await suppressAddress(sql, shop.id, { email: "amy@example.com", reason: "complaint" });
    expect((await load("?q=BOB")).entries.map((entry) => entry.email)).toEqual(["bob@example.com"]);
    expect(await post({ intent: "remove", email: "bob@example.com" })).toMatchObject({
      intent: "remove",
      ok: true,
      message: { key: "suppressions.removed", values: { email: "bob@example.com" } },
    });
    expect(await suppressionReason(sql, shop.id, "bob@example.com")).toBeNull();
    expect((await load()).total).toBe(1);
  });

  it("GIVEN bad input WHEN posted THEN a clear error and nothing changes", async () => {
    expect(
      await post({ intent: "add", email: "not an address", reason: "complaint" }),
    ).toMatchObject({
      ok: false,
      error: { key: "suppressions.notAnAddress" },
    });
    // Unsubscribes come only from the customer's own click, never from the merchant's form.
    expect(
      await post({ intent: "add", email: "zoe@customer.example", reason: "unsubscribe" }),
    ).toMatchObject({ ok: false });
    expect(await post({ intent: "remove", email: "" })).toMatchObject({ ok: false });
    expect((await load()).total).toBe(0);
  });

  it("GIVEN saved SMTP settings for a known provider WHEN the settings page loads THEN it shows the sender's DNS guidance and the list's size", async () => {
    await saveEmailSettings(sql, shop.id, {
      host: "smtp.sendgrid.net",
      port: 587,
      secure: false,
      username: "apikey",
      password: "secret",
      fromName: "Tea",
      fromAddress: "hello@tea.example",
      replyTo: null,
    });
    await suppressAddress(sql, shop.id, { email: "amy@example.com", reason: "complaint" });
    const page = (await callAdminRoute(settingsLoader, "/app/email-settings")) as Awaited<
      ReturnType<typeof settingsLoader>
    >;
    expect(page.guidance).toEqual({
      domain: "tea.example",
      provider: { id: "sendgrid", name: "SendGrid" },
      spfInclude: "include:sendgrid.net",
      suggestedDmarc: "v=DMARC1; p=none; rua=mailto:dmarc@tea.example",
    });
    expect(page.suppressedCount).toBe(1);
  });
});
