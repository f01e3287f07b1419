import { gid } from "./shopify-json";
import type { DevStore } from "./store";

/** The app's subscription on the shop, as Shopify's Billing API keeps it. */
export interface StoreAppSubscription {
  id: bigint;
  name: string;
  status: "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED" | "FROZEN" | "CANCELLED";
  test: boolean;
  trialDays: number;
  returnUrl: string;
  replacementBehavior: "APPLY_IMMEDIATELY" | "APPLY_ON_NEXT_BILLING_CYCLE" | "STANDARD";
  lineItems: Array<{
    id: bigint;
    amount: string;
    currencyCode: string;
    interval: "EVERY_30_DAYS" | "ANNUAL";
  }>;
  createdAt: Date;
  updatedAt: Date;
  currentPeriodEnd: Date | null;
}

export interface NewAppSubscription {
  name: string;
  returnUrl: string;
  test: boolean;
  trialDays: number;
  replacementBehavior: StoreAppSubscription["replacementBehavior"];
  lineItems: Array<Omit<StoreAppSubscription["lineItems"][number], "id">>;
}

const DAY_MS = 86_400_000;

/**
 * The shop's side of app billing: subscriptions created pending, approved or declined by the
 * merchant on the confirmation page, cancelled by the app. Each status change is announced with
 * the app_subscriptions/update webhook. Approving a subscription replaces the app's active one
 * at once (Shopify's APPLY_IMMEDIATELY; STANDARD's deferral of a downgrade to the end of the
 * cycle is not simulated).
 */
export class AppBilling {
  readonly subscriptions = new Map<bigint, StoreAppSubscription>();

  constructor(
    private readonly allocateId: () => bigint,
    private readonly announce: (subscription: StoreAppSubscription) => void,
    private readonly shopId: bigint,
  ) {}

  create(input: NewAppSubscription, at = new Date()): StoreAppSubscription {
    const subscription: StoreAppSubscription = {
      id: this.allocateId(),
      status: "PENDING",
      createdAt: at,
      updatedAt: at,
      currentPeriodEnd: null,
      ...input,
      lineItems: input.lineItems.map((item) => ({ ...item, id: this.allocateId() })),
    };
    this.subscriptions.set(subscription.id, subscription);
    this.announce(subscription);
    return subscription;
  }

  /** The merchant approves on the confirmation page; the app's other active plan ends. */
  approve(id: bigint, at = new Date()): StoreAppSubscription | null {
    const subscription = this.subscriptions.get(id);
    if (!subscription || subscription.status !== "PENDING") return null;
    for (const other of this.active()) this.setStatus(other, "CANCELLED", at);
    subscription.currentPeriodEnd = new Date(at.getTime() + (subscription.trialDays + 30) * DAY_MS);
    this.setStatus(subscription, "ACTIVE", at);
    return subscription;
  }

  decline(id: bigint, at = new Date()): StoreAppSubscription | null {
    const subscription = this.subscriptions.get(id);
    if (!subscription || subscription.status !== "PENDING") return null;
    this.setStatus(subscription, "DECLINED", at);
    return subscription;
  }

  cancel(id: bigint, at = new Date()): StoreAppSubscription | null {
    const subscription = this.subscriptions.get(id);
    if (!subscription || subscription.status !== "ACTIVE") return null;
    this.setStatus(subscription, "CANCELLED", at);
    return subscription;
  }

  active(): StoreAppSubscription[] {
    return [...this.subscriptions.values()].filter((item) => item.status === "ACTIVE");
  }

  private setStatus(
    subscription: StoreAppSubscription,
    status: StoreAppSubscription["status"],
    at: Date,
  ) {
    subscription.status = status;
    subscription.updatedAt = at;
    this.announce(subscription);
  }

  /** The app_subscriptions/update body (Shopify's reference example's fields). */
  webhookBody(subscription: StoreAppSubscription) {
    const item = subscription.lineItems[0];
    return {
      app_subscription: {
        admin_graphql_api_id: gid("AppSubscription", subscription.id),
        name: subscription.name,
        status: subscription.status,
        admin_graphql_api_shop_id: gid("Shop", this.shopId),
        created_at: subscription.createdAt.toISOString(),
        updated_at: subscription.updatedAt.toISOString(),
        currency: item?.currencyCode ?? "USD",
        price: item?.amount ?? "0.00",
        interval: item?.interval === "ANNUAL" ? "annual" : "every_30_days",
      },
    };
  }
}

/** An AppSubscription as the Admin GraphQL API returns it. */
export function appSubscriptionView(subscription: StoreAppSubscription) {
  return {
    __typename: "AppSubscription",
    id: gid("AppSubscription", subscription.id),
    name: subscription.name,
    status: subscription.status,
    test: subscription.test,
    trialDays: subscription.trialDays,
    createdAt: subscription.createdAt.toISOString(),
    currentPeriodEnd: subscription.currentPeriodEnd?.toISOString() ?? null,
    returnUrl: subscription.returnUrl,
    lineItems: subscription.lineItems.map((item) => ({
      id: gid("AppSubscriptionLineItem", item.id),
      plan: {
        pricingDetails: {
          __typename: "AppRecurringPricing",
          price: { amount: item.amount, currencyCode: item.currencyCode },
          interval: item.interval,
          discount: null,
        },
      },
    })),
  };
}

/**
 * The confirmation page: visiting it is the merchant's approval (or, with `decline`, refusal) of
 * a pending subscription; the answer is where Shopify then sends the merchant, the return URL the
 * app gave. A return URL in Shopify admin (`https://admin.shopify.com/store/<shop>/apps/<app>/…`)
 * becomes the same page of the simulated admin. Null when there is nothing pending to confirm.
 */
export function confirmSubscription(
  store: DevStore,
  id: bigint,
  decline: boolean,
  storeOrigin: string,
): string | null {
  const subscription = decline ? store.billing.decline(id) : store.billing.approve(id);
  if (!subscription) return null;
  const destination = new URL(subscription.returnUrl);
  destination.searchParams.set("charge_id", id.toString());
  const inAdmin = /^\/store\/[^/]+\/apps\/[^/]+(?:\/app)?(\/.*)?$/.exec(destination.pathname);
  if (destination.hostname !== "admin.shopify.com" || !inAdmin) return destination.toString();
  return `${storeOrigin}/admin/apps/rekindle${inAdmin[1] ?? ""}${destination.search}`;
}
