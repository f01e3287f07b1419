import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { message, type Message } from "~/i18n/message";
import type { ActionFunctionArgs, LoaderFunctionArgs, TypedResponse } from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
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
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
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
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("titles.emailSettings");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const settings = await loadEmailSettings(getDatabase().sql, shop.id);
  // Everything but the password, which the page can only replace.
  return {
    configured: settings !== null,
    hasPassword: settings?.hasPassword ?? false,
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

type ActionResult =
  | { intent: "save"; ok: true }
  | { intent: "save"; ok: false; errors: Partial<Record<EmailSettingsField, string>> }
  | { intent: "test"; ok: true; to: string }
  | { intent: "test"; ok: false; message: Message };

export const action = async ({
  request,
}: ActionFunctionArgs): Promise<ActionResult | TypedResponse<ActionResult>> => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const form = Object.fromEntries(await request.formData());
  const { sql } = getDatabase();
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
      // The server's own reply is what the merchant needs to fix their settings.
      if (error instanceof SmtpSendError || error instanceof EmailNotConfiguredError) {
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

export default function EmailSettingsPage() {
  const { configured, hasPassword, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const [form, setForm] = useState({ ...values, password: "" });
  const [testTo, setTestTo] = useState("");
  const saved = result?.intent === "save" && result.ok;
  // A saved password leaves the page: the field empties and "keep it" applies again.
  useEffect(() => {
    if (saved) setForm((current) => ({ ...current, password: "" }));
  }, [saved, result]);
  const errors: Partial<Record<EmailSettingsField, string>> =
    result?.intent === "save" && !result.ok ? result.errors : {};
  const field = (name: Exclude<EmailSettingsField, "secure">) => ({
    name,
    value: String(form[name]),
    onChange: (value: string) => setForm({ ...form, [name]: value }),
    error: errors[name],
    autoComplete: "off",
  });
  const { t } = useTranslation();

  return (
    <Page
      title={t("titles.emailSettings")}
      backAction={{ content: t("nav.dashboard"), url: "/app" }}
    >
      <Layout>
        <Layout.AnnotatedSection
          title={t("emailSettings.smtpTitle")}
          description={t("emailSettings.smtpDescription")}
        >
          <BlockStack gap="400">
            {saved && (
              <Banner tone="success" title={t("analyticsSettings.saved")}>
                <p>{t("emailSettings.savedText")}</p>
              </Banner>
            )}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="save" />
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={t("emailSettings.host")}
                      placeholder="smtp.example.com"
                      {...field("host")}
                    />
                    <TextField
                      label={t("emailSettings.port")}
                      type="number"
                      helpText={t("emailSettings.portHelp")}
                      {...field("port")}
                    />
                  </FormLayout.Group>
                  <Checkbox
                    label={t("emailSettings.secure")}
                    helpText={t("emailSettings.secureHelp")}
                    name="secure"
                    // Polaris submits `value` for a checked box, and its default is "".
                    value="true"
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
                  <TextField
                    label={t("emailSettings.replyTo")}
                    type="email"
                    {...field("replyTo")}
                  />
                  <InlineStack>
                    <Button submit variant="primary" loading={submitting === "save"}>
                      {t("common.save")}
                    </Button>
                  </InlineStack>
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          title={t("emailSettings.testTitle")}
          description={t("emailSettings.testDescription")}
        >
          <BlockStack gap="400">
            {result?.intent === "test" && result.ok && (
              <Banner tone="success" title={t("emailSettings.testSent")}>
                <p>{t("emailSettings.testSentText", { to: result.to })}</p>
              </Banner>
            )}
            {result?.intent === "test" && !result.ok && (
              <Banner tone="critical" title={t("emailSettings.testNotSent")}>
                <p>{t(result.message.key, result.message.values)}</p>
              </Banner>
            )}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="test" />
                <BlockStack gap="300">
                  <TextField
                    label={t("emailSettings.sendTo")}
                    type="email"
                    name="testTo"
                    value={testTo}
                    onChange={setTestTo}
                    autoComplete="email"
                  />
                  {!configured && (
                    <Text as="p" tone="subdued">
                      {t("emailSettings.saveFirst")}
                    </Text>
                  )}
                  <InlineStack>
                    <Button
                      submit
                      loading={submitting === "test"}
                      disabled={!configured || !testTo.trim()}
                    >
                      {t("emailSettings.sendTest")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
