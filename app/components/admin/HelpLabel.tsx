import { Text, Tooltip } from "@shopify/polaris";

/**
 * A label whose jargon is explained in a tooltip: dotted underline, explanation on hover or
 * focus (Polaris gives screen readers the text as the label's description).
 */
export function HelpLabel({ label, help }: { label: string; help: string }) {
  return (
    <Tooltip content={help} hasUnderline>
      <span tabIndex={0}>
        <Text as="span" tone="subdued">
          {label}
        </Text>
      </span>
    </Tooltip>
  );
}
