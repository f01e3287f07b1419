import { parse, validate } from "graphql";
import { parseJsonExact } from "~/lib/parse-json-exact";
import { gid, parseGid, toShopifyJson } from "../shopify-json";
import type { MarketingState } from "../model";
import type { DevStore } from "../store";
import type { AdminGraphqlEndpoint } from "./admin-endpoint";
import { requireScopes, type ResolveContext } from "./connections";
import { customerView, discountNodeView } from "./views";
import { appSubscriptionView, type NewAppSubscription } from "../app-billing";

interface UserError {
  field: string[] | null;
  code?: string;
  message: string;
}

interface DiscountCodeBasicInput {
  title?: string;
  code?: string;
  startsAt?: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
  customerSelection?: { all?: boolean; customers?: { add?: string[] } };
  context?: { all?: string; customers?: { add?: string[] } };
  customerGets?: {
    value?: { percentage?: number; discountAmount?: { amount: string | number } };
  };
  minimumRequirement?: { subtotal?: { greaterThanOrEqualToSubtotal?: string | number } };
}

interface AppSubscriptionCreateArgs {
  name: string;
  returnUrl: string;
  test?: boolean | null;
  trialDays?: number | null;
  replacementBehavior?: NewAppSubscription["replacementBehavior"] | null;
  lineItems: Array<{
    plan: {
      appRecurringPricingDetails?: {
        interval?: "EVERY_30_DAYS" | "ANNUAL" | null;
        price: { amount: string | number; currencyCode: string };
      } | null;
      appUsagePricingDetails?: unknown;
    };
  }>;
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string;
  key: string;
  type?: string;
  value: string;
}

/** Shopify's limit on metafields per metafieldsSet call. */
const METAFIELDS_PER_CALL = 25;

/** Flow refuses a trigger payload whose JSON is not under this many bytes. */
const FLOW_TRIGGER_PAYLOAD_MAX_BYTES = 50_000;

