/**
 * The one function a flow's email step sends through: the shop's branded template
 * (renderCustomerEmail, the same as win-back emails), the step's subject and text as its
 * subject and text block, sent with the shop's SMTP settings under the step's deterministic
 * Message-ID with one-click unsubscribe headers.
 *
 * Failures are sorted for the step executor: `permanent` (no settings, a template or address
 * problem, an SMTP 5xx) fails the step; everything else is worth another attempt, which resends
 * with the same Message-ID so a copy that did arrive is recognised as the same message.
 */
import { message, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
import { smtpFailureReason } from "~/services/email/failure-reason";
import { sendEmail } from "~/services/email/send-email.server";
import { renderCustomerEmail } from "~/services/email/templates/render-customer-email.server";

export interface FlowEmail {
  shopId: number;
  customerId: bigint;
  to: string;
  subject: string;
  body: string;
  /** `<...@...>`, the same for every attempt at this step for this customer. */
  messageId: string;
}

/** A send that failed; `permanent` when trying again cannot help. */
export class FlowEmailError extends Error {
  constructor(
    /** Why, for the step's record: an actionReasons.* key the admin words. */
    readonly reason: Message,
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(reason.key, options);
  }
}

function sendFailure(error: unknown): FlowEmailError {
  if (error instanceof EmailNotConfiguredError) {
    return new FlowEmailError(message("actionReasons.emailNotSetUp"), true);
  }
  if (error instanceof NotFoundError) {
    return new FlowEmailError(message("actionReasons.customerGone"), true);
  }
  // Template problems (InvalidBrandedTemplateError, InvalidEmailTemplateError) and malformed
  // addresses or links are all InvalidInputError.
  if (error instanceof InvalidInputError) {
    return new FlowEmailError(message("actionReasons.flowEmailMalformed"), true, { cause: error });
  }
  if (error instanceof SmtpSendError) {
    return new FlowEmailError(smtpFailureReason(error), error.permanent && !error.inDoubt, {
      cause: error,
    });
  }
  return new FlowEmailError(message("actionReasons.notSent"), false, { cause: error });
}

export async function sendFlowEmail(
  sql: SqlQueryable,
  email: FlowEmail,
  now: Date = new Date(),
): Promise<{ messageId: string }> {
  try {
    const rendered = await renderCustomerEmail({
      sql,
      shopId: email.shopId,
      customerId: email.customerId,
      message: { subject: email.subject, body: email.body },
      now,
    });
    const sent = await sendEmail(sql, email.shopId, {
      to: email.to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: email.messageId,
      unsubscribeUrl: rendered.unsubscribeUrl,
      customerId: email.customerId,
    });
    return { messageId: sent.messageId };
  } catch (error) {
    throw sendFailure(error);
  }
}
