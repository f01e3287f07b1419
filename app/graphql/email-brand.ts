/**
 * What a shop's emails show about it: its name, its storefront's address for links and its
 * address for the footer. (The Admin API has no `shop.brand`: logo and colours are a
 * Storefront API field, so the merchant sets them in the email template.)
 */
export const SHOP_EMAIL_BRAND_QUERY = `#graphql
  query ShopEmailBrand {
    shop {
      name
      primaryDomain {
        url
      }
      shopAddress {
        formatted(withCompany: true)
      }
    }
  }
`;
