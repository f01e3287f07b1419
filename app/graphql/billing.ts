/**
 * The shop's active subscriptions to the app, to reconcile the stored plan state with Shopify
 * (a webhook may have been missed). Creating and cancelling subscriptions goes through the
 * Shopify library's `billing` (appSubscriptionCreate / appSubscriptionCancel).
 */
export const ACTIVE_SUBSCRIPTIONS_QUERY = `#graphql
  query ActiveSubscriptions {
    currentAppInstallation {
      activeSubscriptions {
        id
        name
        status
        test
        trialDays
        currentPeriodEnd
      }
    }
  }
`;
