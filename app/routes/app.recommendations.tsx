import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { ChartCard } from "~/components/ChartCard";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { featureRefusal, shopEntitlement } from "~/services/billing/entitlement.server";
import { loadModelHeader } from "~/services/recommendations/model-reader.server";
import { experimentReport, recommendationReport } from "~/services/recommendations/report.server";
import { loadRecommendationSettings } from "~/services/recommendations/settings-store.server";
import {
  describeTraining,
  methodName,
  placementTitle,
} from "~/services/recommendations/training-words";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const REPORT_DAYS = 30;

export const meta = pageTitle("nav.recommendations");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const { settings } = await loadRecommendationSettings(sql, shop.id);
  const window = { days: REPORT_DAYS, attributionDays: settings.attributionDays };
  const [rows, experiments, header, entitlement] = await Promise.all([
    recommendationReport(sql, shop.id, window),
    experimentReport(sql, shop.id, window),
    loadModelHeader(sql, shop.id),
    shopEntitlement(sql, shop.id, new Date()),
  ]);
  return {
    rows: rows.map((row) => ({
      ...row,
      label: `${placementTitle(row.placement)} · ${methodName(row.method)}`,
    })),
    experiments: experiments.map((result) => ({
      ...result,
      title: placementTitle(result.placement),
    })),
    quality: describeTraining(header?.training ?? null),
    trainedAt: header?.builtAt.toISOString() ?? null,
    currency: shop.currency,
    attributionDays: settings.attributionDays,
    planLimit: featureRefusal(entitlement, "personalizedRecommendations")?.message ?? null,
  };
};

export default function RecommendationsReportPage() {
  const { rows, experiments, quality, trainedAt, currency, attributionDays, planLimit } =
    useLoaderData<typeof loader>();
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const table = {
    header: [
      "Placement · what it showed",
      "Impressions",
      "Clicks",
      "Click-through rate",
      "Added to cart",
      "Orders",
      "Revenue",
    ],
    numeric: [false, true, true, true, true, true, true],
    rows: rows.map((row) => [
      row.label,
      row.impressions,
      row.clicks,
      row.ctr === null ? "—" : percent(row.ctr),
      row.addToCarts,
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
        {planLimit && (
          <Layout.Section>
            <Banner tone="info" title="Your storefront shows bestsellers">
              <p>
                {planLimit} Until then every shopper sees your bestsellers.{" "}
                <Link to="/app/plans">Compare plans</Link>
              </p>
            </Banner>
          </Layout.Section>
        )}
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
              title={`Recommendation blocks, last ${REPORT_DAYS} days`}
              description={`Revenue: each order line counts once, for the last click or add-to-cart on that product by the same signed-in shopper in the ${attributionDays} days before the order.`}
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
                          data: rows.map((row) => ({ key: row.label, value: row.impressions })),
                        },
                        {
                          name: "Clicks",
                          data: rows.map((row) => ({ key: row.label, value: row.clicks })),
                        },
                      ]}
                    />
                  </PolarisVizProvider>
                );
              }}
            />
            {experiments.map((test) => (
              <Card key={test.placement}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {test.title}: Rekindle&apos;s picks against bestsellers
                  </Text>
                  <Text as="p">
                    {`Added a recommended product to the cart: ${percent(test.ours.visitors ? test.ours.converted / test.ours.visitors : 0)} of ${test.ours.visitors.toLocaleString("en")} shoppers who saw Rekindle's picks, ${percent(test.bestsellers.visitors ? test.bestsellers.converted / test.bestsellers.visitors : 0)} of ${test.bestsellers.visitors.toLocaleString("en")} who saw bestsellers`}
                    {test.conversion
                      ? ` (difference likely between ${percent(test.conversion.interval.low)} and ${percent(test.conversion.interval.high)}).`
                      : "."}
                  </Text>
                  <Text as="p">
                    {`Revenue per shopper: ${money.format(test.ours.revenuePerVisitor)} with Rekindle's picks, ${money.format(test.bestsellers.revenuePerVisitor)} with bestsellers`}
                    {test.revenuePerVisitor
                      ? ` (difference likely between ${money.format(test.revenuePerVisitor.low)} and ${money.format(test.revenuePerVisitor.high)}).`
                      : "."}
                  </Text>
                </BlockStack>
              </Card>
            ))}
            <Card>
              <Text as="p" tone="subdued">
                Anonymous shoppers count towards impressions, clicks and add-to-carts; only
                signed-in shoppers can be followed to an order.
              </Text>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
