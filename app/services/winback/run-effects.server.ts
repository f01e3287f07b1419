/**
 * The real outside world of a win-back run: the shop's Admin API (offline token), the
 * merchant's SMTP server and Shopify Flow. Emails go out through sendCustomerEmail (the
 * shop's branded template, tracked links, a message row per email), whose failures map onto
 * what the executor understands: a refusal is permanent, a failure that provably sent nothing
 * is temporary, and one that may have gone out is left in doubt and never repeated.
 */
import { message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { CustomerEmailError, sendCustomerEmail } from "~/services/email/send-customer-email.server";
import { refreshShopBrand } from "~/services/email/templates/brand-store.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { TemporaryActionError, type RunEffects, type WinbackEmail } from "./execute-run.server";
import { emitWinbackFlowTrigger } from "./flow-trigger.server";

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
        return await sendCustomerEmail(
          sql,
          {
            shopId: email.shopId,
            customerId: email.customerId,
            to: email.to,
            message: email.template,
            offer: email.code
              ? { code: email.code, discountText: email.discountText, expiresAt: email.expiresAt }
              : null,
            messageId: email.messageId,
            source: { kind: "winback", ruleId: email.ruleId, ruleName: email.ruleName },
            variant: "A",
          },
          now(),
        );
      } catch (error) {
        if (error instanceof CustomerEmailError && error.failure === "temporary") {
          throw new TemporaryActionError(error.message, { cause: error, reason: error.reason });
        }
        if (error instanceof CustomerEmailError) throw error;
        throw new TemporaryActionError("The email could not be prepared", {
          cause: error,
          reason: message("actionReasons.notPrepared"),
        });
      }
    },
    async emitFlow(event) {
      await emitWinbackFlowTrigger(transport, { ...event, ruleId: event.ruleId.toString() });
    },
  };
}
