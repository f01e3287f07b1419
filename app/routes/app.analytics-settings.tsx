import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { NumberField } from "~/components/admin/NumberField";
import { useFormats } from "~/i18n/format";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, FormLayout, Layout, Page, Text } from "@shopify/polaris";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { useFormDraft } from "~/components/admin/use-form-draft";
import { useResultToast } from "~/components/admin/use-result-toast";
import { message, type Message } from "~/i18n/message";
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

function SettingsForm({ initial }: { initial: SettingsFormValues }) {
  const { ready, computed, shopCadence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const { draft: form, setDraft: setForm, dirty, discard } = useFormDraft(initial);
  const { t } = useTranslation();
  const formats = useFormats();
  useResultToast(result, message("analyticsSettings.saved"));
  const errors: Partial<Record<string, Message>> = result?.errors ?? {};
  const list = (values: readonly number[]) =>
    formats.list(values.map((v) => formats.number(Math.round(v))));
  const save = () => submit({ ...form }, { method: "post" });
  return (
    <Page>
      <PageTitleBar
        title={t("titles.analyticsSettings")}
        back={{ content: t("nav.dashboard"), url: "/app" }}
      />
      <UnsavedChangesBar
        id="analytics-settings-save-bar"
        dirty={dirty && ready}
        saving={saving}
        onSave={save}
        onDiscard={discard}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!ready && (
              <Banner
                tone="info"
                title={t("analyticsSettings.notReadyTitle")}
                action={{ content: t("analyticsSettings.goToSync"), url: "/app/sync" }}
              >
                <p>{t("analyticsSettings.notReadyText")}</p>
              </Banner>
            )}
            <Card>
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
                {FIELDS.map((field) => {
                  const error = errors[field.name];
                  return (
                    <NumberField
                      key={field.name}
                      label={t(`analyticsSettings.fields.${field.name}.label`)}
                      name={field.name}
                      helpText={t(`analyticsSettings.fields.${field.name}.help`, {
                        fallback: field.fallback,
                      })}
                      value={form[field.name]}
                      onChange={(value) => setForm({ ...form, [field.name]: value })}
                      error={error ? t(error.key, error.values) : undefined}
                      disabled={!ready}
                      autoComplete="off"
                    />
                  );
                })}
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="analyticsSettings" title={t("titles.analyticsSettings")} />
    </Page>
  );
}

export default function AnalyticsSettingsPage() {
  const { values } = useLoaderData<typeof loader>();
  // A new key when the saved settings change resets the form to them.
  return <SettingsForm key={JSON.stringify(values)} initial={values} />;
}
