import { beforeEach, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { EmailNotConfiguredError } from "./email-errors";
import {
  decryptPassword,
  encryptPassword,
  loadEmailSettings,
  loadSmtpTransportOptions,
  parseEmailSettingsForm,
  saveEmailSettings,
  type EmailSettingsInput,
} from "./email-settings.server";

const { sql, prisma } = await migratedTestDatabase();

const PASSWORD = "correct horse battery staple";
const settings: EmailSettingsInput = {
  host: "smtp.tea.example",
  port: 587,
  secure: false,
  username: "mailer@tea.example",
  password: PASSWORD,
  fromName: "Tea & Co",
  fromAddress: "hello@tea.example",
  replyTo: null,
};

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "tea.myshopify.com" } })).id;
});

describe("the settings form", () => {
  it("parses a valid form, with the TLS checkbox and an empty reply-to", () => {
    expect(
      parseEmailSettingsForm({
        host: " smtp.tea.example ",
        port: "465",
        secure: "true",
        username: "mailer",
        password: " secret ",
        fromName: "Tea",
        fromAddress: "hello@tea.example",
        replyTo: "",
      }),
    ).toEqual({
      ok: true,
      settings: {
        host: "smtp.tea.example",
        port: 465,
        secure: true,
        username: "mailer",
        password: " secret ",
        fromName: "Tea",
        fromAddress: "hello@tea.example",
        replyTo: null,
      },
    });
  });

  it("names each bad field", () => {
    const parsed = parseEmailSettingsForm({
      host: "https://smtp.tea.example:587",
      port: "70000",
      fromName: "Tea\r\nBcc: x@y.z",
      fromAddress: "not-an-address",
      replyTo: "nope",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual([
      "fromAddress",
      "fromName",
      "host",
      "port",
      "replyTo",
    ]);
    expect(parsed.errors).toMatchObject({
      host: { key: "fieldErrors.smtpHostOnly" },
      port: { key: "fieldErrors.portRange" },
      fromName: { key: "fieldErrors.noLineBreaks" },
      fromAddress: { key: "fieldErrors.email" },
      replyTo: { key: "fieldErrors.emailOrEmpty" },
    });
  });
});

describe("stored settings", () => {
  it("round-trips, with the password encrypted at rest and never in the view", async () => {
    await saveEmailSettings(sql, shopId, settings);

    const { rows } = await sql.query<Record<string, unknown>>(
      `SELECT * FROM shop_email_settings WHERE shop_id = $1`,
      [shopId],
    );
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString("base64"));
    expect(String(rows[0]?.password_encrypted)).toMatch(/^v1\./);

    const view = await loadEmailSettings(sql, shopId);
    expect(view).toMatchObject({
      host: "smtp.tea.example",
      port: 587,
      secure: false,
      username: "mailer@tea.example",
      hasPassword: true,
      fromName: "Tea & Co",
      fromAddress: "hello@tea.example",
      replyTo: null,
    });
    expect(JSON.stringify(view)).not.toContain(PASSWORD);

    const transport = await loadSmtpTransportOptions(sql, shopId);
    expect(transport?.options).toMatchObject({
      host: "smtp.tea.example",
      port: 587,
      secure: false,
      // A password is only ever sent over TLS.
      requireTLS: true,
      auth: { user: "mailer@tea.example", pass: PASSWORD },
    });
    expect(transport?.from).toEqual({ name: "Tea & Co", address: "hello@tea.example" });
  });

  it("keeps the stored password when the form leaves it blank, and drops it with the login", async () => {
    await saveEmailSettings(sql, shopId, settings);
    const before = await loadSmtpTransportOptions(sql, shopId);
    await saveEmailSettings(sql, shopId, { ...settings, password: "", port: 2525 });
    const kept = await loadSmtpTransportOptions(sql, shopId);
    expect(kept?.options.auth).toEqual({ user: "mailer@tea.example", pass: PASSWORD });
    expect(kept?.options.port).toBe(2525);
    expect(kept?.fingerprint).not.toBe(before?.fingerprint);

    await saveEmailSettings(sql, shopId, { ...settings, username: "", password: "" });
    const anonymous = await loadSmtpTransportOptions(sql, shopId);
    expect(anonymous?.options.auth).toBeUndefined();
    expect(anonymous?.options.requireTLS).toBe(false);
    expect((await loadEmailSettings(sql, shopId))?.hasPassword).toBe(false);
  });

  it("is null for a shop without settings, and refuses a password that no longer decrypts", async () => {
    expect(await loadSmtpTransportOptions(sql, shopId)).toBeNull();
    expect(await loadEmailSettings(sql, shopId)).toBeNull();

    await saveEmailSettings(sql, shopId, settings);
    // A ciphertext from another shop's row (or a tampered one) must not decrypt.
    await sql.query(`UPDATE shop_email_settings SET password_encrypted = $2 WHERE shop_id = $1`, [
      shopId,
      encryptPassword(PASSWORD, shopId + 1),
    ]);
    await expect(loadSmtpTransportOptions(sql, shopId)).rejects.toThrow(EmailNotConfiguredError);
  });

  it("goes with the shop", async () => {
    await saveEmailSettings(sql, shopId, settings);
    await prisma.shop.delete({ where: { id: shopId } });
    const { rows } = await sql.query(`SELECT 1 FROM shop_email_settings`);
    expect(rows).toHaveLength(0);
  });
});

describe("password encryption", () => {
  it("uses a fresh IV each time and rejects any tampering", () => {
    const first = encryptPassword(PASSWORD, 7);
    expect(encryptPassword(PASSWORD, 7)).not.toBe(first);
    expect(decryptPassword(first, 7)).toBe(PASSWORD);
    const parts = first.split(".");
    const ciphertext = Buffer.from(parts[3] ?? "", "base64url");
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    const tampered = [...parts.slice(0, 3), ciphertext.toString("base64url")].join(".");
    expect(() => decryptPassword(tampered, 7)).toThrow();
    expect(() => decryptPassword(first, 8)).toThrow();
  });
});
