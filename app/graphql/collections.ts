// Collection membership for the recommendation rules' excluded collections: webhooks do not
// carry it, so the app pages through each collection's products when it needs the list.

export const COLLECTION_PRODUCTS_QUERY = `#graphql
  query CollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      id
      title
      products(first: 250, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
        }
      }
    }
  }
`;

export const COLLECTION_SEARCH_QUERY = `#graphql
  query CollectionSearch($query: String!) {
    collections(first: 10, query: $query, sortKey: TITLE) {
      nodes {
        id
        title
        productsCount {
          count
        }
      }
    }
  }
`;
