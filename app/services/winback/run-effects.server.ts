/**
 * The real outside world of a win-back run: the shop's Admin API (offline token), the
 * merchant's SMTP server and Shopify Flow. Emails go out in the shop's branded template
 * (app/services/email/templates), the rule's subject and body as its subject and text block. Send failures are sorted here into what the executor
 * understands, each with its reason in the merchant's words: a refusal (SMTP 5xx, no settings,
 * a malformed address) is permanent; a 4xx reply or a connection that failed before the server
 * had the whole message is temporary (provably nothing went out); a connection lost after the
 * message was handed over, or any unexpected error, is left in doubt and never repeated.
 */
import { message, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
import { smtpFailureReason } from "~/services/email/failure-reason";
import { InvalidEmailTemplateError } from "~/services/email/render-template";
import { sendEmail } from "~/services/email/send-email.server";
import { refreshShopBrand } from "~/services/email/templates/brand-store.server";
import { renderCustomerEmail } from "~/services/email/templates/render-customer-email.server";
import { InvalidBrandedTemplateError } from "~/services/email/templates/template-store.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { TemporaryActionError, type RunEffects, type WinbackEmail } from "./execute-run.server";
import { emitWinbackFlowTrigger } from "./flow-trigger.server";

/** A failure that retrying cannot fix: the executor fails the action at once. */
class PermanentActionError extends Error {
  readonly permanent = true;
  constructor(
    readonly reason: Message,
    options?: ErrorOptions,
  ) {
    super(reason.key, options);
  }
}

/** A send whose outcome is unknown: never repeated. */
class UncertainActionError extends Error {
  constructor(
    readonly reason: Message,
    options?: ErrorOptions,
  ) {
    super(reason.key, options);
  }
}

/**
 * A failed send as the executor understands it. Only the SMTP conversation can send anything,
 * and sendEmail reports every failure in it as an SmtpSendError, so any other error happened
 * before the mail server was contacted: nothing went out.
 */
function sendFailure(error: unknown): Error {
  if (error instanceof EmailNotConfiguredError) {
    return new PermanentActionError(message("actionReasons.emailNotSetUp"));
  }
  if (error instanceof InvalidBrandedTemplateError || error instanceof InvalidEmailTemplateError) {
    return new PermanentActionError(message("actionReasons.templateProblem"));
  }
  if (error instanceof NotFoundError) {
    return new PermanentActionError(message("actionReasons.customerGone"));
  }
  if (error instanceof InvalidInputError) {
    return new PermanentActionError(message("actionReasons.emailMalformed"));
  }
  if (!(error instanceof SmtpSendError)) {
    return new TemporaryActionError("The email could not be prepared", {
      cause: error,
      reason: message("actionReasons.notPrepared"),
    });
  }
  const reason = smtpFailureReason(error);
  if (error.inDoubt) return new UncertainActionError(reason, { cause: error });
  if (error.permanent) return new PermanentActionError(reason, { cause: error });
  return new TemporaryActionError(reason.key, { cause: error, reason });
}

export function shopRunEffects(
  sql: SqlQueryable,
  transport: AdminGraphqlTransport,
  now: () => Date = () => new Date(),
): RunEffects {
  let shopIdRefreshed: number | null = null;
  return {
    transport,
    async sendEmail(email: WinbackEmail) {
      try {
        // The footer's address and the links' storefront: fetched once a day at most.
        if (shopIdRefreshed !== email.shopId) {
          shopIdRefreshed = email.shopId;
          await refreshShopBrand(sql, email.shopId, transport, now());
        }
        const rendered = await renderCustomerEmail({
          sql,
          shopId: email.shopId,
          customerId: email.customerId,
          message: email.template,
          offer: email.code
            ? { code: email.code, discountText: email.discountText, expiresAt: email.expiresAt }
            : null,
          now: now(),
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
    },
    async emitFlow(event) {
      await emitWinbackFlowTrigger(transport, { ...event, ruleId: event.ruleId.toString() });
    },
  };
}
