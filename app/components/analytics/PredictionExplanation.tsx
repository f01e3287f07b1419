import { BlockStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import type { CustomerProfile } from "~/services/analytics/customer-profile.server";

type Metrics = NonNullable<CustomerProfile["metrics"]>;

/**
 * The profile's predictions in sentences a merchant can act on, in their language, with the
 * basis they rest on.
 */
export function PredictionExplanation({
  metrics,
  modelBasis,
  currency,
}: {
  metrics: Metrics | null;
  modelBasis: CustomerProfile["modelBasis"];
  currency: string;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const decimals = (value: number | null) =>
    (value ?? 0).toLocaleString(formats.locale, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
  const sentences: string[] = [];
  if (!metrics || metrics.ordersCount === 0 || metrics.probAlive === null) {
    sentences.push(t("customer.explain.noPurchases"));
  } else {
    const purchases = {
      count: metrics.ordersCount,
      formattedCount: formats.number(metrics.ordersCount),
      days: formats.number(metrics.daysSinceLastOrder ?? 0),
    };
    sentences.push(
      metrics.avgDaysBetweenOrders === null
        ? t("customer.explain.purchases", purchases)
        : t("customer.explain.purchasesEvery", {
            ...purchases,
            every: formats.number(Math.round(metrics.avgDaysBetweenOrders)),
          }),
    );
    const chance = formats.percent(metrics.probAlive);
    sentences.push(
      t(metrics.probAlive < 0.5 ? "customer.explain.chanceLow" : "customer.explain.chance", {
        chance,
      }),
    );
    sentences.push(
      t("customer.explain.expectedOrders", {
        next90: decimals(metrics.expectedOrders90d),
        nextYear: decimals(metrics.expectedOrders365d),
      }),
    );
    sentences.push(
      t("customer.explain.value", {
        value: formats.money(metrics.predictedClv ?? 0, currency),
        perOrder: formats.money(metrics.expectedOrderValue ?? 0, currency),
      }),
    );
    if (metrics.predictedNextOrderAt) {
      sentences.push(
        t("customer.explain.nextOrder", {
          date: formats.date(metrics.predictedNextOrderAt.slice(0, 10)),
        }),
      );
    }
    sentences.push(t(`customer.explain.${modelBasis}`));
  }
  return (
    <BlockStack gap="100" id="prediction-explanation">
      {sentences.map((sentence) => (
        <Text as="p" key={sentence}>
          {sentence}
        </Text>
      ))}
    </BlockStack>
  );
}
