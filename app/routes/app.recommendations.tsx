import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { ChartCard } from "~/components/ChartCard";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/models/shop.server";
import { loadModelHeader } from "~/services/recommendations/model-reader.server";
import { ATTRIBUTION_DAYS, recommendationReport } from "~/services/recommendations/report.server";
import { describeTraining } from "~/services/recommendations/training-words";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const REPORT_DAYS = 30;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop);
  const { sql } = getDatabase();
  const [rows, header] = await Promise.all([
    recommendationReport(sql, shop.id, REPORT_DAYS),
    loadModelHeader(sql, shop.id),
  ]);
  return {
    rows,
    quality: describeTraining(header?.training ?? null),
    trainedAt: header?.builtAt.toISOString() ?? null,
    currency: shop.currency,
    attributionDays: ATTRIBUTION_DAYS,
  };
};

export default function RecommendationsReportPage() {
  const { rows, quality, trainedAt, currency, attributionDays } = useLoaderData<typeof loader>();
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
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  What shoppers see, and how well it predicts
                </Text>
                {quality.length === 0 ? (
                  <Text as="p" tone="subdued">
                    Rekindle learns from your orders every night. Until it has enough returning
                    customers to test on, shoppers see your bestsellers.
                  </Text>
                ) : (
                  <>
                    <Text as="p" tone="subdued">
                      Each night Rekindle tries its methods on your own customers&apos; earlier
                      orders and shows the one that predicted their next purchase best, or your
                      bestsellers when nothing beat them
                      {trainedAt
                        ? ` (last trained ${new Date(trainedAt).toLocaleDateString("en")})`
                        : ""}
                      .
                    </Text>
                    {quality.map((row) => (
                      <BlockStack gap="100" key={row.placement}>
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="h3" variant="headingSm">
                            {row.title}
                          </Text>
                          <Badge>{row.live}</Badge>
                        </InlineStack>
                        <Text as="p">{row.result}</Text>
                      </BlockStack>
                    ))}
                  </>
                )}
              </BlockStack>
            </Card>
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
