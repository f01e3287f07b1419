import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { HelpLabel } from "~/components/admin/HelpLabel";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useValueLabels } from "~/components/analytics/labels";
import { PredictionExplanation } from "~/components/analytics/PredictionExplanation";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { CustomerWinbackCard } from "~/components/winback/CustomerWinbackCard";
import { CustomerTimeline } from "~/components/analytics/CustomerTimeline";
import { getDatabase } from "~/db.server";
import { idParamOr404 } from "~/routes/http/answers.server";
import { requireInstalledShop } from "~/services/install.server";
import { getCustomerProfile } from "~/services/analytics/customer-profile.server";
import { listCustomerActions } from "~/services/winback/audit-log.server";
import { loadCustomerProductViews } from "~/services/behaviour/customer-views.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("titles.customer");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const customerId = idParamOr404(params.id);
  const { sql } = getDatabase();
  const [profile, winback, views] = await Promise.all([
    getCustomerProfile(sql, shop.id, customerId),
    listCustomerActions(sql, shop.id, customerId),
    loadCustomerProductViews(sql, shop.id, customerId),
  ]);
  if (!profile) throw new Response("Not found", { status: 404 });
  return { profile, winback, views, currency: shop.currency };
};

function Field({
  name,
  value,
  id,
  help,
}: {
  name: string;
  value: string;
  id?: string;
  /** What the figure means, for one that needs explaining. */
  help?: string;
}) {
  return (
    <BlockStack gap="050">
      {help ? (
        <HelpLabel label={name} help={help} />
      ) : (
        <Text as="span" tone="subdued">
          {name}
        </Text>
      )}
      <Text as="span" variant="headingMd" id={id}>
        {value}
      </Text>
    </BlockStack>
  );
}

