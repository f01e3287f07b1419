import { BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { EmailDeliverySummary } from "~/services/winback/email-deliveries.server";

const figure = (count: number) => count.toLocaleString("en");

/** The rule's emails: sent, waiting, retrying, failed (with why) and those that may have gone out. */
export function EmailDeliveriesCard({ summary }: { summary: EmailDeliverySummary }) {
  const tiles: Array<[string, number]> = [
    ["Sent", summary.sent],
    ["Waiting", summary.waiting],
    ["Retrying", summary.retrying],
    ["Failed", summary.failed],
    ["May have gone out", summary.uncertain],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Emails
        </Text>
        <InlineStack gap="800">
          {tiles.map(([label, count]) => (
            <BlockStack gap="100" key={label}>
              <Text as="span" tone="subdued">
                {label}
              </Text>
              <Text as="span" variant="headingLg">
                {figure(count)}
              </Text>
            </BlockStack>
          ))}
        </InlineStack>
        {summary.retrying > 0 && (
          <Text as="p" tone="subdued">
            Emails your mail server could not take yet are tried again after a few minutes, then
            after longer waits; after five attempts they count as failed.
          </Text>
        )}
        {summary.uncertain > 0 && (
          <Text as="p" tone="subdued">
            “May have gone out”: the connection was lost while the email was being sent, so the
            customer may have it. Rekindle never sends these again, to avoid a duplicate.
          </Text>
        )}
        {summary.reasons.length > 0 && (
          <DataTable
            columnContentTypes={["text", "numeric"]}
            headings={["Why emails failed", "Emails"]}
            rows={summary.reasons.map((row) => [row.reason, figure(row.count)])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
