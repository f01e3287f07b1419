export const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      name
      email
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan {
        publicDisplayName
      }
    }
  }
`;
