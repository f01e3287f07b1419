/**
 * The "Win-back action taken" Shopify Flow trigger (extensions/rekindle-flow-winback): each
 * time a win-back rule acts on a customer the app tells Flow, so merchants can chain their own
 * automations (tag the customer, post to Slack, call another app) onto ours.
 *
 * Flow triggers are not idempotent: every accepted call starts the merchant's workflows again.
 * A THROTTLED answer was never executed, so adminGraphqlRequest retrying it is safe; a caller
 * that retries after a network failure may start the workflows twice.
 */
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "~/graphql/flow";
import { InvalidInputError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  requireNoUserErrors,
  type AdminGraphqlOptions,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";

/** The extension's handle; a test checks it against shopify.extension.toml. */
export const WINBACK_FLOW_TRIGGER_HANDLE = "rekindle-flow-winback";

/** Flow only accepts a trigger payload (as JSON) under this many bytes. */
export const FLOW_TRIGGER_PAYLOAD_MAX_BYTES = 50_000;

export interface WinbackFlowTriggerInput {
  customerId: bigint;
  ruleId: string;
  ruleName: string;
  /** The discount code the customer was given, null when the rule gave none. */
  code: string | null;
  discountText: string;
  expiresAt: Date | null;
  lifecycleStage: string | null;
}

/**
 * What Flow receives. The keys are the extension's field keys verbatim (letters and spaces
 * only, Flow's rule) plus `customer_id` for its customer_reference field; a test compares
 * them with the TOML so the two cannot drift.
 */
export interface WinbackFlowTriggerPayload {
  /** A JSON number with the id's exact digits (see rawJsonNumber). */
  customer_id: unknown;
  "Rule name": string;
  "Rule ID": string;
  "Discount code": string;
  "Discount text": string;
  "Offer expires at": string;
  "Lifecycle stage": string;
}

/** The merchant's free text, shortened (longest first) when the payload is over the limit. */
const SHORTENABLE = ["Discount text", "Rule name"] as const;
const ELLIPSIS = "…";

/** Builds the payload for one win-back action, shortened to fit Flow's size limit. */
export function winbackFlowTriggerPayload(
  input: WinbackFlowTriggerInput,
): WinbackFlowTriggerPayload {
  if (input.customerId <= 0n) {
    throw new InvalidInputError(`Not a Shopify customer id: ${input.customerId}`);
  }
  // Absent values are "" rather than left out: every declared field is always there, and a
  // workflow condition can test it for empty.
  const payload: WinbackFlowTriggerPayload = {
    customer_id: rawJsonNumber(input.customerId.toString()),
    "Rule name": input.ruleName,
    "Rule ID": input.ruleId,
    "Discount code": input.code ?? "",
    "Discount text": input.discountText,
    "Offer expires at": input.expiresAt?.toISOString() ?? "",
    "Lifecycle stage": input.lifecycleStage ?? "",
  };
  const size = jsonBytes(payload);
  if (size >= FLOW_TRIGGER_PAYLOAD_MAX_BYTES) {
    fitToLimit(payload);
    logger.warn(
      { ruleId: input.ruleId, bytes: size, limit: FLOW_TRIGGER_PAYLOAD_MAX_BYTES },
      "win-back Flow trigger payload shortened to fit Flow's limit",
    );
  }
  return payload;
}

/**
 * Tells Flow a win-back rule acted on a customer. Throws ShopifyUserError when Flow refuses
 * the trigger (unknown handle, say), AdminGraphqlError on other GraphQL errors; throttling is
 * waited out. The win-back action itself has already happened, so callers should log a
 * failure here rather than undo it.
 */
export async function emitWinbackFlowTrigger(
  transport: AdminGraphqlTransport,
  input: WinbackFlowTriggerInput,
  options: AdminGraphqlOptions = {},
): Promise<void> {
  const data = await adminGraphqlRequest<{
    flowTriggerReceive?: { userErrors: Array<{ field?: string[] | null; message: string }> } | null;
  } | null>(
    transport,
    FLOW_TRIGGER_RECEIVE_MUTATION,
    { handle: WINBACK_FLOW_TRIGGER_HANDLE, payload: winbackFlowTriggerPayload(input) },
    options,
  );
  requireNoUserErrors("flowTriggerReceive", data?.flowTriggerReceive);
}

/**
 * A JSON number written with exactly these digits. Flow takes the customer reference as a
 * number, and Shopify ids may exceed 2^53, which Number() would round. JSON.rawJSON (Node 21+)
 * is not in TypeScript's lib yet; JSON.stringify, which the Admin client sends variables with,
 * writes it as the bare digits.
 */
function rawJsonNumber(digits: string): unknown {
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(digits);
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** Shortens the free-text fields, longest first, until the payload is under the limit. */
function fitToLimit(payload: WinbackFlowTriggerPayload): void {
  for (;;) {
    const excess = jsonBytes(payload) - (FLOW_TRIGGER_PAYLOAD_MAX_BYTES - 1);
    if (excess <= 0) return;
    const key = SHORTENABLE.reduce((longest, candidate) =>
      payload[candidate].length > payload[longest].length ? candidate : longest,
    );
    if (payload[key] === "") {
      // Only ids and codes are left, and those must not be cut.
      throw new InvalidInputError(
        `Win-back Flow trigger payload is over ${FLOW_TRIGGER_PAYLOAD_MAX_BYTES} bytes without its free text`,
      );
    }
    payload[key] = shorten(payload[key], excess);
  }
}

/**
 * `text` with its JSON form at least `bytes` shorter, cut at a code point (never inside a
 * surrogate pair) and marked with an ellipsis; "" when nothing would be left.
 */
function shorten(text: string, bytes: number): string {
  const budget = jsonBytes(text) - 2 - bytes - jsonBytes(ELLIPSIS) + 2;
  let used = 0;
  let kept = "";
  for (const char of text) {
    // Escaped size: a quote or control character takes more than its UTF-8 bytes.
    const size = jsonBytes(char) - 2;
    if (used + size > budget) break;
    used += size;
    kept += char;
  }
  return kept === "" ? "" : kept + ELLIPSIS;
}
