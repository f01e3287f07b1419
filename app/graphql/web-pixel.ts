// The app's web pixel on the shop (extensions/rekindle-pixel): read, created once, updated when
// its settings change. Shopify checks `settings` against the extension's [settings] fields and
// answers a mismatch as INVALID_SETTINGS; a second create is TAKEN. Both mutations need the
// write_pixels and read_customer_events scopes.
/** What both mutations answer: the pixel as it now is, or why Shopify refused. */
const WEB_PIXEL_PAYLOAD = `
  webPixel {
    id
    settings
  }
  userErrors {
    code
    field
    message
  }
`;

export const WEB_PIXEL_QUERY = `#graphql
  query AppWebPixel {
    webPixel {
      id
      settings
    }
  }
`;

export const WEB_PIXEL_CREATE_MUTATION = `#graphql
  mutation WebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      ${WEB_PIXEL_PAYLOAD}
    }
  }
`;

export const WEB_PIXEL_UPDATE_MUTATION = `#graphql
  mutation WebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      ${WEB_PIXEL_PAYLOAD}
    }
  }
`;
