import { Text, Tooltip } from "@shopify/polaris";

/**
 * A label whose jargon is explained in a tooltip: dotted underline, explanation on hover or
 * focus; screen readers get it as the label's description.
 */
export function HelpLabel({ label, help }: { label: string; help: string }) {
  return (
    <Tooltip content={help} hasUnderline>
      <span tabIndex={0} title={help}>
        <Text as="span" tone="subdued">
          {label}
        </Text>
      </span>
    </Tooltip>
  );
}
