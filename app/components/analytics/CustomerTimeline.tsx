import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import type { ProfileOrder } from "~/services/analytics/customer-profile.server";
import type { CustomerProductView } from "~/services/behaviour/customer-views.server";

/** One row of the timeline: an order, or the views of one product on one day. */
type TimelineEntry =
  | { kind: "order"; at: string; order: ProfileOrder }
  | { kind: "view"; at: string; view: CustomerProductView };

/** Orders and product views, newest first (ISO times compare as text). */
export function timelineEntries(
  orders: readonly ProfileOrder[],
  views: readonly CustomerProductView[],
): TimelineEntry[] {
  return [
    ...orders.map((order) => ({ kind: "order" as const, at: order.processedAt, order })),
    ...views.map((view) => ({ kind: "view" as const, at: view.viewedAt, view })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/**
 * The customer's orders and the products they looked at on the storefront (recorded by the web
 * pixel, with the views from before they signed in), in one list so a merchant reads what they
 * browsed before and between purchases.
 */
export function CustomerTimeline({
  orders,
  views,
  currency,
}: {
  orders: readonly ProfileOrder[];
  views: readonly CustomerProductView[];
  currency: string;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const money = (amount: number) => formats.money(amount, currency);
  const entries = timelineEntries(orders, views);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("customer.timeline")}
        </Text>
        {entries.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("customer.timelineEmpty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
            headings={[
              t("customer.date"),
              t("customer.activity"),
              t("customer.items"),
              t("customer.total"),
              t("customer.refunded"),
              t("customer.status"),
            ]}
            rows={entries.map((entry) =>
              entry.kind === "order"
                ? [
                    formats.date(entry.at.slice(0, 10)),
                    t("customer.orderActivity", { name: entry.order.name }),
                    formats.number(entry.order.items),
                    money(entry.order.total),
                    entry.order.refunded > 0 ? money(entry.order.refunded) : "",
                    entry.order.cancelled ? t("customer.cancelled") : "",
                  ]
                : [
                    formats.date(entry.at.slice(0, 10)),
                    t("customer.viewed", {
                      count: entry.view.views,
                      formattedCount: formats.number(entry.view.views),
                      title: entry.view.title ?? t("customer.productGone"),
                    }),
                    "",
                    "",
                    "",
                    "",
                  ],
            )}
          />
        )}
        {views.length === 0 && entries.length > 0 && (
          <Text as="p" tone="subdued">
            {t("customer.noViews")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
