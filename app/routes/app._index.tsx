import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Await,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  Layout,
  Page,
  SkeletonBodyText,
  SkeletonDisplayText,
  Text,
  Tooltip,
} from "@shopify/polaris";
import { Suspense } from "react";
import { z } from "zod";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { CohortReports, DashboardReports } from "~/components/analytics/DashboardReports";
import { ALL_CUSTOMERS, ViewedNotBoughtCard } from "~/components/analytics/ViewedNotBoughtCard";
import { SetupGuideCard } from "~/components/onboarding/SetupGuideCard";
import { PageHelp } from "~/components/admin/PageHelp";
import { useResultToast } from "~/components/admin/use-result-toast";
import { useRefreshWhile } from "~/components/use-refresh-while";
import { useValueLabels } from "~/components/analytics/labels";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { message } from "~/i18n/message";
import { getDatabase } from "~/db.server";
import { getEnv } from "~/lib/env.server";
import { requireInstalledShop } from "~/services/install.server";
import { getAnalyticsDashboard, getDashboardDetails } from "~/services/analytics/dashboard.server";
import { getSetupFacts, setSetupGuideDismissed } from "~/services/onboarding/setup-guide.server";
import { getShopOverview } from "~/services/shop-overview.server";
import { listSegments } from "~/services/segments/segment-store.server";
import { topViewedNotBought } from "~/services/behaviour/viewed-not-bought.server";
import { adminContextTransport } from "~/services/shopify/admin-context-transport.server";
import {
  readAppEmbedState,
  type AppEmbedState,
} from "~/services/onboarding/app-embed-state.server";
import { themeEditorLinks } from "~/services/onboarding/theme-editor-links";
import { badRequest } from "~/routes/http/answers.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const meta = pageTitle("nav.dashboard");

/** The dashboard's query parameter naming the segment of "viewed but not bought". */
const VIEWED_SEGMENT_PARAM = "viewedSegment";
const VIEWED_NOT_BOUGHT_ROWS = 10;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const [overview, dashboard, guide, segments] = await Promise.all([
    getShopOverview(session.shop),
    getAnalyticsDashboard(sql, shop.id),
    getSetupFacts(sql, shop.id),
    listSegments(sql, shop.id),
  ]);
  // Streamed: the theme is read through the Admin API, which the page does not wait for. Not
  // read at all once the merchant has closed the guide.
  const appEmbed: Promise<AppEmbedState> = guide.dismissed
    ? Promise.resolve("unknown")
    : readAppEmbedState(adminContextTransport(admin));
  // Streamed: the cohort tables and the win-back list sit below the figures and charts, and
  // their markup is the largest part of the page's; its first paint does not wait for them.
  const details = getDashboardDetails(sql, shop.id);
  // A segment id that is not one of this shop's segments shows all customers.
  const asked = new URL(request.url).searchParams.get(VIEWED_SEGMENT_PARAM);
  const segment = segments.find((candidate) => candidate.id.toString() === asked) ?? null;
  // Streamed: the page (and its largest paint) does not wait for this slowest of its queries;
  // its card sits below the fold.
  const viewedNotBought = topViewedNotBought(sql, shop.id, {
    segmentId: segment?.id ?? null,
    now: new Date(),
    limit: VIEWED_NOT_BOUGHT_ROWS,
  });
  return {
    overview,
    dashboard,
    details,
    guide,
    appEmbed,
    viewed: {
      products: viewedNotBought,
      segments: segments.map(({ id, name }) => ({ id: id.toString(), name })),
      segmentId: segment?.id.toString() ?? ALL_CUSTOMERS,
    },
    themeLinks: themeEditorLinks(session.shop, getEnv().SHOPIFY_API_KEY),
    currency: shop.currency,
  };
};

const actionInput = z.object({ intent: z.enum(["dismissGuide", "showGuide"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success)
    return badRequest({ ok: false, message: message("common.unrecognisedRequest") });
  const shop = await requireInstalledShop(session);
  const dismissed = input.data.intent === "dismissGuide";
  await setSetupGuideDismissed(getDatabase().sql, shop.id, dismissed);
  return {
    ok: true,
    message: message(dismissed ? "setupGuide.dismissed" : "setupGuide.shown"),
  };
};

/** How often the page reloads its figures while the first import runs. */
const IMPORT_REFRESH_MS = 5000;

function Figure({
  label: name,
  value,
  id,
  hint,
  help,
}: {
  label: string;
  value: string;
  id: string;
  hint?: string;
  /** What a figure built on a model means, in a tooltip on its name. */
  help?: string;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {help ? (
            <Tooltip content={help} hasUnderline>
              <span tabIndex={0}>{name}</span>
            </Tooltip>
          ) : (
            name
          )}
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

/** Stands in for the cohort reports and the win-back list while they arrive. */
function DetailsPlaceholder() {
  return (
    <Card>
      <BlockStack gap="300">
        <SkeletonDisplayText size="small" />
        <SkeletonBodyText lines={8} />
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { overview, dashboard, details, guide, appEmbed, viewed, themeLinks, currency } =
    useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const chooseViewedSegment = (segmentId: string) => {
    const next = new URLSearchParams(searchParams);
    if (segmentId === ALL_CUSTOMERS) next.delete(VIEWED_SEGMENT_PARAM);
    else next.set(VIEWED_SEGMENT_PARAM, segmentId);
    setSearchParams(next, { preventScrollReset: true, replace: true });
  };
  const { t } = useTranslation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const navigation = useNavigation();
  useResultToast(useActionData<typeof action>(), undefined, "toast");
  useRefreshWhile(!guide.dismissed && guide.import.state === "running", IMPORT_REFRESH_MS);
  const setGuide = (intent: "dismissGuide" | "showGuide") => submit({ intent }, { method: "post" });
  const changingGuide = navigation.state !== "idle" && navigation.formMethod === "POST";
  const formats = useFormats();
  const label = useValueLabels();
  const money = (amount: number) => formats.money(amount, currency);
  const basis = dashboard.model?.bgnbd;
  return (
    <Page>
      <TitleBar title={t("nav.dashboard")}>
        <button variant="primary" onClick={() => navigate("/app/customers")}>
          {t("nav.customers")}
        </button>
        <button onClick={() => navigate("/app/analytics-settings")}>
          {t("titles.analyticsSettings")}
        </button>
        {guide.dismissed && (
          <button onClick={() => setGuide("showGuide")}>{t("setupGuide.show")}</button>
        )}
      </TitleBar>
      <Layout>
        {!guide.dismissed && (
          <Layout.Section>
            <SetupGuideCard
              facts={guide}
              appEmbed={appEmbed}
              links={themeLinks}
              onDismiss={() => setGuide("dismissGuide")}
              dismissing={changingGuide}
            />
          </Layout.Section>
        )}
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
                  help={t("dashboard.predictedRevenueHelp")}
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
                <Suspense fallback={<DetailsPlaceholder />}>
                  <Await resolve={details}>
                    {({ cohorts, winBack }) => (
                      <>
                        <CohortReports cohorts={cohorts} />
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
                              rows={winBack.map((row) => [
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
                      </>
                    )}
                  </Await>
                </Suspense>
                <ViewedNotBoughtCard
                  products={viewed.products}
                  segments={viewed.segments}
                  segmentId={viewed.segmentId}
                  onSegmentChange={chooseViewedSegment}
                />
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
      <PageHelp page="home" title={t("nav.dashboard")} />
    </Page>
  );
}
