/**
 * The real outside world of a win-back run: the shop's Admin API (offline token), the
 * merchant's SMTP server and Shopify Flow. Send failures are sorted here into what the executor
 * understands, each with its reason in the merchant's words: a refusal (SMTP 5xx, no settings,
 * a malformed address) is permanent; a 4xx reply or a connection that failed before the server
 * had the whole message is temporary (provably nothing went out); a connection lost after the
 * message was handed over, or any unexpected error, is left in doubt and never repeated.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError } from "~/lib/errors";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
import { smtpFailureReason } from "~/services/email/failure-reason";
import { renderEmailTemplate } from "~/services/email/render-template";
import { sendEmail } from "~/services/email/send-email.server";
import { unsubscribeUrl } from "~/services/email/unsubscribe-token.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { TemporaryActionError, type RunEffects, type WinbackEmail } from "./execute-run.server";
import { emitWinbackFlowTrigger } from "./flow-trigger.server";

/** A failure that retrying cannot fix: the executor fails the action at once. */
class PermanentActionError extends Error {
  readonly permanent = true;
}

/**
 * A failed send as the executor understands it. Only the SMTP conversation can send anything,
 * and sendEmail reports every failure in it as an SmtpSendError, so any other error happened
 * before the mail server was contacted: nothing went out.
 */
function sendFailure(error: unknown): Error {
  if (error instanceof EmailNotConfiguredError) {
    return new PermanentActionError("Email is not set up: add your mail server under Email");
  }
  if (error instanceof InvalidInputError) {
    return new PermanentActionError(
      "The email could not be built: the customer's address or a link in it is malformed",
    );
  }
  if (!(error instanceof SmtpSendError)) {
    return new TemporaryActionError("The email could not be prepared", { cause: error });
  }
  const reason = smtpFailureReason(error);
  if (error.inDoubt) return new Error(reason, { cause: error });
  if (error.permanent) return new PermanentActionError(reason, { cause: error });
  return new TemporaryActionError(reason, { cause: error });
}

export function shopRunEffects(
  sql: SqlQueryable,
  shop: { domain: string; name: string | null; timeZone: string },
  transport: AdminGraphqlTransport,
): RunEffects {
  const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: shop.timeZone });
  return {
    transport,
    async sendEmail(email: WinbackEmail) {
      try {
        const unsubscribe = unsubscribeUrl(shop.domain, email.customerId);
        const rendered = renderEmailTemplate(email.template, {
          first_name: email.firstName ?? "",
          code: email.code ?? "",
          discount: email.discountText,
          expires_on: email.expiresAt ? dateFormat.format(email.expiresAt) : "",
          shop_name: shop.name ?? shop.domain,
          unsubscribe_url: unsubscribe,
        });
        const sent = await sendEmail(sql, email.shopId, {
          to: email.to,
          ...rendered,
          messageId: email.messageId,
          unsubscribeUrl: unsubscribe,
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