export default function CustomerProfilePage() {
  const { profile, winback, views, currency } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const formats = useFormats();
  const label = useValueLabels();
  const money = (amount: number) => formats.money(amount, currency);
  const m = profile.metrics;
  const fixed = (value: number | null | undefined, digits = 2) =>
    value === null || value === undefined
      ? "—"
      : value.toLocaleString(formats.locale, {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
  const day = (iso: string | null | undefined) => (iso ? formats.date(iso.slice(0, 10)) : "—");
  /** "12 Nov: 3 weeks overdue": weeks once a fortnight has passed, days before. */
  const overdue = (iso: string, days: number) =>
    days >= 14
      ? t("customer.overdueWeeks", {
          date: day(iso),
          count: Math.floor(days / 7),
          formattedCount: formats.number(Math.floor(days / 7)),
        })
      : t("customer.overdueDays", {
          date: day(iso),
          count: days,
          formattedCount: formats.number(days),
        });
  return (
    <Page>
      <PageTitleBar
        title={profile.name}
        back={{ content: t("nav.customers"), url: "/app/customers" }}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineStack gap="200" blockAlign="center">
              <HelpLabel label={t("reports.stage")} help={t("customers.stageHelp")} />
              <span id="lifecycle-stage">
                <Badge tone="info">
                  {label("lifecycleStages", m?.lifecycleStage ?? "prospect")}
                </Badge>
              </span>
              {profile.email && (
                <Text as="span" tone="subdued">
                  {profile.email}
                </Text>
              )}
            </InlineStack>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("customer.purchases")}
                </Text>
                <InlineGrid columns={{ xs: 2, sm: 4 }} gap="400">
                  <Field
                    name={t("dashboard.orders")}
                    id="metric-orders"
                    value={formats.number(m?.ordersCount ?? 0)}
                  />
                  <Field
                    name={t("segmentFields.net_revenue")}
                    id="metric-revenue"
                    value={money(m?.netRevenue ?? 0)}
                  />
                  <Field
                    name={t("customer.averageOrder")}
                    value={m?.aov === null || !m ? "—" : money(m.aov)}
                  />
                  <Field
                    name={t("segmentFields.days_since_last_order")}
                    value={fixed(m?.daysSinceLastOrder, 0)}
                  />
                  <Field
                    name={t("customer.daysBetweenOrders")}
                    value={fixed(m?.avgDaysBetweenOrders, 0)}
                  />
                  <Field name={t("segmentFields.first_order_at")} value={day(m?.firstOrderAt)} />
                  <Field name={t("segmentFields.last_order_at")} value={day(m?.lastOrderAt)} />
                  <Field
                    name={t("customer.favouriteProducts")}
                    value={
                      formats.list(
                        profile.favouriteProducts.map(
                          (p) => `${p.title} (${formats.number(p.units)})`,
                        ),
                      ) || "—"
                    }
                  />
                </InlineGrid>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("customer.predictions")}
                </Text>
                <InlineGrid columns={{ xs: 2, sm: 4 }} gap="400">
                  <Field
                    name={t("customer.chanceStillActive")}
                    help={t("customer.chanceStillActiveHelp")}
                    id="metric-prob-alive"
                    value={m?.probAlive === null || !m ? "—" : formats.percent(m.probAlive)}
                  />
                  <Field
                    name={t("customer.ordersNext90")}
                    help={t("customer.ordersNext90Help")}
                    value={fixed(m?.expectedOrders90d)}
                  />
                  <Field
                    name={t("customer.predictedValue")}
                    help={t("customer.predictedValueHelp")}
                    id="metric-clv"
                    value={m?.predictedClv === null || !m ? "—" : money(m.predictedClv)}
                  />
                  <Field
                    name={t("customer.nextOrderAround")}
                    help={t("customer.nextOrderAroundHelp")}
                    value={day(m?.predictedNextOrderAt)}
                  />
                  <Field
                    name={t("customer.nextOrderDue")}
                    help={t("customer.nextOrderDueHelp")}
                    id="metric-next-order-due"
                    value={
                      m?.nextOrderDueAt && (m.daysOverdue ?? 0) > 0
                        ? overdue(m.nextOrderDueAt, m.daysOverdue ?? 0)
                        : day(m?.nextOrderDueAt)
                    }
                  />
                </InlineGrid>
                <PredictionExplanation
                  metrics={m}
                  modelBasis={profile.modelBasis}
                  currency={currency}
                />
              </BlockStack>
            </Card>
            <CustomerTimeline orders={profile.orders} views={views} currency={currency} />
            <CustomerWinbackCard actions={winback.actions} heldBack={winback.heldBack} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("titles.customer")}
                </Text>
                <Text as="p">{profile.location ?? t("customer.noAddress")}</Text>
                <Text as="p">
                  {t("customer.emailMarketing", {
                    state: label("consent", profile.emailMarketing),
                  })}
                </Text>
                <Text as="p">
                  {t("customer.smsMarketing", { state: label("consent", profile.smsMarketing) })}
                </Text>
                <Text as="p">{t("customer.since", { date: day(profile.createdAt) })}</Text>
                <InlineStack gap="100">
                  {profile.tags.map((tag) => (
                    <Badge key={tag}>{tag}</Badge>
                  ))}
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <InlineStack>
                  <HelpLabel label={t("customer.rfmTitle")} help={t("customer.rfmHelp")} />
                </InlineStack>
                {/* Scores only: the RFM group's name ("Champions", "At risk") would read as a
                    second stage beside the lifecycle stage. */}
                <Text as="p" id="metric-rfm">
                  {m?.rScore
                    ? t("customer.rfmScores", {
                        recency: m.rScore,
                        frequency: m.fScore,
                        monetary: m.mScore,
                      })
                    : t("rfmSegments.no_orders")}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("customer.stageHistory")}
                </Text>
                {profile.stageHistory.map((change) => (
                  <Text as="p" key={`${change.changedAt}-${change.to}`}>
                    {day(change.changedAt)}:{" "}
                    {change.from ? `${label("lifecycleStages", change.from)} → ` : ""}
                    {label("lifecycleStages", change.to)}
                  </Text>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="customer" title={profile.name} />
    </Page>
  );
}
