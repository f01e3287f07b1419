import { NumberField } from "~/components/admin/NumberField";
import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { message, type Message } from "~/i18n/message";
import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  SerializeFrom,
  TypedResponse,
} from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { SenderCheckCard } from "~/components/email/SenderCheckCard";
import { useFormDraft } from "~/components/admin/use-form-draft";
import { useResultToast } from "~/components/admin/use-result-toast";
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
import {
  loadEmailSettings,
  parseEmailSettingsForm,
  saveEmailSettings,
  type EmailSettingsField,
} from "~/services/email/email-settings.server";
import { sendTestEmail } from "~/services/email/send-email.server";
import {
  checkSender,
  senderGuidance,
  type SenderCheck,
} from "~/services/email/sender-check.server";
import { SMTP_PROVIDERS, providerById, providerForHost } from "~/services/email/smtp-providers";
import { listSuppressions } from "~/services/email/suppression.server";
import { ATTRIBUTION_DAYS } from "~/services/email/tracking/attribution-days";
import {
  loadAttributionDays,
  saveAttributionDays,
} from "~/services/email/tracking/attribution.server";
import { AttributionWindowCard } from "~/components/email/AttributionWindowCard";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("titles.emailSettings");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const settings = await loadEmailSettings(sql, shop.id);
  const suppressed = await listSuppressions(sql, shop.id, { limit: 0 });
  // Everything but the password, which the page can only replace.
  return {
    configured: settings !== null,
    hasPassword: settings?.hasPassword ?? false,
    // What the saved sender's domain should publish (looked up only when asked).
    guidance: settings
      ? senderGuidance({ fromAddress: settings.fromAddress, smtpHost: settings.host })
      : null,
    suppressedCount: suppressed.total,
    attributionDays: await loadAttributionDays(sql, shop.id),
    values: {
      host: settings?.host ?? "",
      port: settings ? String(settings.port) : "587",
      secure: settings?.secure ?? false,
      username: settings?.username ?? "",
      fromName: settings?.fromName ?? "",
      fromAddress: settings?.fromAddress ?? "",
      replyTo: settings?.replyTo ?? "",
    },
  };
};

const testAddress = z.string().trim().email();
const attributionDays = z.coerce.number().int().min(ATTRIBUTION_DAYS.min).max(ATTRIBUTION_DAYS.max);

type ActionResult =
  | { intent: "save"; ok: true }
  | { intent: "save"; ok: false; errors: Partial<Record<EmailSettingsField, Message>> }
  | { intent: "test"; ok: true; to: string }
  | { intent: "test"; ok: false; message: Message }
  | { intent: "checkSender"; ok: true; check: SenderCheck | null }
  | { intent: "attribution"; ok: boolean };

export const action = async ({
  request,
}: ActionFunctionArgs): Promise<ActionResult | TypedResponse<ActionResult>> => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const form = Object.fromEntries(await request.formData());
  const { sql } = getDatabase();
  if (form.intent === "checkSender") {
    const settings = await loadEmailSettings(sql, shop.id);
    const check = settings
      ? await checkSender({ fromAddress: settings.fromAddress, smtpHost: settings.host })
      : null;
    return { intent: "checkSender", ok: true, check };
  }
  if (form.intent === "attribution") {
    const days = attributionDays.safeParse(form.days);
    if (!days.success) return invalidForm({ intent: "attribution" as const, ok: false });
    await saveAttributionDays(sql, shop.id, days.data);
    return { intent: "attribution", ok: true };
  }
  if (form.intent === "test") {
    const to = testAddress.safeParse(form.testTo);
    if (!to.success) {
      return invalidForm({
        intent: "test" as const,
        ok: false as const,
        message: message("emailSettings.enterAddress"),
      });
    }
    try {
      await sendTestEmail(sql, shop.id, to.data);
      return { intent: "test", ok: true, to: to.data };
    } catch (error) {
      if (error instanceof EmailNotConfiguredError) {
        return { intent: "test", ok: false, message: message("emailSettings.saveFirst") };
      }
      // The server's own reply is what the merchant needs to fix their settings.
      if (error instanceof SmtpSendError) {
        return {
          intent: "test",
          ok: false,
          message: message("common.verbatim", { text: error.message }),
        };
      }
      throw error;
    }
  }
  const parsed = parseEmailSettingsForm(form);
  if (!parsed.ok)
    return invalidForm({ intent: "save" as const, ok: false as const, errors: parsed.errors });
  await saveEmailSettings(sql, shop.id, parsed.settings);
  return { intent: "save", ok: true };
};

type SettingsValues = SerializeFrom<typeof loader>["values"] & { password: string };

