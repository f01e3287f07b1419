import { BlockStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { differenceInterval } from "~/services/email/tracking/ab-test";
import type { EmailPerformance } from "~/services/email/tracking/email-performance";

/** Sent, opened (marked unreliable), clicked, orders and revenue of some emails, on one line. */
export function EmailPerformanceLine({
  performance,
  currency,
}: {
  performance: EmailPerformance;
  currency: string;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  return (
    <Text as="span" tone="subdued">
      {t("emailPerformance.line", {
        sent: formats.number(performance.sent),
        opened: formats.number(performance.opened),
        clicked: formats.number(performance.clicked),
        orders: formats.number(performance.orders),
        revenue: formats.money(performance.revenue, currency),
      })}
    </Text>
  );
}

/** Why opens are only a hint. */
export function OpensUnreliableNote() {
  const { t } = useTranslation();
  return (
    <Text as="p" tone="subdued" variant="bodySm">
      {t("emailPerformance.opensUnreliable")}
    </Text>
  );
}

/**
 * An email step's A/B test in plain words: each variant's conversion rate and what the 95%
 * interval on the difference says.
 */
export function AbTestResult({ a, b }: { a: EmailPerformance; b: EmailPerformance }) {
  const { t } = useTranslation();
  const formats = useFormats();
  const interval = differenceInterval(a, b);
  const rate = (variant: EmailPerformance) =>
    formats.percent(variant.sent ? variant.converted / variant.sent : 0, 1);
  if (!interval) {
    return <Text as="p">{t("flows.ab.waiting")}</Text>;
  }
  const [low, high] = interval;
  const verdict = low > 0 ? "flows.ab.bBetter" : high < 0 ? "flows.ab.aBetter" : "flows.ab.unclear";
  return (
    <BlockStack gap="100">
      <Text as="p">
        {t("flows.ab.rates", {
          rateA: rate(a),
          sentA: formats.number(a.sent),
          rateB: rate(b),
          sentB: formats.number(b.sent),
        })}
      </Text>
      <Text as="p">
        {t("flows.ab.interval", {
          low: formats.percent(low, 1),
          high: formats.percent(high, 1),
        })}{" "}
        {t(verdict)}
      </Text>
    </BlockStack>
  );
}
