/**
 * The Admin API side of win-back actions. Each is safe to repeat: the code is deterministic and
 * a second create finds it taken (and looks it up), metafieldsSet overwrites, tags are sets.
 */
import {
  CODE_DISCOUNT_BY_CODE_QUERY,
  DISCOUNT_CODE_BASIC_CREATE_MUTATION,
  METAFIELDS_SET_MUTATION,
  TAGS_ADD_MUTATION,
  TAGS_REMOVE_MUTATION,
} from "~/graphql/win-back";
import { ShopifyUserError } from "~/lib/errors";
import {
  adminGraphqlRequest,
  requireNoUserErrors,
  type AdminGraphqlOptions,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import type { DiscountTerms } from "./rule-config";

const customerGid = (id: bigint) => `gid://shopify/Customer/${id}`;

/** Metafield the storefront (Liquid, Flow, other apps) reads the customer's offer from. */
export const OFFER_METAFIELD = { namespace: "$app:rekindle", key: "winback_offer" } as const;

type UserErrors = Array<{ field?: string[] | null; code?: string | null; message: string }>;

export interface ShopifyActionContext {
  transport: AdminGraphqlTransport;
  options?: AdminGraphqlOptions;
}

/** A customer's single-use code as it is asked of Shopify. */
export interface CustomerDiscountInput {
  customerId: bigint;
  code: string;
  /** The discount's name in the Shopify admin. */
  title: string;
  discount: DiscountTerms;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Creates the customer's single-use code, limited to that customer. Returns the discount's id;
 * when the code already exists (an earlier attempt got through before a crash) the existing
 * discount is returned instead of a second one.
 */
export async function createCustomerDiscount(
  context: ShopifyActionContext,
  input: CustomerDiscountInput,
): Promise<{ discountId: string; reused: boolean }> {
  const { discount } = input;
  const value =
    discount.valueType === "percentage"
      ? { percentage: discount.value / 100 }
      : { discountAmount: { amount: discount.value.toFixed(2), appliesOnEachItem: false } };
  const data = await adminGraphqlRequest<{
    discountCodeBasicCreate: {
      codeDiscountNode: { id: string } | null;
      userErrors: UserErrors;
    } | null;
  }>(
    context.transport,
    DISCOUNT_CODE_BASIC_CREATE_MUTATION,
    {
      basicCodeDiscount: {
        title: input.title,
        code: input.code,
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        usageLimit: 1,
        appliesOncePerCustomer: true,
        context: { customers: { add: [customerGid(input.customerId)] } },
        customerGets: { value, items: { all: true } },
        ...(discount.minimumSubtotal === null
          ? {}
          : {
              minimumRequirement: {
                subtotal: { greaterThanOrEqualToSubtotal: discount.minimumSubtotal.toFixed(2) },
              },
            }),
      },
    },
    context.options,
  );
  const payload = data.discountCodeBasicCreate;
  const taken = payload?.userErrors.some((error) => error.code === "TAKEN") ?? false;
  if (taken) {
    const existing = await adminGraphqlRequest<{ codeDiscountNodeByCode: { id: string } | null }>(
      context.transport,
      CODE_DISCOUNT_BY_CODE_QUERY,
      { code: input.code },
      context.options,
    );
    const id = existing.codeDiscountNodeByCode?.id;
    if (id) return { discountId: id, reused: true };
  }
  const created = requireNoUserErrors("discountCodeBasicCreate", payload);
  const id = created.codeDiscountNode?.id;
  if (!id) {
    throw new ShopifyUserError("discountCodeBasicCreate", [{ message: "no discount returned" }]);
  }
  return { discountId: id, reused: false };
}

export async function setOfferMetafield(
  context: ShopifyActionContext,
  customerId: bigint,
  offer: { code: string; title: string; text: string; expiresAt: string | null },
): Promise<void> {
  const data = await adminGraphqlRequest<{ metafieldsSet: { userErrors: UserErrors } | null }>(
    context.transport,
    METAFIELDS_SET_MUTATION,
    {
      metafields: [
        {
          ownerId: customerGid(customerId),
          ...OFFER_METAFIELD,
          type: "json",
          value: JSON.stringify(offer),
        },
      ],
    },
    context.options,
  );
  requireNoUserErrors("metafieldsSet", data.metafieldsSet);
}

export async function changeCustomerTags(
  context: ShopifyActionContext,
  customerId: bigint,
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<void> {
  const calls = [
    ["tagsAdd", TAGS_ADD_MUTATION, change.add],
    ["tagsRemove", TAGS_REMOVE_MUTATION, change.remove],
  ] as const;
  for (const [operation, document, tags] of calls) {
    if (tags.length === 0) continue;
    const data = await adminGraphqlRequest<Record<string, { userErrors: UserErrors } | null>>(
      context.transport,
      document,
      { id: customerGid(customerId), tags },
      context.options,
    );
    requireNoUserErrors(operation, data[operation]);
  }
}
