/**
 * A shop's SMTP settings (table shop_email_settings): merchants send win-back emails through
 * their own server. The password is encrypted at rest with AES-256-GCM under a key derived
 * from the app secret, bound to the shop (a ciphertext copied to another shop's row does not
 * decrypt), and only ever leaves this module as nodemailer auth options: the settings page
 * learns whether a password is stored, never what it is.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import type { SMTPTransportOptions } from "nodemailer";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { getEnv } from "~/lib/env.server";
import { cachePerDatabase } from "~/lib/response-cache";
import { EmailNotConfiguredError } from "./email-errors";
import { fieldMessage } from "~/i18n/field-message";
import type { Message } from "~/i18n/message";

// ---------------------------------------------------------------------------------------------
// The form

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
// A CR/LF in a header value (From name, login) would break the SMTP dialogue or the header.
const noLineBreaks = (value: string) => !/[\r\n]/.test(value) && !value.includes("\u0000");
const checkbox = z.preprocess(
  (value) => value === true || value === "true" || value === "on",
  z.boolean(),
);

export const emailSettingsFormSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, "fieldErrors.smtpHost")
    .refine((host) => HOST_NAME.test(host) || isIP(host) !== 0, "fieldErrors.smtpHostOnly"),
  port: z.coerce
    .number({ error: "fieldErrors.port" })
    .int("fieldErrors.port")
    .min(1, "fieldErrors.portRange")
    .max(65535, "fieldErrors.portRange"),
  secure: checkbox,
  username: z.string().trim().max(320).refine(noLineBreaks, "fieldErrors.noLineBreaks").default(""),
  /** Blank keeps the stored password (the form never shows it). */
  password: z.string().max(1024).refine(noLineBreaks, "fieldErrors.noLineBreaks").default(""),
  fromName: z
    .string()
    .trim()
    .min(1, "fieldErrors.senderName")
    .max(100)
    .refine(noLineBreaks, "fieldErrors.noLineBreaks"),
  fromAddress: z.string().trim().max(254).email("fieldErrors.email"),
  replyTo: z
    .string()
    .trim()
    .max(254)
    .transform((value) => value || null)
    .pipe(z.string().email("fieldErrors.emailOrEmpty").nullable())
    .default(""),
});

export type EmailSettingsInput = z.infer<typeof emailSettingsFormSchema>;
export type EmailSettingsField = keyof EmailSettingsInput;

/**
 * Settings for an SMTP server that takes mail without TLS or a login, as the demo's mail sink
 * does (scripts/demo-mail.ts), and the sinks of the tests and benches.
 */
export function localSmtpSettings(
  server: { host: string; port: number },
  sender: { name: string; address: string },
): EmailSettingsInput {
  return {
    host: server.host,
    port: server.port,
    secure: false,
    username: "",
    password: "",
    fromName: sender.name,
    fromAddress: sender.address,
    replyTo: null,
  };
}

export type ParsedEmailSettingsForm =
  | { ok: true; settings: EmailSettingsInput }
  | { ok: false; errors: Partial<Record<EmailSettingsField, Message>> };

