/**
 * Rekindle's plans as data: what each costs, what it includes and how many orders a month it
 * covers. The billing config handed to Shopify (app/shopify.server.ts), the server-side gates
 * and the Plans page all read this one list.
 *
 * Why these gates:
 *  - Customer insights, segments and win-back rules that tag customers or create discount
 *    codes cost us little and show a merchant what Rekindle finds, so they are free.
 *  - Win-back emails and personalized recommendations are what earns a merchant money (and
 *    what costs us to run: mail, model training), so they are the paid features.
 *  - Order volume separates the paid tiers: the work (sync, scoring, training, sends) grows with
 *    the orders a store takes, so a bigger store pays for the bigger tier. Orders are counted over
 *    the last 30 days, the length of Shopify's billing period.
 */

/** Features a plan may include; each is checked on the server before it runs. */
export type PlanFeature = "winbackEmail" | "personalizedRecommendations";

export type PlanKey = "free" | "growth" | "pro";

export interface Plan {
  key: PlanKey;
  /** The name the merchant sees and the subscription's name at Shopify (billing config key). */
  name: string;
  /** USD per 30 days; 0 for the free plan, which has no Shopify subscription. */
  monthlyPriceUsd: number;
  trialDays: number;
  /** Orders a month the plan covers; null for no limit. */
  ordersPerMonth: number | null;
  features: Readonly<Record<PlanFeature, boolean>>;
}

export const PLANS: readonly Plan[] = [
  {
    key: "free",
    name: "Free",
    monthlyPriceUsd: 0,
    trialDays: 0,
    ordersPerMonth: 500,
    features: { winbackEmail: false, personalizedRecommendations: false },
  },
  {
    key: "growth",
    name: "Growth",
    monthlyPriceUsd: 19,
    trialDays: 14,
    ordersPerMonth: 5_000,
    features: { winbackEmail: true, personalizedRecommendations: true },
  },
  {
    key: "pro",
    name: "Pro",
    monthlyPriceUsd: 49,
    trialDays: 14,
    ordersPerMonth: null,
    features: { winbackEmail: true, personalizedRecommendations: true },
  },
];

export const FREE_PLAN = PLANS[0] as Plan;

/** The paid plans: the ones with a Shopify subscription. */
export const PAID_PLANS: readonly Plan[] = PLANS.filter((plan) => plan.monthlyPriceUsd > 0);

export function planByKey(key: string): Plan | undefined {
  return PLANS.find((plan) => plan.key === key);
}

/** The plan a Shopify subscription is for, by the name it was created with. */
export function planBySubscriptionName(name: string): Plan | undefined {
  return PAID_PLANS.find((plan) => plan.name === name);
}

/** What each feature is called on the admin's upgrade messages. */
export const FEATURE_NAMES: Readonly<Record<PlanFeature, string>> = {
  winbackEmail: "Win-back emails",
  personalizedRecommendations: "Personalized recommendations",
};

/** The cheapest plan that includes a feature and covers a month's orders. */
export function cheapestPlanFor(feature: PlanFeature | null, ordersThisMonth: number): Plan {
  const fits = PLANS.filter(
    (plan) =>
      (feature === null || plan.features[feature]) &&
      (plan.ordersPerMonth === null || ordersThisMonth <= plan.ordersPerMonth),
  );
  return fits[0] ?? (PLANS[PLANS.length - 1] as Plan);
}
