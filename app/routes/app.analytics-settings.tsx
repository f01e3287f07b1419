import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { DEFAULT_LIFECYCLE_CONFIG } from "~/services/analytics/models/lifecycle";
import {
  parseSettingsForm,
  settingsFormValues,
  type SettingsFormValues,
} from "~/services/analytics/settings-form";
import {
  loadShopAnalytics,
  saveAnalyticsSettings,
} from "~/services/analytics/shop-analytics-store.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("titles.analyticsSettings");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const analytics = await loadShopAnalytics(getDatabase().sql, shop.id);
  return {
    ready: analytics?.model !== null && analytics?.model !== undefined,
    values: settingsFormValues(analytics?.settings),
    computed: analytics?.model?.computedRfmThresholds ?? null,
    shopCadence: analytics?.model?.shopAvgDaysBetween ?? null,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const parsed = parseSettingsForm(Object.fromEntries(await request.formData()));
  if (!parsed.ok) return invalidForm({ ok: false as const, errors: parsed.errors });
  await saveAnalyticsSettings(getDatabase().sql, shop.id, parsed.settings);
  return { ok: true as const, errors: {} };
};

const FIELDS: Array<{ name: keyof SettingsFormValues; label: string; help: string }> = [
  {
    name: "recencyDays",
    label: "Recency thresholds (days)",
    help: "Four increasing numbers: customers whose last order is within the first get R5, beyond the last R1.",
  },
  {
    name: "frequency",
    label: "Frequency thresholds (orders)",
    help: "Four increasing numbers: more orders than the last gives F5.",
  },
  {
    name: "monetary",
    label: "Monetary thresholds (net revenue)",
    help: "Four increasing numbers: more revenue than the last gives M5.",
  },
  {
    name: "newCustomerDays",
    label: "Days a first-time customer counts as new",
    help: `Default ${DEFAULT_LIFECYCLE_CONFIG.newCustomerDays}.`,
  },
  {
    name: "loyalMinOrders",
    label: "Orders to count as loyal",
    help: `Default ${DEFAULT_LIFECYCLE_CONFIG.loyalMinOrders}.`,
  },
  {
    name: "atRiskMultiple",
    label: "At risk after (× the customer's usual gap)",
    help: `Default ${DEFAULT_LIFECYCLE_CONFIG.activeMultiple}: silence beyond this many usual gaps.`,
  },
  {
    name: "lapsingMultiple",
    label: "Lapsing after (× usual gap)",
    help: `Default ${DEFAULT_LIFECYCLE_CONFIG.atRiskMultiple}.`,
  },
  {
    name: "lostMultiple",
    label: "Lost after (× usual gap)",
    help: `Default ${DEFAULT_LIFECYCLE_CONFIG.lapsingMultiple}.`,
  },
  { name: "clvHorizonDays", label: "CLV horizon (days)", help: "30 to 1825; default 365." },
];

export default function AnalyticsSettingsPage() {
  const { ready, values, computed, shopCadence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [form, setForm] = useState(values);
  const errors: Partial<Record<string, string>> = result?.errors ?? {};
  return (
    <Page title="Analytics settings" backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok && (
              <Banner tone="success" title="Saved">
                <p>Every customer is rescored with these settings within a minute.</p>
              </Banner>
            )}
            {!ready && (
              <Banner tone="info" title="Available after the first sync">
                <p>Settings can be changed once your customers have been analysed.</p>
              </Banner>
            )}
            <Card>
              <Form method="post">
                <FormLayout>
                  <Text as="p" tone="subdued">
                    Leave a field empty to use the value computed from your store
                    {computed
                      ? ` (now: recency ${computed.recencyDays.join(", ")}; frequency ${computed.frequency.join(", ")}; monetary ${computed.monetary.map((v) => Math.round(v)).join(", ")})`
                      : ""}
                    {shopCadence
                      ? `; your customers usually reorder every ${Math.round(shopCadence)} days`
                      : ""}
                    .
                  </Text>
                  {FIELDS.map((field) => (
                    <TextField
                      key={field.name}
                      label={field.label}
                      name={field.name}
                      helpText={field.help}
                      value={form[field.name]}
                      onChange={(value) => setForm({ ...form, [field.name]: value })}
                      error={errors[field.name]}
                      autoComplete="off"
                    />
                  ))}
                  <Button submit variant="primary" loading={busy} disabled={!ready}>
                    Save
                  </Button>
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
