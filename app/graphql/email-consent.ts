/**
 * Pushes a consent change made in the app (an unsubscribe link) to Shopify, so the merchant's
 * other tools (Shopify Email, Flow) stop emailing the customer too. marketingOptInLevel is left
 * out: it describes how a customer subscribed and means nothing for UNSUBSCRIBED.
 */
export const CUSTOMER_EMAIL_MARKETING_CONSENT_UPDATE_MUTATION = `#graphql
  mutation CustomerEmailMarketingConsentUpdate($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;