export function createMutations(store: DevStore, endpoint: AdminGraphqlEndpoint) {
  const taggable = (id: string) => {
    const customer = store.customersById.get(parseGid(id, "Customer") ?? -1n);
    if (customer) return { kind: "customer" as const, record: customer };
    const product = store.productsById.get(parseGid(id, "Product") ?? -1n);
    if (product) return { kind: "product" as const, record: product };
    return null;
  };

  const changeTags = (id: string, tags: string[], change: (current: string[]) => string[]) => {
    const target = taggable(id);
    if (!target) {
      return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    }
    if (target.kind === "customer") {
      store.updateCustomer(target.record.id, (customer) => {
        customer.tags = change(customer.tags);
      });
    } else {
      store.updateProduct(target.record.id, (product) => {
        product.tags = change(product.tags);
      });
    }
    return {
      node: { __typename: target.kind === "customer" ? "Customer" : "Product", id },
      userErrors: [],
    };
  };

  return {
    appSubscriptionCreate: (args: AppSubscriptionCreateArgs) => {
      const errors: UserError[] = [];
      if (!args.name.trim()) errors.push({ field: ["name"], message: "Name can't be blank" });
      if (!URL.canParse(args.returnUrl)) {
        errors.push({ field: ["returnUrl"], message: "Return url is invalid" });
      }
      if ((args.trialDays ?? 0) < 0) {
        errors.push({ field: ["trialDays"], message: "Trial days must be at least 0" });
      }
      const recurring = args.lineItems.map((item) => item.plan.appRecurringPricingDetails);
      if (recurring.length === 0 || recurring.some((details) => !details)) {
        // Usage charges are not simulated; the app charges recurring prices only.
        errors.push({
          field: ["lineItems"],
          message: "Only recurring line items are supported by the simulated store",
        });
      }
      if (recurring.some((details) => details && Number(details.price.amount) <= 0)) {
        errors.push({ field: ["lineItems"], message: "Price must be greater than 0" });
      }
      if (errors.length > 0) {
        return { appSubscription: null, confirmationUrl: null, userErrors: errors };
      }
      const subscription = store.billing.create({
        name: args.name,
        returnUrl: args.returnUrl,
        test: args.test ?? false,
        trialDays: args.trialDays ?? 0,
        replacementBehavior: args.replacementBehavior ?? "STANDARD",
        lineItems: recurring.flatMap((details) =>
          details
            ? [
                {
                  amount: Number(details.price.amount).toFixed(2),
                  currencyCode: details.price.currencyCode,
                  interval: details.interval ?? "EVERY_30_DAYS",
                },
              ]
            : [],
        ),
      });
      return {
        appSubscription: appSubscriptionView(subscription),
        confirmationUrl: endpoint.confirmationUrl(subscription.id),
        userErrors: [],
      };
    },

    appSubscriptionCancel: ({ id }: { id: string; prorate?: boolean | null }) => {
      const numeric = parseGid(id, "AppSubscription");
      const existing = numeric === null ? undefined : store.billing.subscriptions.get(numeric);
      if (!existing) {
        return {
          appSubscription: null,
          userErrors: [{ field: ["id"], message: "Couldn't find subscription" }],
        };
      }
      const cancelled = store.billing.cancel(existing.id);
      if (!cancelled) {
        return {
          appSubscription: null,
          userErrors: [{ field: ["id"], message: "Subscription is not active" }],
        };
      }
      return { appSubscription: appSubscriptionView(cancelled), userErrors: [] };
    },

    bulkOperationRunQuery: ({ query }: { query: string }, context: ResolveContext) => {
      const errors = bulkQueryErrors(endpoint, query);
      if (errors.length > 0) return { bulkOperation: null, userErrors: errors };
      if (endpoint.runningBulkOperation()) {
        return {
          bulkOperation: null,
          userErrors: [
            {
              field: null,
              code: "OPERATION_IN_PROGRESS",
              message: "A bulk query operation for this app and shop is already in progress.",
            },
          ],
        };
      }
      const operation = endpoint.startBulkOperation(query, context.scopes);
      return { bulkOperation: endpoint.bulkOperationView(operation), userErrors: [] };
    },

    customerEmailMarketingConsentUpdate: ({
      input,
    }: {
      input: {
        customerId: string;
        emailMarketingConsent: { marketingState: string; consentUpdatedAt?: string | null };
      };
    }) => {
      const id = parseGid(input.customerId, "Customer");
      const customer = id === null ? undefined : store.customersById.get(id);
      const refuse = (field: string[], code: string, message: string) => ({
        customer: null,
        userErrors: [{ field: ["input", ...field], code, message }],
      });
      if (!customer) return refuse(["customerId"], "INVALID", "Customer does not exist");
      if (!customer.email) {
        return refuse(["customerId"], "INVALID", "Customer must have an email address");
      }
      const state = input.emailMarketingConsent.marketingState;
      // Only these three can be set; the others are read-only states.
      if (!["SUBSCRIBED", "UNSUBSCRIBED", "PENDING"].includes(state)) {
        return refuse(
          ["emailMarketingConsent", "marketingState"],
          "INCLUSION",
          "Marketing state is not included in the list",
        );
      }
      const at = input.emailMarketingConsent.consentUpdatedAt
        ? new Date(input.emailMarketingConsent.consentUpdatedAt)
        : new Date();
      // The customer's consent is the record with the most recent date: an older one is kept
      // as history but does not change the state.
      if (!customer.emailMarketingUpdatedAt || at >= customer.emailMarketingUpdatedAt) {
        store.updateCustomer(customer.id, (record) => {
          record.emailMarketing = state as MarketingState;
          record.emailMarketingUpdatedAt = at;
        });
      }
      return { customer: customerView(customer), userErrors: [] };
    },

    discountCodeBasicCreate: (
      { basicCodeDiscount }: { basicCodeDiscount: DiscountCodeBasicInput },
      context: ResolveContext,
    ) => {
      requireScopes(context, "discountCodeBasicCreate", [["write_discounts"]]);
      const input = basicCodeDiscount;
      const errors: UserError[] = [];
      const code = input.code?.trim() ?? "";
      if (!code)
        errors.push({
          field: ["basicCodeDiscount", "code"],
          code: "BLANK",
          message: "Code can't be blank",
        });
      if (store.discounts.some((discount) => discount.code.toLowerCase() === code.toLowerCase())) {
        errors.push({
          field: ["basicCodeDiscount", "code"],
          code: "TAKEN",
          message: "Code must be unique. Please try a different code.",
        });
      }
      const value = input.customerGets?.value;
      if (!value?.percentage && !value?.discountAmount) {
        errors.push({
          field: ["basicCodeDiscount", "customerGets"],
          code: "BLANK",
          message: "Value can't be blank",
        });
      }
      if (value?.percentage !== undefined && (value.percentage <= 0 || value.percentage > 1)) {
        errors.push({
          field: ["basicCodeDiscount", "customerGets", "value", "percentage"],
          code: "INVALID",
          message: "Percentage must be between 0 and 1",
        });
      }
      const customerGids =
        input.context?.customers?.add ?? input.customerSelection?.customers?.add ?? [];
      const customerIds = customerGids.map((id) => parseGid(id, "Customer"));
      if (customerIds.some((id) => id === null || !store.customersById.has(id))) {
        errors.push({
          field: ["basicCodeDiscount", "context"],
          code: "INVALID",
          message: "Customer does not exist",
        });
      }
      if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
      const discount = {
        id: store.allocateId(),
        title: input.title ?? code,
        code,
        startsAt: input.startsAt ? new Date(input.startsAt) : new Date(),
        endsAt: input.endsAt ? new Date(input.endsAt) : null,
        customerIds: customerIds.filter((id): id is bigint => id !== null),
        percentage: value?.percentage ?? null,
        amount: value?.discountAmount ? String(value.discountAmount.amount) : null,
        minimumSubtotal:
          input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal !== undefined
            ? String(input.minimumRequirement.subtotal.greaterThanOrEqualToSubtotal)
            : null,
        usageLimit: input.usageLimit ?? null,
        appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
      };
      store.discounts.push(discount);
      return { codeDiscountNode: discountNodeView(discount), userErrors: [] };
    },

    flowTriggerReceive: ({ handle, payload }: { handle?: string | null; payload?: unknown }) => {
      // Only the handles of the app's deployed flow_trigger extensions exist on the shop.
      if (!handle || !store.flowTriggerHandles.has(handle)) {
        return {
          userErrors: [
            {
              field: ["handle"],
              message: `Invalid handle '${handle ?? ""}': no such Flow trigger`,
            },
          ],
        };
      }
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
        return { userErrors: [{ field: ["payload"], message: "Payload must be a JSON object" }] };
      }
      // Flow measures the JSON it was sent; ids are kept exact as on the wire.
      const text = toShopifyJson(payload);
      const bytes = Buffer.byteLength(text);
      if (bytes >= FLOW_TRIGGER_PAYLOAD_MAX_BYTES) {
        return {
          userErrors: [
            {
              field: ["payload"],
              message: `Payload is ${bytes} bytes; it must be under ${FLOW_TRIGGER_PAYLOAD_MAX_BYTES} bytes`,
            },
          ],
        };
      }
      store.flowTriggers.push({
        handle,
        payload: parseJsonExact(text) as Record<string, unknown>,
        receivedAt: new Date(),
      });
      return { userErrors: [] };
    },

    metafieldsSet: ({ metafields }: { metafields: MetafieldsSetInput[] }) => {
      if (metafields.length > METAFIELDS_PER_CALL) {
        return {
          metafields: null,
          userErrors: [
            {
              field: ["metafields"],
              code: "LESS_THAN_OR_EQUAL_TO",
              message: `Exceeds ${METAFIELDS_PER_CALL} metafields`,
            },
          ],
        };
      }
      const errors: UserError[] = [];
      metafields.forEach((input, index) => {
        if (!taggable(input.ownerId)) {
          errors.push({
            field: ["metafields", String(index), "ownerId"],
            code: "INVALID",
            message: "Owner does not exist",
          });
        }
        if (input.type === "json") {
          try {
            JSON.parse(input.value);
          } catch {
            errors.push({
              field: ["metafields", String(index), "value"],
              code: "INVALID_VALUE",
              message: "Value is invalid JSON",
            });
          }
        }
      });
      // metafieldsSet is atomic: one bad input and nothing is written.
      if (errors.length > 0) return { metafields: [], userErrors: errors };
      const written = metafields.map((input) => {
        const namespace = input.namespace ?? "$app";
        const key = `${input.ownerId}|${namespace}|${input.key}`;
        const existing = store.metafields.get(key);
        const metafield = {
          ownerId: input.ownerId,
          namespace,
          key: input.key,
          type: input.type ?? existing?.type ?? "single_line_text_field",
          value: input.value,
          updatedAt: new Date(),
        };
        store.metafields.set(key, metafield);
        return {
          __typename: "Metafield",
          id: gid("Metafield", BigInt(store.metafields.size)),
          namespace,
          key: input.key,
          type: metafield.type,
          value: metafield.value,
        };
      });
      return { metafields: written, userErrors: [] };
    },

    tagsAdd: ({ id, tags }: { id: string; tags: string[] }) =>
      changeTags(id, tags, (current) => [
        ...new Set([...current, ...tags.map((tag) => tag.trim())]),
      ]),

    tagsRemove: ({ id, tags }: { id: string; tags: string[] }) =>
      changeTags(id, tags, (current) => current.filter((tag) => !tags.includes(tag))),
  };
}

function bulkQueryErrors(endpoint: AdminGraphqlEndpoint, query: string): UserError[] {
  try {
    const errors = validate(endpoint.schema, parse(query));
    return errors.map((error) => ({ field: ["query"], code: "INVALID", message: error.message }));
  } catch (error) {
    return [{ field: ["query"], code: "INVALID", message: (error as Error).message }];
  }
}
