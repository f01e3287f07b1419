// Starts the merchant's Flow workflows that begin with one of the app's trigger extensions
// (extensions/*/shopify.extension.toml, type "flow_trigger"). The payload's keys are that
// extension's field keys; Flow answers problems (unknown handle, oversized payload) as userErrors.
export const FLOW_TRIGGER_RECEIVE_MUTATION = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;
