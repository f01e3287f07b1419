/**
 * The one function a flow's email step sends through. Today it renders with the project's
 * plain-text template renderer and sends with the shop's SMTP settings (deterministic
 * Message-ID, one-click unsubscribe headers); the branded renderer replaces the render call
 * here when it lands, and nothing else in flows changes.
 *
 * Failures are sorted for the step executor: `permanent` (no settings, a malformed address, an
 * SMTP 5xx) fails the step; everything else is worth another attempt, which resends with the
 * same Message-ID so a copy that did arrive is recognised as the same message.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError } from "~/lib/errors";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
import { smtpFailureReason } from "~/services/email/failure-reason";
import { renderEmailTemplate } from "~/services/email/render-template";
import { sendEmail } from "~/services/email/send-email.server";
import { unsubscribeUrl } from "~/services/email/unsubscribe-token.server";

export interface FlowEmail {
  shop: { id: number; domain: string; name: string | null };
  customerId: bigint;
  to: string;
  firstName: string | null;
  subject: string;
  body: string;
  /** `<...@...>`, the same for every attempt at this step for this customer. */
  messageId: string;
}

/** A send that failed; `permanent` when trying again cannot help. */
export class FlowEmailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function sendFailure(error: unknown): FlowEmailError {
  if (error instanceof EmailNotConfiguredError) {
    return new FlowEmailError("Email is not set up: add your mail server under Email", true);
  }
  if (error instanceof InvalidInputError) {
    return new FlowEmailError("The email could not be built: " + error.message, true);
  }
  if (error instanceof SmtpSendError) {
    return new FlowEmailError(smtpFailureReason(error), error.permanent && !error.inDoubt, {
      cause: error,
    });
  }
  return new FlowEmailError("The email could not be sent", false, { cause: error });
}

export async function sendFlowEmail(
  sql: SqlQueryable,
  email: FlowEmail,
): Promise<{ messageId: string }> {
  try {
    const unsubscribe = unsubscribeUrl(email.shop.domain, email.customerId);
    const rendered = renderEmailTemplate(
      { subject: email.subject, body: email.body },
      {
        first_name: email.firstName ?? "",
        code: "",
        discount: "",
        expires_on: "",
        shop_name: email.shop.name ?? email.shop.domain,
        unsubscribe_url: unsubscribe,
      },
    );
    const sent = await sendEmail(sql, email.shop.id, {
      to: email.to,
      ...rendered,
      messageId: email.messageId,
      unsubscribeUrl: unsubscribe,
    });
    return { messageId: sent.messageId };
  } catch (error) {
    throw sendFailure(error);
  }
}
