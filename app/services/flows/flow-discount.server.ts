/**
 * An email step's discount: the customer's single-use code, created through the Admin API once
 * per run and step, and kept with the step's record before the email goes out.
 * - A retried step (the send failed, the worker was killed after the code was kept) finds the
 *   code on its record and sends it again: no second code.
 * - A worker killed after Shopify created the code and before it was kept: the code is
 *   deterministic (customerDiscountCode), so the next attempt asks for the same one, Shopify
 *   answers TAKEN and createCustomerDiscount returns the existing discount.
 * - The code's dates count from the step's first attempt, so every attempt asks for the same.
 * When Shopify does not create it, nothing is sent: the step fails with a reason the flow's
 * page shows (a refusal at once; a busy or unreachable Shopify after the queue's retries).
 */
import { message, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { getEnv } from "~/lib/env.server";
import { ShopifyUserError, ShopNotInstalledError } from "~/lib/errors";
import type { EmailOffer } from "~/services/email/templates/email-view";
import { AdminGraphqlError } from "~/services/shopify/admin-graphql.server";
import { customerDiscountCode } from "~/services/winback/discount-code";
import { discountExpiry } from "~/services/winback/discount-text";
import type { DiscountTerms } from "~/services/winback/rule-config";
import type { CustomerDiscountInput } from "~/services/winback/shopify-actions.server";
import type { FlowStepJob } from "./flow-queue.server";

/** The flows' codes read OFFER-7KQ2M9XC4T. */
export const FLOW_CODE_PREFIX = "OFFER";

/** Creates the code at Shopify (limited to the customer, used once); returns its id. */
export type CreateFlowDiscount = (
  request: CustomerDiscountInput,
) => Promise<{ discountId: string }>;

/**
 * A code Shopify did not create, with the reason the flow's page shows. A `permanent` one
 * (refused: no access to discounts, the app uninstalled, the code's settings) fails the step
 * at once; any other is thrown for the queue to try again.
 */
export class FlowDiscountError extends Error {
  constructor(
    readonly reason: Message,
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(reason.key, options);
  }
}

/** What is kept on message_flow_step.discount. */
interface KeptDiscount {
  code: string;
  id: string;
  endsAt: string;
}

function refusal(error: unknown): FlowDiscountError {
  const fail = (key: string, permanent: boolean) =>
    new FlowDiscountError(message(key), permanent, { cause: error });
  if (error instanceof ShopNotInstalledError)
    return fail("actionReasons.discountNotInstalled", true);
  if (error instanceof ShopifyUserError) return fail("actionReasons.discountRefused", true);
  if (error instanceof AdminGraphqlError && error.codes.includes("ACCESS_DENIED")) {
    return fail("actionReasons.discountNoAccess", true);
  }
  return fail("actionReasons.discountLater", false);
}

/**
 * The customer's code for the step `job` names, whose record an earlier claim wrote: the kept
 * one, or a new one created and kept. Throws FlowDiscountError when Shopify does not create it.
 */
export async function flowStepOffer(
  sql: SqlQueryable,
  job: FlowStepJob,
  run: { flowName: string; customerId: bigint },
  terms: DiscountTerms,
  createDiscount: CreateFlowDiscount,
): Promise<EmailOffer> {
  const where = [job.shopId, job.runId, job.stepIndex];
  const { rows } = await sql.query<{ discount: KeptDiscount | null; started_at: string }>(
    `SELECT discount, to_char(started_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at
     FROM message_flow_step WHERE shop_id = $1 AND run_id = $2 AND step_index = $3`,
    where,
  );
  const record = rows[0];
  if (!record) throw new Error(`flow step ${job.runId}/${job.stepIndex} has no claim`);
  const offer = (kept: KeptDiscount): EmailOffer => ({
    code: kept.code,
    discountText: "",
    terms,
    expiresAt: new Date(kept.endsAt),
  });
  if (record.discount) return offer(record.discount);

  const startsAt = new Date(record.started_at);
  const code = customerDiscountCode(
    getEnv().SHOPIFY_API_SECRET,
    FLOW_CODE_PREFIX,
    `flow:${job.shopId}:${job.runId}:${job.stepIndex}`,
  );
  const endsAt = discountExpiry(startsAt, terms);
  let discountId: string;
  try {
    ({ discountId } = await createDiscount({
      customerId: run.customerId,
      code,
      title: `${run.flowName} (${code})`,
      discount: terms,
      startsAt,
      endsAt,
    }));
  } catch (error) {
    throw refusal(error);
  }
  const kept: KeptDiscount = { code, id: discountId, endsAt: endsAt.toISOString() };
  await sql.query(
    `UPDATE message_flow_step SET discount = $4::jsonb
     WHERE shop_id = $1 AND run_id = $2 AND step_index = $3`,
    [...where, JSON.stringify(kept)],
  );
  return offer(kept);
}