/** Form fields → settings; every error names its field so the page shows it beside the input. */
export function parseEmailSettingsForm(form: Record<string, unknown>): ParsedEmailSettingsForm {
  const parsed = emailSettingsFormSchema.safeParse(form);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: Partial<Record<EmailSettingsField, Message>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as EmailSettingsField;
    errors[field] ??= fieldMessage(issue);
  }
  return { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// Storage

/** What the settings page may see: everything but the password. */
export interface EmailSettingsView {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  hasPassword: boolean;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  updatedAt: string;
}

interface SettingsRow {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password_encrypted: string;
  from_name: string;
  from_address: string;
  reply_to: string | null;
  updated_at: string;
}

async function readRow(sql: SqlQueryable, shopId: number): Promise<SettingsRow | null> {
  const { rows } = await sql.query<SettingsRow>(
    `SELECT host, port, secure, username, password_encrypted, from_name, from_address, reply_to,
            to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
     FROM shop_email_settings WHERE shop_id = $1`,
    [shopId],
  );
  return rows[0] ?? null;
}

export async function loadEmailSettings(
  sql: SqlQueryable,
  shopId: number,
): Promise<EmailSettingsView | null> {
  const row = await readRow(sql, shopId);
  if (!row) return null;
  return {
    host: row.host,
    port: row.port,
    secure: row.secure,
    username: row.username,
    hasPassword: row.password_encrypted !== "",
    fromName: row.from_name,
    fromAddress: row.from_address,
    replyTo: row.reply_to,
    updatedAt: row.updated_at,
  };
}

/**
 * Creates or replaces the shop's settings. A blank password keeps the stored one (the form
 * cannot show it to be re-submitted); a blank username means no login, so any stored password
 * is dropped with it.
 */
export async function saveEmailSettings(
  sql: SqlQueryable,
  shopId: number,
  input: EmailSettingsInput,
): Promise<void> {
  const keepPassword = input.username !== "" && input.password === "";
  const encrypted =
    input.username !== "" && input.password !== "" ? encryptPassword(input.password, shopId) : "";
  await sql.query(
    `INSERT INTO shop_email_settings AS s (shop_id, host, port, secure, username, password_encrypted,
        from_name, from_address, reply_to, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() AT TIME ZONE 'UTC')
     ON CONFLICT (shop_id) DO UPDATE SET
        host = excluded.host, port = excluded.port, secure = excluded.secure,
        username = excluded.username,
        password_encrypted = CASE WHEN $10::boolean THEN s.password_encrypted
                                  ELSE excluded.password_encrypted END,
        from_name = excluded.from_name, from_address = excluded.from_address,
        reply_to = excluded.reply_to, updated_at = excluded.updated_at,
        -- A test email proved this server and sender; any change to them needs a new one.
        verified_at = CASE
          WHEN (s.host, s.port, s.secure, s.username, s.from_address)
                 = (excluded.host, excluded.port, excluded.secure, excluded.username, excluded.from_address)
               AND ($10::boolean OR s.password_encrypted = excluded.password_encrypted)
          THEN s.verified_at END`,
    [
      shopId,
      input.host,
      input.port,
      input.secure,
      input.username,
      encrypted,
      input.fromName,
      input.fromAddress,
      input.replyTo,
      keepPassword,
    ],
  );
  smtpConfigs(sql).delete(String(shopId));
}

/** A test email went through with the shop's current settings: the sender is verified. */
export async function recordSenderVerified(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.query(`UPDATE shop_email_settings SET verified_at = now() WHERE shop_id = $1`, [
    shopId,
  ]);
}

/** Whether the shop has email settings, and whether a test email has proven them. */
export async function emailSenderState(
  sql: SqlQueryable,
  shopId: number,
): Promise<"missing" | "unverified" | "verified"> {
  const { rows } = await sql.query<{ verified: boolean }>(
    `SELECT verified_at IS NOT NULL AS verified FROM shop_email_settings WHERE shop_id = $1`,
    [shopId],
  );
  if (!rows[0]) return "missing";
  return rows[0].verified ? "verified" : "unverified";
}

/** Everything sendEmail needs to open a transport and address a message for one shop. */
export interface SmtpTransportConfig {
  /** For nodemailer.createTransport, password decrypted. */
  options: SMTPTransportOptions;
  from: { name: string; address: string };
  replyTo: string | null;
  /** Changes whenever the settings do, so a cached transport knows it is stale. */
  fingerprint: string;
}

/**
 * The shops' transport settings as customer emails read them, for a few seconds per database: a
 * flow run sends hundreds a second with the same settings. A save drops the shop's entry in
 * this process; the others see it within the few seconds.
 */
const smtpConfigs = cachePerDatabase<{ config: SmtpTransportConfig | null }>(10_000, 5_000);

/** loadSmtpTransportOptions through the few seconds' cache (customer emails, not the test email). */
export async function cachedSmtpTransportOptions(
  sql: SqlQueryable,
  shopId: number,
): Promise<SmtpTransportConfig | null> {
  const cache = smtpConfigs(sql);
  const hit = cache.get(String(shopId));
  if (hit) return hit.config;
  const config = await loadSmtpTransportOptions(sql, shopId);
  cache.set(String(shopId), { config });
  return config;
}

/**
 * The shop's nodemailer options with the password decrypted, or null when the shop has no
 * settings. A stored password that no longer decrypts (the app secret was rotated) is an
 * EmailNotConfiguredError: sending without it would only fail later and less clearly.
 */
export async function loadSmtpTransportOptions(
  sql: SqlQueryable,
  shopId: number,
): Promise<SmtpTransportConfig | null> {
  const row = await readRow(sql, shopId);
  if (!row) return null;
  let password = "";
  if (row.password_encrypted !== "") {
    try {
      password = decryptPassword(row.password_encrypted, shopId);
    } catch {
      throw new EmailNotConfiguredError(shopId, "unreadable");
    }
  }
  const options: SMTPTransportOptions = {
    host: row.host,
    port: row.port,
    secure: row.secure,
    // A password only ever travels encrypted: without implicit TLS the server must offer
    // STARTTLS, or nodemailer refuses rather than logging in in clear text.
    requireTLS: !row.secure && row.username !== "",
    auth: row.username !== "" ? { user: row.username, pass: password } : undefined,
    // A dead or black-holed server must not hold a worker for minutes (the defaults).
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
  };
  return {
    options,
    from: { name: row.from_name, address: row.from_address },
    replyTo: row.reply_to,
    fingerprint: createHash("sha256")
      .update(
        JSON.stringify([
          row.host,
          row.port,
          row.secure,
          row.username,
          row.password_encrypted,
          row.updated_at,
        ]),
      )
      .digest("base64url"),
  };
}

// ---------------------------------------------------------------------------------------------
// Password encryption

const FORMAT = "v1";
let cachedKey: { secret: string; key: Buffer } | undefined;

/** A key of its own for this purpose, so nothing else signed with the app secret can collide. */
function encryptionKey(): Buffer {
  const secret = getEnv().SHOPIFY_API_SECRET;
  if (cachedKey?.secret !== secret) {
    const key = Buffer.from(
      hkdfSync("sha256", secret, "rekindle", "smtp-password-aes-256-gcm", 32),
    );
    cachedKey = { secret, key };
  }
  return cachedKey.key;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url; the shop id is authenticated data. */
export function encryptPassword(password: string, shopId: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(Buffer.from(`shop:${shopId}`));
  const ciphertext = Buffer.concat([cipher.update(password, "utf8"), cipher.final()]);
  return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Throws when the value was tampered with, belongs to another shop or another secret. */
export function decryptPassword(stored: string, shopId: number): string {
  const [format, iv, tag, ciphertext, ...extra] = stored.split(".");
  if (format !== FORMAT || !iv || !tag || ciphertext === undefined || extra.length > 0) {
    throw new Error("Unknown encrypted password format");
  }
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`shop:${shopId}`));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
