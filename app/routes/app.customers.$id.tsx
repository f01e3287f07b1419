import { pageTitle } from "~/i18n/meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { SEGMENT_LABELS, STAGE_LABELS, label } from "~/components/analytics/labels";
import { CustomerWinbackCard } from "~/components/winback/CustomerWinbackCard";
import { getDatabase } from "~/db.server";
import { idParamOr404 } from "~/routes/http/answers.server";
import { requireInstalledShop } from "~/services/install.server";
import { getCustomerProfile } from "~/services/analytics/customer-profile.server";
import { listCustomerActions } from "~/services/winback/audit-log.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("titles.customer");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const customerId = idParamOr404(params.id);
  const [profile, winback] = await Promise.all([
    getCustomerProfile(getDatabase().sql, shop.id, customerId, shop.currency),
    listCustomerActions(getDatabase().sql, shop.id, customerId),
  ]);
  if (!profile) throw new Response("Not found", { status: 404 });
  return { profile, winback, currency: shop.currency };
};

function Field({ name, value, id }: { name: string; value: string; id?: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued">
        {name}
      </Text>
      <Text as="span" variant="headingMd" id={id}>
        {value}
      </Text>
    </BlockStack>
  );
}

export default function CustomerProfilePage() {
  const { profile, winback, currency } = useLoaderData<typeof loader>();
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
  const m = profile.metrics;
  const fixed = (value: number | null | undefined, digits = 2) =>
    value === null || value === undefined ? "—" : value.toFixed(digits);
  return (
    <Page
      title={profile.name}
      subtitle={profile.email ?? undefined}
      backAction={{ content: "Customers", url: "/app/customers" }}
      titleMetadata={
        m ? <Badge tone="info">{label(STAGE_LABELS, m.lifecycleStage)}</Badge> : undefined
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Purchases
                </Text>
                <InlineGrid columns={{ xs: 2, sm: 4 }} gap="400">
                  <Field name="Orders" id="metric-orders" value={String(m?.ordersCount ?? 0)} />
                  <Field
                    name="Net revenue"
                    id="metric-revenue"
                    value={money.format(m?.netRevenue ?? 0)}
                  />
                  <Field
                    name="Average order"
                    value={m?.aov === null || !m ? "—" : money.format(m.aov)}
                  />
                  <Field
                    name="Days since last order"
                    value={String(m?.daysSinceLastOrder ?? "—")}
                  />
                  <Field name="Days between orders" value={fixed(m?.avgDaysBetweenOrders, 0)} />
                  <Field name="First order" value={m?.firstOrderAt?.slice(0, 10) ?? "—"} />
                  <Field name="Last order" value={m?.lastOrderAt?.slice(0, 10) ?? "—"} />
                  <Field
                    name="Favourite products"
                    value={
                      profile.favouriteProducts.map((p) => `${p.title} (${p.units})`).join(", ") ||
                      "—"
                    }
                  />
                </InlineGrid>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Predictions
                </Text>
                <InlineGrid columns={{ xs: 2, sm: 4 }} gap="400">
                  <Field
                    name="Chance still active"
                    id="metric-prob-alive"
                    value={m?.probAlive === null || !m ? "—" : `${Math.round(m.probAlive * 100)}%`}
                  />
                  <Field name="Orders next 90 days" value={fixed(m?.expectedOrders90d)} />
                  <Field
                    name="Predicted value"
                    id="metric-clv"
                    value={m?.predictedClv === null || !m ? "—" : money.format(m.predictedClv)}
                  />
                  <Field
                    name="Next order around"
                    value={m?.predictedNextOrderAt?.slice(0, 10) ?? "—"}
                  />
                </InlineGrid>
                <BlockStack gap="100" id="prediction-explanation">
                  {profile.explanation.map((sentence) => (
                    <Text as="p" key={sentence}>
                      {sentence}
                    </Text>
                  ))}
                </BlockStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Orders
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
                  headings={["Order", "Date", "Items", "Total", "Refunded", "Status"]}
                  rows={profile.orders.map((order) => [
                    order.name,
                    order.processedAt.slice(0, 10),
                    order.items,
                    money.format(order.total),
                    order.refunded > 0 ? money.format(order.refunded) : "",
                    order.cancelled ? "Cancelled" : "",
                  ])}
                />
              </BlockStack>
            </Card>
            <CustomerWinbackCard actions={winback.actions} heldBack={winback.heldBack} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Customer
                </Text>
                <Text as="p">{profile.location ?? "No address"}</Text>
                <Text as="p">Email marketing: {profile.emailMarketing.replace(/_/g, " ")}</Text>
                <Text as="p">SMS marketing: {profile.smsMarketing.replace(/_/g, " ")}</Text>
                <Text as="p">Customer since {profile.createdAt.slice(0, 10)}</Text>
                <InlineStack gap="100">
                  {profile.tags.map((tag) => (
                    <Badge key={tag}>{tag}</Badge>
                  ))}
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  RFM
                </Text>
                <Text as="p" id="metric-rfm">
                  {m?.rScore
                    ? `${label(SEGMENT_LABELS, m.rfmSegment)} (R${m.rScore} F${m.fScore} M${m.mScore})`
                    : "No orders yet"}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Stage history
                </Text>
                {profile.stageHistory.map((change) => (
                  <Text as="p" key={`${change.changedAt}-${change.to}`}>
                    {change.changedAt.slice(0, 10)}:{" "}
                    {change.from ? `${label(STAGE_LABELS, change.from)} → ` : ""}
                    {label(STAGE_LABELS, change.to)}
                  </Text>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
