/**
 * Sends one email through the shop's own SMTP server. Transports are pooled per shop so a
 * win-back run reuses one logged-in connection instead of a TLS handshake and login per
 * customer; a pool is replaced as soon as the shop's settings change (its fingerprint differs)
 * and dropped after a few idle minutes. A pool to a known provider keeps to its rate limit.
 *
 * Every message carries the caller's deterministic Message-ID (a relay or a retry after a
 * crash can be recognised as the same message) and RFC 8058 one-click unsubscribe headers.
 *
 * A message is sent at most once per call: the pool never re-sends it on a new connection by
 * itself, and a failure says whether the message could have reached the server (`inDoubt`),
 * so the caller retries only what provably did not go out.
 */
import { randomUUID } from "node:crypto";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { PassThrough } from "node:stream";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { getEnv } from "~/lib/env.server";
import { InvalidInputError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { EmailNotConfiguredError, SmtpSendError, type SmtpFailureKind } from "./email-errors";
import {
  cachedSmtpTransportOptions,
  loadSmtpTransportOptions,
  recordSenderVerified,
  type SmtpTransportConfig,
} from "./email-settings.server";
import { providerForHost } from "./smtp-providers";
import { suppressAddress } from "./suppression.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<unique@domain>` (angle brackets optional): the same message always gets the same id. */
  messageId: string;
  /** The signed https link from unsubscribeUrl(); also used for one-click unsubscribe. */
  unsubscribeUrl: string;
  /**
   * The customer it goes to. With it, a server refusing the address for good (a hard bounce)
   * puts the address on the shop's suppression list.
   */
  customerId?: bigint;
}

export interface SendResult {
  messageId: string;
  /** The server took the message for the recipient (delivery itself happens later). */
  accepted: boolean;
}

const address = z.string().trim().max(254).email();
const MESSAGE_ID = /^<?([^<>\s@]{1,200}@[^<>\s@]{1,200})>?$/;

/**
 * Sends `message` with the shop's SMTP settings. Throws EmailNotConfiguredError when the shop
 * has none, InvalidInputError for a malformed address, Message-ID or unsubscribe URL, and
 * SmtpSendError (with the SMTP reply code and whether it is permanent) when the server or
 * the connection fails.
 */
