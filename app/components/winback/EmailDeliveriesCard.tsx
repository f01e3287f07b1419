import { BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { reasonText } from "~/i18n/reason-text";
import type { EmailPerformance } from "~/services/email/tracking/email-performance";
import type { EmailDeliverySummary } from "~/services/winback/email-deliveries.server";
import { EmailPerformanceLine, OpensUnreliableNote } from "../email/EmailPerformance";

/**
 * The rule's emails: sent, waiting, retrying, failed (with why) and those that may have gone
 * out; then their opens, clicks and the orders credited to them.
 */
export function EmailDeliveriesCard({
  summary,
  results,
  currency,
}: {
  summary: EmailDeliverySummary;
  results: EmailPerformance;
  currency: string;
}) {
  const { t } = useTranslation();
  const figure = useFormats().number;
  const tiles: Array<[string, number]> = [
    [t("emailDeliveries.sent"), summary.sent],
    [t("winbackText.actionStatus.pending"), summary.waiting],
    [t("winbackText.actionStatus.retrying"), summary.retrying],
    [t("winbackText.actionStatus.failed"), summary.failed],
    [t("winbackText.actionStatus.uncertain"), summary.uncertain],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("emailDeliveries.title")}
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
            {t("emailDeliveries.retryingHelp")}
          </Text>
        )}
        {summary.uncertain > 0 && (
          <Text as="p" tone="subdued">
            {t("emailDeliveries.uncertainHelp")}
          </Text>
        )}
        {results.sent > 0 && (
          <BlockStack gap="100">
            <EmailPerformanceLine performance={results} currency={currency} />
            <OpensUnreliableNote />
          </BlockStack>
        )}
        {summary.reasons.length > 0 && (
          <DataTable
            columnContentTypes={["text", "numeric"]}
            headings={[t("emailDeliveries.whyFailed"), t("emailDeliveries.title")]}
            rows={summary.reasons.map((row) => [reasonText(t, row.reason), figure(row.count)])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
