import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
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

/** Each field, its default where the help names one; label and help are analyticsSettings.<name>. */
const FIELDS: Array<{ name: keyof SettingsFormValues; fallback?: number }> = [
  { name: "recencyDays" },
  { name: "frequency" },
  { name: "monetary" },
  { name: "newCustomerDays", fallback: DEFAULT_LIFECYCLE_CONFIG.newCustomerDays },
  { name: "loyalMinOrders", fallback: DEFAULT_LIFECYCLE_CONFIG.loyalMinOrders },
  { name: "atRiskMultiple", fallback: DEFAULT_LIFECYCLE_CONFIG.activeMultiple },
  { name: "lapsingMultiple", fallback: DEFAULT_LIFECYCLE_CONFIG.atRiskMultiple },
  { name: "lostMultiple", fallback: DEFAULT_LIFECYCLE_CONFIG.lapsingMultiple },
  { name: "clvHorizonDays" },
];

export default function AnalyticsSettingsPage() {
  const { ready, values, computed, shopCadence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [form, setForm] = useState(values);
  const errors: Partial<Record<string, string>> = result?.errors ?? {};
  const { t } = useTranslation();
  const formats = useFormats();
  const list = (values: readonly number[]) =>
    values.map((v) => formats.number(Math.round(v))).join(", ");
  return (
    <Page
      title={t("titles.analyticsSettings")}
      backAction={{ content: t("nav.dashboard"), url: "/app" }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok && (
              <Banner tone="success" title={t("analyticsSettings.saved")}>
                <p>{t("analyticsSettings.savedText")}</p>
              </Banner>
            )}
            {!ready && (
              <Banner tone="info" title={t("analyticsSettings.notReadyTitle")}>
                <p>{t("analyticsSettings.notReadyText")}</p>
              </Banner>
            )}
            <Card>
              <Form method="post">
                <FormLayout>
                  <Text as="p" tone="subdued">
                    {t("analyticsSettings.emptyUsesComputed")}
                    {computed
                      ? ` ${t("analyticsSettings.computedNow", {
                          recency: list(computed.recencyDays),
                          frequency: list(computed.frequency),
                          monetary: list(computed.monetary),
                        })}`
                      : ""}
                    {shopCadence
                      ? ` ${t("analyticsSettings.cadence", { count: Math.round(shopCadence) })}`
                      : ""}
                  </Text>
                  {FIELDS.map((field) => (
                    <TextField
                      key={field.name}
                      label={t(`analyticsSettings.fields.${field.name}.label`)}
                      name={field.name}
                      helpText={t(`analyticsSettings.fields.${field.name}.help`, {
                        fallback: field.fallback,
                      })}
                      value={form[field.name]}
                      onChange={(value) => setForm({ ...form, [field.name]: value })}
                      error={errors[field.name]}
                      autoComplete="off"
                    />
                  ))}
                  <Button submit variant="primary" loading={busy} disabled={!ready}>
                    {t("common.save")}
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
