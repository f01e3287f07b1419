import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "~/components/lazy-charts";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { ChartCard } from "~/components/ChartCard";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import {
  describeTraining,
  methodName,
  placementTitle,
} from "~/components/recommendations/training-text";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { featureRefusal, shopEntitlement } from "~/services/billing/entitlement.server";
import { loadModelHeader } from "~/services/recommendations/model-reader.server";
import { experimentReport, recommendationReport } from "~/services/recommendations/report.server";
import { loadRecommendationSettings } from "~/services/recommendations/settings-store.server";
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
    rows,
    experiments,
    training: header?.training ?? null,
    trainedAt: header?.builtAt.toISOString() ?? null,
    currency: shop.currency,
    attributionDays: settings.attributionDays,
    planLimit: featureRefusal(entitlement, "personalizedRecommendations")?.reason ?? null,
  };
};

export default function RecommendationsReportPage() {
  const {
    rows: stored,
    experiments,
    training,
    trainedAt,
    currency,
    attributionDays,
    planLimit,
  } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const formats = useFormats();
  const rows = stored.map((row) => ({
    ...row,
    label: `${placementTitle(t, row.placement)} · ${methodName(t, row.method)}`,
  }));
  const quality = describeTraining(t, formats, training);
  const money = (amount: number) => formats.money(amount, currency);
  const percent = (share: number) => formats.percent(share, 1);
  const table = {
    header: [
      t("recommendationsReport.placement"),
      t("recommendationsReport.impressions"),
      t("recommendationsReport.clicks"),
      t("recommendationsReport.ctr"),
      t("recommendationsReport.addedToCart"),
      t("dashboard.orders"),
      t("reports.revenue"),
    ],
    numeric: [false, true, true, true, true, true, true],
    rows: rows.map((row) => [
      row.label,
      row.impressions,
      row.clicks,
      row.ctr === null ? "—" : percent(row.ctr),
      row.addToCarts,
      row.attributedOrders,
      money(row.attributedRevenue),
    ]),
  };
  return (
    <Page>
      <PageTitleBar
        title={t("nav.recommendations")}
        primaryAction={{
          content: t("nav.recommendationRules"),
          url: "/app/recommendation-settings",
        }}
      />
      <Layout>
        {planLimit && (
          <Layout.Section>
            <Banner tone="info" title={t("recommendationsReport.bestsellersTitle")}>
              <p>
                {t(planLimit.key, planLimit.values)} {t("recommendationsReport.untilThen")}{" "}
                <Link to="/app/plans">{t("recommendationsReport.comparePlans")}</Link>
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("recommendationsReport.qualityTitle")}
                </Text>
                {quality.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("recommendationsReport.learning")}
                  </Text>
                ) : (
                  <>
                    <Text as="p" tone="subdued">
                      {t("recommendationsReport.howChosen")}
                      {trainedAt
                        ? ` ${t("recommendationsReport.lastTrained", { date: formats.date(trainedAt) })}`
                        : ""}
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
              title={t("recommendationsReport.blocksTitle", { count: REPORT_DAYS })}
              description={t("recommendationsReport.blocksDescription", {
                count: attributionDays,
              })}
              csvName="recommendations"
              table={table}
              emptyText={t("recommendationsReport.empty")}
              chart={function ClicksChart() {
                return (
                  <PolarisVizProvider>
                    <BarChart
                      data={[
                        {
                          name: t("recommendationsReport.impressions"),
                          data: rows.map((row) => ({ key: row.label, value: row.impressions })),
                        },
                        {
                          name: t("recommendationsReport.clicks"),
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
                    {t("recommendationsReport.testTitle", {
                      placement: placementTitle(t, test.placement),
                    })}
                  </Text>
                  <Text as="p">
                    {t(
                      test.conversion
                        ? "recommendationsReport.addedShareWithInterval"
                        : "recommendationsReport.addedShare",
                      {
                        ours: percent(
                          test.ours.visitors ? test.ours.converted / test.ours.visitors : 0,
                        ),
                        oursVisitors: formats.number(test.ours.visitors),
                        bestsellers: percent(
                          test.bestsellers.visitors
                            ? test.bestsellers.converted / test.bestsellers.visitors
                            : 0,
                        ),
                        bestsellerVisitors: formats.number(test.bestsellers.visitors),
                        low: test.conversion ? percent(test.conversion.interval.low) : "",
                        high: test.conversion ? percent(test.conversion.interval.high) : "",
                      },
                    )}
                  </Text>
                  <Text as="p">
                    {t(
                      test.revenuePerVisitor
                        ? "recommendationsReport.revenuePerShopperWithInterval"
                        : "recommendationsReport.revenuePerShopper",
                      {
                        ours: money(test.ours.revenuePerVisitor),
                        bestsellers: money(test.bestsellers.revenuePerVisitor),
                        low: test.revenuePerVisitor ? money(test.revenuePerVisitor.low) : "",
                        high: test.revenuePerVisitor ? money(test.revenuePerVisitor.high) : "",
                      },
                    )}
                  </Text>
                </BlockStack>
              </Card>
            ))}
            <Card>
              <Text as="p" tone="subdued">
                {t("recommendationsReport.anonymousNote")}
              </Text>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="recommendations" title={t("nav.recommendations")} />
    </Page>
  );
}