export async function sendEmail(
  sql: SqlQueryable,
  shopId: number,
  message: OutgoingEmail,
): Promise<SendResult> {
  const unsubscribe = parseHttpUrl(message.unsubscribeUrl);
  if (!unsubscribe) throw new InvalidInputError("unsubscribeUrl must be an http(s) URL");
  try {
    return await deliver(sql, shopId, "cached", {
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
      headers: {
        "List-Unsubscribe": `<${unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });
  } catch (error) {
    if (message.customerId !== undefined && isHardBounce(error)) {
      await suppressAddress(sql, shopId, {
        email: message.to,
        reason: "hard_bounce",
        customerId: message.customerId,
        detail: error.response ?? error.message,
      });
    }
    throw error;
  }
}

/**
 * The server refused the recipient with a permanent (5xx) reply: the mailbox does not exist or
 * will never take our mail. A 5xx to the message itself (content, size) says nothing about the
 * address, and a 4xx is only "not now".
 */
export const isHardBounce = (error: unknown): error is SmtpSendError =>
  error instanceof SmtpSendError && error.permanent && error.kind === "recipient";

/**
 * The settings page's "Send test email": a short message with the saved settings. No
 * unsubscribe headers: it goes to the merchant, not to a customer. Accepted by the server, it
 * marks the sender verified (the home page's setup guide).
 */
export async function sendTestEmail(
  sql: SqlQueryable,
  shopId: number,
  to: string,
): Promise<SendResult> {
  const result = await deliver(sql, shopId, "fresh", (config) => ({
    to,
    subject: "Rekindle test email",
    text:
      `This is a test email from Rekindle, sent through ${config.options.host}:${config.options.port}.\n\n` +
      `Your win-back emails will be sent the same way, from ${config.from.name} <${config.from.address}>.\n`,
    html: undefined,
    messageId: `<rekindle-test-${randomUUID()}@${config.from.address.split("@")[1] ?? "rekindle"}>`,
    headers: {},
  }));
  if (result.accepted) await recordSenderVerified(sql, shopId);
  return result;
}

interface Envelope {
  to: string;
  subject: string;
  text: string;
  html: string | undefined;
  messageId: string;
  headers: Record<string, string>;
}

/** `settings`: "cached" for customer emails (a few seconds old at most), "fresh" for the test. */
async function deliver(
  sql: SqlQueryable,
  shopId: number,
  settings: "cached" | "fresh",
  envelope: Envelope | ((config: SmtpTransportConfig) => Envelope),
): Promise<SendResult> {
  const config =
    settings === "cached"
      ? await cachedSmtpTransportOptions(sql, shopId)
      : await loadSmtpTransportOptions(sql, shopId);
  if (!config) throw new EmailNotConfiguredError(shopId);
  const mail = typeof envelope === "function" ? envelope(config) : envelope;
  const to = address.safeParse(mail.to);
  if (!to.success) throw new InvalidInputError(`Not an email address: ${JSON.stringify(mail.to)}`);
  const messageId = MESSAGE_ID.exec(mail.messageId.trim())?.[1];
  if (!messageId) throw new InvalidInputError("messageId must look like <unique@domain>");

  const transporter = await transporterFor(shopId, config);
  let handedOver = false;
  handovers.set(messageId, () => (handedOver = true));
  try {
    const raw = await composeMessage({
      from: config.from,
      replyTo: config.replyTo ?? undefined,
      to: to.data,
      // Belt and braces: the renderer already made it one line.
      subject: mail.subject.replace(/[\r\n]+/g, " "),
      text: mail.text,
      html: mail.html,
      messageId: `<${messageId}>`,
      headers: mail.headers,
    });
    const info = await transporter.sendMail({
      envelope: { from: config.from.address, to: [to.data] },
      raw,
      // Not part of a raw message: what the handover watch knows the message by.
      messageId: `<${messageId}>`,
    });
    const accepted = info.accepted.length > 0 && info.rejected.length === 0;
    logger.info({ shopId, messageId, accepted, response: info.response }, "email sent");
    return { messageId: `<${messageId}>`, accepted };
  } catch (error) {
    const failure = smtpSendError(error, handedOver);
    logger.warn(
      {
        shopId,
        messageId,
        kind: failure.kind,
        responseCode: failure.responseCode,
        errorCode: failure.errorCode,
        inDoubt: failure.inDoubt,
        err: failure.message,
      },
      "email send failed",
    );
    throw failure;
  } finally {
    handovers.delete(messageId);
  }
}

/**
 * The whole message, built before the SMTP conversation: the connection then writes it in one
 * go instead of a write (a system call, and a wake-up of the server) per part of the MIME
 * stream. Text parts in base64: nodemailer otherwise scans every part character by character
 * to choose between quoted-printable and base64, and quoted-printable costs more to encode.
 */
function composeMessage(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer({ ...options, textEncoding: "base64" }).compile().build();
}

/**
 * Per message being sent (by Message-ID): called once the SMTP connection has read the
 * message's last byte. The connection reads it only after the server took the envelope (MAIL
 * FROM, RCPT TO), and the server accepts a message only after the end of its DATA, so a
 * connection lost before this provably sent nothing; one lost after it leaves the outcome in
 * doubt.
 */
const handovers = new Map<string, () => void>();

function watchHandover(transporter: Transporter): void {
  transporter.use("stream", (mail, done) => {
    const id = MESSAGE_ID.exec(String(mail.data.messageId ?? ""))?.[1];
    const onHandedOver = id === undefined ? undefined : handovers.get(id);
    if (onHandedOver) {
      // The last stage of the message stream: its end is the connection's read of the end.
      mail.message.processFunc((input) => {
        const output = new PassThrough();
        output.once("end", onHandedOver);
        // pipe, not pipeline: pipeline aborts an AbortController (building a DOMException with
        // its stack) at the end of every message, a tenth of a millisecond each.
        input.once("error", (error) => output.destroy(error));
        input.pipe(output);
        return output;
      });
    }
    done();
  });
}

// ---------------------------------------------------------------------------------------------
// Transports

type Transporter = ReturnType<typeof nodemailer.createTransport>;

interface CachedTransport {
  fingerprint: string;
  transporter: Transporter;
  evict: ReturnType<typeof setTimeout>;
}

const transports = new Map<number, CachedTransport>();
/** A shop's pool is dropped after this long without a send. */
const TRANSPORT_IDLE_MS = 5 * 60_000;

async function transporterFor(shopId: number, config: SmtpTransportConfig): Promise<Transporter> {
  const cached = transports.get(shopId);
  if (cached?.fingerprint === config.fingerprint) {
    cached.evict.refresh();
    return cached.transporter;
  }
  if (cached) closeEmailTransport(shopId);
  const host = String(config.options.host ?? "");
  await assertAllowedSmtpHost(host);
  const transporter = nodemailer.createTransport({
    ...config.options,
    pool: true,
    ...poolLimits(host),
    // The pool would otherwise send a message again on a fresh connection when the first one
    // closed mid-send, even after the server had read all of it: a possible duplicate.
    maxRequeues: 0,
    // An idle connection is closed long before the pool itself is dropped.
    idleTimeout: 30_000,
  });
  watchHandover(transporter);
  const evict = setTimeout(() => closeEmailTransport(shopId), TRANSPORT_IDLE_MS);
  evict.unref();
  transports.set(shopId, { fingerprint: config.fingerprint, transporter, evict });
  return transporter;
}

/**
 * How many connections a shop's pool opens and how fast it sends: a known provider's own
 * limits (smtp-providers.ts), so a big run slows down rather than being throttled or blocked.
 * The limit holds per process; each worker process has its own pool.
 */
export function poolLimits(host: string) {
  const provider = providerForHost(host);
  if (!provider) return { maxConnections: 2 };
  return {
    maxConnections: provider.maxConnections,
    rateLimit: provider.rate.messages,
    rateDelta: provider.rate.seconds * 1000,
  };
}

/** Closes the shop's pooled connections, e.g. after its settings changed. */
export function closeEmailTransport(shopId: number): void {
  const cached = transports.get(shopId);
  if (!cached) return;
  transports.delete(shopId);
  clearTimeout(cached.evict);
  cached.transporter.close();
}

/** Closes every pool (shutdown, tests). */
export function closeEmailTransports(): void {
  for (const shopId of [...transports.keys()]) closeEmailTransport(shopId);
}

// ---------------------------------------------------------------------------------------------
// Guarding against SMTP hosts inside our own network

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  INTERNAL.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, "ipv6");
}

/** Loopback, private, link-local (cloud metadata), CGNAT and other non-public addresses. */
export function isInternalAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return INTERNAL.check(mapped, "ipv4");
  const family = isIP(ip);
  if (family === 0) return false;
  return INTERNAL.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * A merchant's SMTP host must be on the public internet, in every mode: otherwise the settings
 * page's "Send test email" (which shows the server's reply) would let anyone with a store
 * probe our internal network. The demo's and tests' local sink is named explicitly in
 * `SMTP_ALLOWED_PRIVATE_HOSTS`.
 */
async function assertAllowedSmtpHost(host: string): Promise<void> {
  if (getEnv().SMTP_ALLOWED_PRIVATE_HOSTS.includes(host.toLowerCase())) return;
  let addresses: string[];
  try {
    addresses =
      isIP(host) !== 0 ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw new SmtpSendError(
      `Could not find the SMTP server ${host}`,
      connectionFailure((error as NodeJS.ErrnoException).code ?? "EDNS"),
      { cause: error },
    );
  }
  if (addresses.some(isInternalAddress)) {
    throw new SmtpSendError(
      `${host} is not a public address; use your email provider's SMTP host`,
      connectionFailure("EPRIVATEHOST"),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

const connectionFailure = (errorCode: string) => ({
  kind: "connection" as const,
  responseCode: null,
  permanent: false,
  errorCode,
  response: null,
  inDoubt: false,
});

interface NodemailerFailure {
  message?: string;
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  permanent?: boolean;
  rejected?: unknown[];
}

/**
 * Nodemailer's error → SmtpSendError, deciding permanence from the SMTP reply class. A failure
 * without a reply after the message was handed over (`handedOver`) is in doubt.
 */
export function smtpSendError(error: unknown, handedOver = false): SmtpSendError {
  if (error instanceof SmtpSendError) return error;
  const failure = (typeof error === "object" && error !== null ? error : {}) as NodemailerFailure;
  const responseCode = typeof failure.responseCode === "number" ? failure.responseCode : null;
  const errorCode = typeof failure.code === "string" ? failure.code : null;
  const command = typeof failure.command === "string" ? failure.command.toUpperCase() : "";
  let kind: SmtpFailureKind;
  if (
    ["EAUTH", "ENOAUTH", "ETLS", "EREQUIRETLS"].includes(errorCode ?? "") ||
    command.startsWith("AUTH") ||
    command.startsWith("STARTTLS")
  ) {
    kind = "config";
  } else if (command.startsWith("RCPT") || (failure.rejected?.length ?? 0) > 0) kind = "recipient";
  else if (responseCode !== null) kind = "message";
  else kind = "connection";
  const permanent =
    responseCode === null
      ? false
      : typeof failure.permanent === "boolean"
        ? failure.permanent
        : responseCode >= 500 && responseCode !== 503;
  return new SmtpSendError(
    failure.message ?? String(error),
    {
      kind,
      responseCode,
      permanent,
      errorCode,
      response: typeof failure.response === "string" ? failure.response : null,
      inDoubt: handedOver && responseCode === null,
    },
    { cause: error },
  );
}

function parseHttpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}
