import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { ChartCard } from "~/components/ChartCard";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { ATTRIBUTION_DAYS, recommendationReport } from "~/services/recommendations/report.server";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const REPORT_DAYS = 30;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session);
  return {
    rows: await recommendationReport(getDatabase().sql, shop.id, REPORT_DAYS),
    currency: shop.currency,
    attributionDays: ATTRIBUTION_DAYS,
  };
};

export default function RecommendationsReportPage() {
  const { rows, currency, attributionDays } = useLoaderData<typeof loader>();
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
  const table = {
    header: ["Page", "Impressions", "Clicks", "Click-through rate", "Orders", "Revenue"],
    numeric: [false, true, true, true, true, true],
    rows: rows.map((row) => [
      row.context,
      row.impressions,
      row.clicks,
      row.ctr === null ? "—" : `${(row.ctr * 100).toFixed(1)}%`,
      row.attributedOrders,
      money.format(row.attributedRevenue),
    ]),
  };
  return (
    <Page
      title="Recommendations"
      backAction={{ content: "Dashboard", url: "/app" }}
      secondaryActions={[{ content: "Recommendation rules", url: "/app/recommendation-settings" }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ChartCard
              id="report-recommendations"
              title={`"Recommended for you" blocks, last ${REPORT_DAYS} days`}
              description={`Revenue: clicked products that the same signed-in shopper bought within ${attributionDays} days of the click.`}
              csvName="recommendations"
              table={table}
              emptyText="No impressions yet. Add the “Recommended for you” block to your theme to start."
              chart={function ClicksChart() {
                return (
                  <PolarisVizProvider>
                    <BarChart
                      data={[
                        {
                          name: "Impressions",
                          data: rows.map((row) => ({ key: row.context, value: row.impressions })),
                        },
                        {
                          name: "Clicks",
                          data: rows.map((row) => ({ key: row.context, value: row.clicks })),
                        },
                      ]}
                    />
                  </PolarisVizProvider>
                );
              }}
            />
            <Card>
              <Text as="p" tone="subdued">
                Anonymous shoppers count towards impressions and clicks; only signed-in shoppers can
                be followed to an order.
              </Text>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
