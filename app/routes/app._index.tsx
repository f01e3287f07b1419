import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { DashboardReports } from "~/components/analytics/DashboardReports";
import { useValueLabels } from "~/components/analytics/labels";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { getAnalyticsDashboard } from "~/services/analytics/dashboard.server";
import { getShopOverview } from "~/services/shop-overview.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const meta = pageTitle("nav.dashboard");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const [overview, dashboard] = await Promise.all([
    getShopOverview(session.shop),
    getAnalyticsDashboard(getDatabase().sql, shop.id),
  ]);
  return { overview, dashboard, currency: shop.currency };
};

function Figure({
  label: name,
  value,
  id,
  hint,
}: {
  label: string;
  value: string;
  id: string;
  hint?: string;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {name}
        </Text>
        <Text as="p" variant="heading2xl" id={id}>
          {value}
        </Text>
        {hint && (
          <Text as="p" tone="subdued">
            {hint}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { overview, dashboard, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const formats = useFormats();
  const label = useValueLabels();
  const money = (amount: number) => formats.money(amount, currency);
  const basis = dashboard.model?.bgnbd;
  return (
    <Page
      title={t("nav.dashboard")}
      secondaryActions={[
        { content: t("nav.customers"), url: "/app/customers" },
        { content: t("titles.analyticsSettings"), url: "/app/analytics-settings" },
      ]}
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Figure
              label={t("nav.customers")}
              id="overview-customers"
              value={formats.number(overview.customers)}
            />
            <Figure
              label={t("dashboard.orders")}
              id="overview-orders"
              value={formats.number(overview.orders)}
            />
            <Figure
              label={t("dashboard.products")}
              id="overview-products"
              value={formats.number(overview.products)}
            />
          </InlineGrid>
        </Layout.Section>
        {dashboard.computedAt === null ? (
          <Layout.Section>
            <Card>
              <Text as="p" tone="subdued">
                {t("dashboard.analyticsPending")}
              </Text>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                <Figure
                  label={t("dashboard.repeatRate")}
                  id="kpi-repeat-rate"
                  value={
                    dashboard.repeatPurchaseRate === null
                      ? "—"
                      : formats.percent(dashboard.repeatPurchaseRate, 1)
                  }
                  hint={t("dashboard.repeatRateHint", {
                    repeat: formats.number(dashboard.repeatBuyers),
                    buyers: formats.number(dashboard.buyers),
                  })}
                />
                <Figure
                  label={t("dashboard.predictedRevenue")}
                  id="kpi-predicted-90d"
                  value={money(dashboard.predictedRevenue90d)}
                  hint={t("dashboard.predictedRevenueHint")}
                />
                <Figure
                  label={t("dashboard.netRevenue")}
                  id="kpi-net-revenue"
                  value={money(dashboard.netRevenue)}
                  hint={t("dashboard.netRevenueHint")}
                />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="p" tone="subdued" id="model-basis">
                    {basis?.basis === "fitted"
                      ? t("dashboard.modelFitted")
                      : t("dashboard.modelPooled")}{" "}
                    {t("dashboard.updatedAt", { when: formats.dateTime(dashboard.computedAt) })}
                  </Text>
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <BlockStack gap="400">
                <DashboardReports dashboard={dashboard} />
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("dashboard.winBackTitle")}
                    </Text>
                    <Text as="p" tone="subdued">
                      {t("dashboard.winBackDescription")}
                    </Text>
                    <DataTable
                      columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
                      headings={[
                        t("titles.customer"),
                        t("reports.stage"),
                        t("segmentFields.net_revenue"),
                        t("dashboard.stillActive"),
                        t("dashboard.revenueAtRisk"),
                      ]}
                      rows={dashboard.winBack.map((row) => [
                        <Link key={row.customerId} to={`/app/customers/${row.customerId}`}>
                          {row.name}
                        </Link>,
                        <Badge key="stage" tone="warning">
                          {label("lifecycleStages", row.lifecycleStage)}
                        </Badge>,
                        money(row.netRevenue),
                        formats.percent(row.probAlive),
                        money(row.revenueAtRisk),
                      ])}
                    />
                  </BlockStack>
                </Card>
              </BlockStack>
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <Card>
            <Text as="p" tone="subdued">
              {overview.lastWebhookAt
                ? t("dashboard.lastUpdate", { when: formats.dateTime(overview.lastWebhookAt) })
                : t("dashboard.waitingForUpdate")}
            </Text>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
