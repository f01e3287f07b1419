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
import { STAGE_LABELS, label } from "~/components/analytics/labels";
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
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
  const basis = dashboard.model?.bgnbd;
  return (
    <Page
      title="Dashboard"
      secondaryActions={[
        { content: "Customers", url: "/app/customers" },
        { content: "Analytics settings", url: "/app/analytics-settings" },
      ]}
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Figure
              label="Customers"
              id="overview-customers"
              value={overview.customers.toLocaleString("en")}
            />
            <Figure
              label="Orders"
              id="overview-orders"
              value={overview.orders.toLocaleString("en")}
            />
            <Figure
              label="Products"
              id="overview-products"
              value={overview.products.toLocaleString("en")}
            />
          </InlineGrid>
        </Layout.Section>
        {dashboard.computedAt === null ? (
          <Layout.Section>
            <Card>
              <Text as="p" tone="subdued">
                Customer analytics appear here once the first sync has finished.
              </Text>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                <Figure
                  label="Repeat purchase rate"
                  id="kpi-repeat-rate"
                  value={
                    dashboard.repeatPurchaseRate === null
                      ? "—"
                      : `${(dashboard.repeatPurchaseRate * 100).toFixed(1)}%`
                  }
                  hint={`${dashboard.repeatBuyers.toLocaleString("en")} of ${dashboard.buyers.toLocaleString("en")} buyers ordered more than once`}
                />
                <Figure
                  label="Predicted revenue, next 90 days"
                  id="kpi-predicted-90d"
                  value={money.format(dashboard.predictedRevenue90d)}
                  hint="From existing customers (BG/NBD × Gamma-Gamma)"
                />
                <Figure
                  label="Net revenue from customers"
                  id="kpi-net-revenue"
                  value={money.format(dashboard.netRevenue)}
                  hint="After refunds; cancelled and test orders excluded"
                />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="p" tone="subdued" id="model-basis">
                    {basis?.basis === "fitted"
                      ? "Predictions use a model fitted to your own customers."
                      : "Not enough repeat customers to fit your own model yet: predictions use typical retail patterns (pooled prior) until there are."}{" "}
                    Updated {new Date(dashboard.computedAt).toLocaleString("en")}.
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
                      Most worth winning back
                    </Text>
                    <Text as="p" tone="subdued">
                      At-risk and lapsing repeat customers, by past revenue weighted by the chance
                      they have gone.
                    </Text>
                    <DataTable
                      columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
                      headings={[
                        "Customer",
                        "Stage",
                        "Net revenue",
                        "Still active",
                        "Revenue at risk",
                      ]}
                      rows={dashboard.winBack.map((row) => [
                        <Link key={row.customerId} to={`/app/customers/${row.customerId}`}>
                          {row.name}
                        </Link>,
                        <Badge key="stage" tone="warning">
                          {label(STAGE_LABELS, row.lifecycleStage)}
                        </Badge>,
                        money.format(row.netRevenue),
                        `${Math.round(row.probAlive * 100)}%`,
                        money.format(row.revenueAtRisk),
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
                ? `Last update from Shopify: ${new Date(overview.lastWebhookAt).toLocaleString()}`
                : "Waiting for the first update from Shopify."}
            </Text>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
