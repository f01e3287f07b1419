/**
 * The real outside world of a win-back run: the shop's Admin API (offline token), the
 * merchant's SMTP server and Shopify Flow. Errors are sorted here into what the executor
 * understands: a refusal is permanent, an SMTP reply in the 4xx range is temporary (the server
 * answered, so nothing went out), and anything else on a send is left in doubt.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
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

export function shopRunEffects(
  sql: SqlQueryable,
  shop: { domain: string; name: string | null; timeZone: string },
  transport: AdminGraphqlTransport,
): RunEffects {
  const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: shop.timeZone });
  return {
    transport,
    async sendEmail(email: WinbackEmail) {
      const unsubscribe = unsubscribeUrl(shop.domain, email.customerId);
      const rendered = renderEmailTemplate(email.template, {
        first_name: email.firstName ?? "",
        code: email.code ?? "",
        discount: email.discountText,
        expires_on: email.expiresAt ? dateFormat.format(email.expiresAt) : "",
        shop_name: shop.name ?? shop.domain,
        unsubscribe_url: unsubscribe,
      });
      try {
        const sent = await sendEmail(sql, email.shopId, {
          to: email.to,
          ...rendered,
          messageId: email.messageId,
          unsubscribeUrl: unsubscribe,
        });
        return { messageId: sent.messageId };
      } catch (error) {
        if (error instanceof EmailNotConfiguredError) {
          throw new PermanentActionError("email is not set up: add SMTP settings under Email");
        }
        if (error instanceof SmtpSendError && !error.permanent && error.responseCode !== null) {
          throw new TemporaryActionError(error.message, { cause: error });
        }
        throw error;
      }
    },
    async emitFlow(event) {
      await emitWinbackFlowTrigger(transport, { ...event, ruleId: event.ruleId.toString() });
    },
  };
}
