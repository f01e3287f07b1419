/**
 * The one function every email to a customer goes out through, from a flow's email step or a
 * win-back rule: a message row first (what opens, clicks and orders are counted against),
 * then the shop's branded template (the caller's subject and text as its subject and text
 * block) with every link tracked and the open pixel, sent with the shop's SMTP settings under
 * the caller's deterministic Message-ID with one-click unsubscribe headers. A retry with the
 * same Message-ID finds the same row.
 *
 * Failures are sorted for the callers, each with its reason in the merchant's words: a refusal
 * (no settings, a template or address problem, an SMTP 5xx) is `permanent`; a 4xx reply or a
 * connection that failed before the server had the whole message is `temporary` (provably
 * nothing went out); a connection lost after the message was handed over is `inDoubt`.
 */
import { message, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import { EmailNotConfiguredError, SmtpSendError } from "./email-errors";
import { smtpFailureReason } from "./failure-reason";
import { InvalidEmailTemplateError } from "./render-template";
import { sendEmail } from "./send-email.server";
import type { KnownShopper } from "~/services/recommendations/recommend.server";
import type { CustomerFacts } from "./templates/customer-facts.server";
import type { EmailOffer } from "./templates/email-view";
import { renderCustomerEmail } from "./templates/render-customer-email.server";
import { InvalidBrandedTemplateError } from "./templates/template-store.server";
import type { Variant } from "./tracking/ab-test";
import {
  clickUrl,
  openPixelUrl,
  utmHandle,
  withOpenPixel,
  type TrackedMessage,
} from "./tracking/tracking-links.server";

/** What sent the email: the flow and its step, or the win-back rule. */
export type EmailSource =
  | { kind: "flow"; flowId: bigint; flowName: string; stepIndex: number }
  | { kind: "winback"; ruleId: bigint; ruleName: string };

export interface CustomerEmail {
  shopId: number;
  customerId: bigint;
  to: string;
  message: { subject: string; body: string };
  offer?: EmailOffer | null;
  /** The customer's facts for the template when the caller read them already. */
  facts?: CustomerFacts;
  /** What the template's products block reads about the customer, when read ahead. */
  shopper?: KnownShopper;
  /** `<...@...>`, the same for every attempt at this email. */
  messageId: string;
  /** The email's message row when the caller wrote it (messageRowUpsert, with its claim). */
  messageRow?: bigint;
  /**
   * Who marks the message row sent once the server took the email: this function (the
   * default), or the caller, in a statement it makes anyway (a flow step's settle, by
   * Message-ID), which saves a statement per email.
   */
  marksSent?: "self" | "caller";
  source: EmailSource;
  variant: Variant;
}

export type SendFailure = "permanent" | "temporary" | "inDoubt";

/** A send that failed, with its reason as an actionReasons.* key the admin words. */
export class CustomerEmailError extends Error {
  readonly permanent: boolean;
  constructor(
    readonly reason: Message,
    readonly failure: SendFailure,
    options?: ErrorOptions,
  ) {
    super(reason.key, options);
    this.permanent = failure === "permanent";
  }
}

/**
 * Only the SMTP conversation can send anything, and sendEmail reports every failure in it as
 * an SmtpSendError, so any other error happened before the mail server was contacted.
 */
function sendFailure(error: unknown): CustomerEmailError {
  const permanent = (key: string) =>
    new CustomerEmailError(message(key), "permanent", { cause: error });
  if (error instanceof EmailNotConfiguredError) return permanent("actionReasons.emailNotSetUp");
  if (error instanceof InvalidBrandedTemplateError || error instanceof InvalidEmailTemplateError) {
    return permanent("actionReasons.templateProblem");
  }
  if (error instanceof NotFoundError) return permanent("actionReasons.customerGone");
  if (error instanceof InvalidInputError) return permanent("actionReasons.emailMalformed");
  if (!(error instanceof SmtpSendError)) {
    return new CustomerEmailError(message("actionReasons.notPrepared"), "temporary", {
      cause: error,
    });
  }
  const failure: SendFailure = error.inDoubt
    ? "inDoubt"
    : error.permanent
      ? "permanent"
      : "temporary";
  return new CustomerEmailError(smtpFailureReason(error), failure, { cause: error });
}

/**
 * The upsert of an email's message row (made on its first attempt, found again by later ones),
 * with the code it carries (an order that uses it is credited to the email), returning its
 * `id`, with messageRowValues as its parameters from `$first` on: a caller may make it part of
 * a statement of its own (a flow step's claim).
 */
export const messageRowUpsert = (first: number) =>
  `INSERT INTO email_message
     (shop_id, message_key, customer_id, flow_id, step_index, rule_id, variant, discount_code)
   VALUES (${Array.from({ length: 7 }, (_, n) => `$${first + n}`).join(", ")}, upper($${first + 7}))
   ON CONFLICT (shop_id, message_key) DO UPDATE SET status = 'sending'
   RETURNING id`;

export function messageRowValues(email: CustomerEmail): unknown[] {
  const { source } = email;
  return [
    email.shopId,
    email.messageId,
    email.customerId.toString(),
    source.kind === "flow" ? source.flowId.toString() : null,
    source.kind === "flow" ? source.stepIndex : null,
    source.kind === "winback" ? source.ruleId.toString() : null,
    email.variant,
    email.offer?.code ?? null,
  ];
}

async function messageRow(sql: SqlQueryable, email: CustomerEmail): Promise<bigint> {
  const { rows } = await sql.query<{ id: string }>(
    `WITH row AS (${messageRowUpsert(1)}) SELECT id::text FROM row`,
    messageRowValues(email),
  );
  const row = rows[0];
  if (!row) throw new Error("the email's message row was not written");
  return BigInt(row.id);
}

async function settleMessage(
  sql: SqlQueryable,
  shopId: number,
  id: bigint,
  status: "sent" | "failed",
  now: Date,
) {
  await sql.query(
    `UPDATE email_message
     SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN $4::timestamptz AT TIME ZONE 'UTC' END
     WHERE shop_id = $1 AND id = $2`,
    [shopId, id.toString(), status, now.toISOString()],
  );
}

/** How the email is named in its links' UTM tags. */
export function trackingNames(source: EmailSource, variant: Variant) {
  return source.kind === "flow"
    ? {
        campaign: utmHandle(source.flowName),
        content: `step-${source.stepIndex + 1}-${variant.toLowerCase()}`,
      }
    : { campaign: utmHandle(source.ruleName), content: `winback-${variant.toLowerCase()}` };
}

export async function sendCustomerEmail(
  sql: SqlQueryable,
  email: CustomerEmail,
  now: Date = new Date(),
): Promise<{ messageId: string }> {
  const id = email.messageRow ?? (await messageRow(sql, email));
  const tracked: TrackedMessage = {
    shopId: email.shopId,
    messageId: id,
    ...trackingNames(email.source, email.variant),
  };
  try {
    const rendered = await renderCustomerEmail({
      sql,
      shopId: email.shopId,
      customerId: email.customerId,
      message: email.message,
      offer: email.offer ?? null,
      facts: email.facts,
      shopper: email.shopper,
      now,
      links: { linkFor: (url) => clickUrl(tracked, url) },
    });
    const sent = await sendEmail(sql, email.shopId, {
      to: email.to,
      subject: rendered.subject,
      text: rendered.text,
      html: withOpenPixel(rendered.html, openPixelUrl(tracked)),
      messageId: email.messageId,
      unsubscribeUrl: rendered.unsubscribeUrl,
      customerId: email.customerId,
    });
    if (email.marksSent !== "caller") await settleMessage(sql, email.shopId, id, "sent", now);
    return { messageId: sent.messageId };
  } catch (error) {
    const failure = sendFailure(error);
    if (failure.permanent) await settleMessage(sql, email.shopId, id, "failed", now);
    throw failure;
  }
}