function EmailSettingsForm({ initial }: { initial: SettingsValues }) {
  const { configured, hasPassword, guidance, suppressedCount, attributionDays } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const { draft: form, setDraft: setForm, dirty, discard } = useFormDraft(initial);
  const [testTo, setTestTo] = useState("");
  const [confirmTest, setConfirmTest] = useState(false);
  const { t } = useTranslation();
  useResultToast(
    result?.intent === "checkSender" ? undefined : result,
    result?.intent === "test" && result.ok
      ? message("emailSettings.testSentText", { to: result.to })
      : message("emailSettings.savedText"),
  );
  const errors: Partial<Record<EmailSettingsField, Message>> =
    result?.intent === "save" && !result.ok ? result.errors : {};
  const field = (name: Exclude<EmailSettingsField, "secure">) => {
    const error = errors[name];
    return {
      name,
      value: String(form[name]),
      onChange: (value: string) => setForm({ ...form, [name]: value }),
      error: error ? t(error.key, error.values) : undefined,
      autoComplete: "off",
    };
  };
  const save = () =>
    submit({ intent: "save", ...form, secure: form.secure ? "true" : "" }, { method: "post" });

  return (
    <Page>
      <PageTitleBar
        title={t("titles.emailSettings")}
        back={{ content: t("nav.dashboard"), url: "/app" }}
      />
      <UnsavedChangesBar
        id="email-settings-save-bar"
        dirty={dirty}
        saving={submitting === "save"}
        onSave={save}
        onDiscard={discard}
      />
      <ConfirmModal
        id="email-send-test"
        open={confirmTest}
        title={t("emailSettings.sendTestQuestion")}
        confirmLabel={t("emailSettings.sendTest")}
        onConfirm={() => submit({ intent: "test", testTo }, { method: "post" })}
        onClose={() => setConfirmTest(false)}
      >
        <p>{t("emailSettings.sendTestText", { to: testTo.trim() })}</p>
      </ConfirmModal>
      <Layout>
        <Layout.AnnotatedSection
          title={t("emailSettings.smtpTitle")}
          description={t("emailSettings.smtpDescription")}
        >
          <Card>
            <FormLayout>
              <Select
                label={t("emailSettings.provider")}
                helpText={t("emailSettings.providerHelp")}
                options={[
                  { label: t("emailSettings.providerOther"), value: "" },
                  ...SMTP_PROVIDERS.map((provider) => ({
                    label: provider.name,
                    value: provider.id,
                  })),
                ]}
                value={providerForHost(form.host)?.id ?? ""}
                onChange={(id) => {
                  const provider = providerById(id);
                  if (provider) {
                    setForm({
                      ...form,
                      host: provider.host,
                      port: String(provider.port),
                      secure: provider.secure,
                    });
                  }
                }}
              />
              <FormLayout.Group>
                <TextField
                  label={t("emailSettings.host")}
                  placeholder="smtp.example.com"
                  {...field("host")}
                />
                <NumberField
                  label={t("emailSettings.port")}
                  helpText={t("emailSettings.portHelp")}
                  {...field("port")}
                />
              </FormLayout.Group>
              <Checkbox
                label={t("emailSettings.secure")}
                helpText={t("emailSettings.secureHelp")}
                checked={form.secure}
                onChange={(secure) => setForm({ ...form, secure })}
              />
              <FormLayout.Group>
                <TextField
                  label={t("emailSettings.username")}
                  helpText={t("emailSettings.usernameHelp")}
                  {...field("username")}
                />
                <TextField
                  label={t("emailSettings.password")}
                  type="password"
                  helpText={
                    hasPassword
                      ? t("emailSettings.passwordKept")
                      : t("emailSettings.passwordStored")
                  }
                  {...field("password")}
                  autoComplete="new-password"
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField
                  label={t("emailSettings.fromName")}
                  placeholder={t("emailSettings.fromNamePlaceholder")}
                  {...field("fromName")}
                />
                <TextField
                  label={t("emailSettings.fromAddress")}
                  type="email"
                  placeholder="hello@yourshop.com"
                  {...field("fromAddress")}
                />
              </FormLayout.Group>
              <TextField label={t("emailSettings.replyTo")} type="email" {...field("replyTo")} />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title={t("emailSettings.testTitle")}
          description={t("emailSettings.testDescription")}
        >
          <BlockStack gap="400">
            {result?.intent === "test" && !result.ok && (
              <Banner tone="critical" title={t("emailSettings.testNotSent")}>
                <p>{t(result.message.key, result.message.values)}</p>
              </Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <TextField
                  label={t("emailSettings.sendTo")}
                  type="email"
                  name="testTo"
                  value={testTo}
                  onChange={setTestTo}
                  autoComplete="email"
                />
                {(!configured || dirty) && (
                  <Text as="p" tone="subdued">
                    {t("emailSettings.saveFirst")}
                  </Text>
                )}
                <InlineStack>
                  <Button
                    onClick={() => setConfirmTest(true)}
                    loading={submitting === "test"}
                    disabled={!configured || dirty || !testTo.trim()}
                  >
                    {t("emailSettings.sendTest")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title={t("senderCheck.title")}
          description={t("senderCheck.description")}
        >
          {guidance ? (
            <SenderCheckCard
              guidance={guidance}
              check={result?.intent === "checkSender" ? result.check : null}
              checking={submitting === "checkSender"}
              onCheck={() => submit({ intent: "checkSender" }, { method: "post" })}
            />
          ) : (
            <Card>
              <Text as="p" tone="subdued">
                {t("emailSettings.saveFirst")}
              </Text>
            </Card>
          )}
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title={t("emailSettings.attribution.title")}
          description={t("emailSettings.attribution.description")}
        >
          <AttributionWindowCard days={attributionDays} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title={t("suppressions.title")}
          description={t("suppressions.description")}
        >
          <Card>
            <BlockStack gap="300">
              <Text as="p">{t("suppressions.count", { value: suppressedCount })}</Text>
              <InlineStack>
                <Button url="/app/email-suppressions">{t("suppressions.open")}</Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <PageHelp page="emailSettings" title={t("titles.emailSettings")} />
    </Page>
  );
}

export default function EmailSettingsPage() {
  const { values } = useLoaderData<typeof loader>();
  // A new key when the saved settings change resets the form (and empties the password).
  return <EmailSettingsForm key={JSON.stringify(values)} initial={{ ...values, password: "" }} />;
}
