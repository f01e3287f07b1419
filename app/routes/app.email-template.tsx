import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  SerializeFrom,
  TypedResponse,
} from "@remix-run/node";
import {
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
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
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { useFormDraft } from "~/components/admin/use-form-draft";
import { useResultToast } from "~/components/admin/use-result-toast";
import { placeholderList } from "~/components/email/placeholder-text";
import { getDatabase } from "~/db.server";
import { message, type Message } from "~/i18n/message";
import { pageTitle } from "~/i18n/meta";
import { NotFoundError } from "~/lib/errors";
import { parseStorableId } from "~/lib/shopify-id";
import { badRequest, invalidForm } from "~/routes/http/answers.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { EmailNotConfiguredError, SmtpSendError } from "~/services/email/email-errors";
import { refreshShopBrand } from "~/services/email/templates/brand-store.server";
import { BUILT_IN_TEXTS, EMAIL_LANGUAGES } from "~/services/email/templates/built-in-texts";
import { renderCustomerEmail } from "~/services/email/templates/render-customer-email.server";
import {
  BLOCK_KINDS,
  MAX_PRODUCTS,
  TEXT_FIELDS,
  templateNotices,
  type BlockKind,
  type TemplateDocument,
  type TextField as TemplateTextField,
} from "~/services/email/templates/template-document";
import {
  previewCustomers,
  sampleOffer,
  sendTemplateTest,
} from "~/services/email/templates/template-editor.server";
import {
  readTemplateForm,
  type TemplateFieldErrors,
} from "~/services/email/templates/template-form.server";
import {
  loadEmailTemplate,
  saveEmailTemplate,
} from "~/services/email/templates/template-store.server";
import { adminContextTransport } from "~/services/shopify/admin-context-transport.server";
import { requireInstalledShop } from "~/services/install.server";

export const meta = pageTitle("titles.emailTemplate");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql, prisma } = getDatabase();
  await refreshShopBrand(sql, shop.id, adminContextTransport(admin), new Date());
  const [document, customers, owner] = await Promise.all([
    loadEmailTemplate(sql, shop.id),
    previewCustomers(sql, shop.id),
    prisma.shop.findUnique({ where: { id: shop.id }, select: { email: true } }),
  ]);
  return { document, customers, testTo: owner?.email ?? "" };
};

type ActionResult =
  | { intent: "save"; ok: true }
  | { intent: "save" | "preview" | "test"; ok: false; errors: TemplateFieldErrors }
  | { intent: "preview"; ok: true; html: string; subject: string; omitted: BlockKind[] }
  | { intent: "test"; ok: true; to: string }
  | { intent: "test" | "preview"; ok: false; message: Message }
  | { intent: "invalid"; ok: false; message: Message };

const INTENTS = new Set(["save", "preview", "test"]);

export const action = async ({
  request,
}: ActionFunctionArgs): Promise<ActionResult | TypedResponse<ActionResult>> => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const read = readTemplateForm(form.document);
  if (!INTENTS.has(intent) || !read) {
    return badRequest({
      intent: "invalid" as const,
      ok: false as const,
      message: message("common.unrecognisedRequest"),
    });
  }
  const kind = intent as "save" | "preview" | "test";
  if (!read.ok) return invalidForm({ intent: kind, ok: false as const, errors: read.errors });
  const { sql } = getDatabase();
  if (kind === "save") {
    await saveEmailTemplate(sql, shop.id, read.document);
    return { intent: "save", ok: true };
  }
  const customerId = parseStorableId(String(form.customerId ?? ""));
  const refuse = (text: Message) =>
    invalidForm({ intent: kind, ok: false as const, message: text });
  if (customerId === null) return refuse(message("emailTemplate.chooseCustomer"));
  const now = new Date();
  const input = {
    sql,
    shopId: shop.id,
    customerId,
    template: read.document,
    locale: typeof form.language === "string" && form.language ? form.language : null,
    now,
  };
  try {
    if (kind === "preview") {
      const email = await renderCustomerEmail({ ...input, offer: sampleOffer(now) });
      return {
        intent: "preview",
        ok: true,
        html: email.html,
        subject: email.subject,
        omitted: email.omitted,
      };
    }
    const to = String(form.testTo ?? "").trim();
    if (!to) return refuse(message("emailTemplate.noTestAddress"));
    await sendTemplateTest({ ...input, to });
    return { intent: "test", ok: true, to };
  } catch (error) {
    if (error instanceof NotFoundError) return refuse(message("emailTemplate.chooseCustomer"));
    if (error instanceof EmailNotConfiguredError) {
      return refuse(message("emailTemplate.setUpMailFirst"));
    }
    if (error instanceof SmtpSendError) {
      return refuse(message("common.verbatim", { text: error.message }));
    }
    throw error;
  }
};

const BLOCK_LABEL: Record<BlockKind, string> = {
  header: "emailTemplate.blocks.header",
  heading: "emailTemplate.blocks.heading",
  text: "emailTemplate.blocks.text",
  products: "emailTemplate.blocks.products",
  discount: "emailTemplate.blocks.discount",
  last_order: "emailTemplate.blocks.lastOrder",
  button: "emailTemplate.blocks.button",
};

/** The chosen blocks in their order, then the others (off) in their usual order. */
const blockRows = (document: TemplateDocument) => [
  ...document.blocks.map((kind) => ({ kind, on: true })),
  ...BLOCK_KINDS.filter((kind) => !document.blocks.includes(kind)).map((kind) => ({
    kind,
    on: false,
  })),
];

/** The email preview's height: about a phone screen of the message. */
const PREVIEW_HEIGHT = "720px";

function EmailTemplateForm({ initial }: { initial: TemplateDocument }) {
  const { customers, testTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const preview = useFetcher<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const formats = useFormats();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const { draft: document, setDraft: setDocument, dirty, discard } = useFormDraft(initial);
  const [language, setLanguage] = useState(initial.defaultLanguage);
  const [customerId, setCustomerId] = useState(customers[0]?.id ?? "");
  const [confirmTest, setConfirmTest] = useState(false);
  useResultToast(
    result,
    result?.intent === "test" && result.ok
      ? message("emailTemplate.testSent", { to: result.to })
      : message("emailTemplate.saved"),
  );

  const serialized = JSON.stringify(document);
  // The preview follows the form, drawn by the server for the chosen customer.
  useEffect(() => {
    if (!customerId) return;
    const timer = setTimeout(
      () =>
        preview.submit(
          { intent: "preview", document: serialized, customerId, language },
          { method: "post" },
        ),
      400,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new fetcher object each render
  }, [serialized, customerId, language]);

  const errors: TemplateFieldErrors = {
    ...(preview.data && !preview.data.ok && "errors" in preview.data ? preview.data.errors : {}),
    ...(result && !result.ok && "errors" in result ? result.errors : {}),
  };
  const notices = Object.fromEntries(
    templateNotices(document).map((notice) => [notice.field, notice.problem]),
  );
  const say = (text: Message | undefined) => (text ? t(text.key, text.values) : undefined);
  const save = () => submit({ intent: "save", document: serialized }, { method: "post" });
  const rows = blockRows(document);
  const setBlocks = (next: typeof rows) =>
    setDocument({ ...document, blocks: next.filter((row) => row.on).map((row) => row.kind) });
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    if (row) next.splice(index + by, 0, row);
    setBlocks(next);
  };
  const texts = document.texts[language] ?? {};
  const setText = (field: TemplateTextField, value: string) =>
    setDocument({
      ...document,
      texts: { ...document.texts, [language]: { ...texts, [field]: value } },
    });
  const brandField = (field: "logoUrl" | "accentColor" | "backgroundColor") => ({
    value: document.brand[field],
    onChange: (value: string) =>
      setDocument({ ...document, brand: { ...document.brand, [field]: value } }),
    error: say(errors[`brand.${field}`]),
    autoComplete: "off",
  });
  const previewData = preview.data?.intent === "preview" ? preview.data : null;
  const testFailure =
    result?.intent === "test" && !result.ok && "message" in result ? result : null;

  return (
    <Page fullWidth>
      <PageTitleBar
        title={t("titles.emailTemplate")}
        back={{ content: t("nav.email"), url: "/app/email-settings" }}
      />
      <UnsavedChangesBar
        id="email-template-save-bar"
        dirty={dirty}
        saving={submitting === "save"}
        onSave={save}
        onDiscard={discard}
      />
      <ConfirmModal
        id="email-template-send-test"
        open={confirmTest}
        title={t("emailTemplate.sendTestQuestion")}
        confirmLabel={t("emailTemplate.sendTest")}
        onConfirm={() =>
          submit(
            { intent: "test", document: serialized, customerId, language, testTo },
            { method: "post" },
          )
        }
        onClose={() => setConfirmTest(false)}
      >
        <p>{t("emailTemplate.sendTestText", { to: testTo })}</p>
      </ConfirmModal>
      <Layout>
        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("emailTemplate.blocksTitle")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("emailTemplate.blocksHelp")}
                </Text>
                {say(errors.blocks) && <Banner tone="critical">{say(errors.blocks)}</Banner>}
                {rows.map((row, index) => (
                  <InlineStack key={row.kind} align="space-between" blockAlign="center">
                    <Checkbox
                      label={t(BLOCK_LABEL[row.kind])}
                      checked={row.on}
                      onChange={(on) =>
                        setBlocks(
                          rows.map((other) => (other.kind === row.kind ? { ...other, on } : other)),
                        )
                      }
                    />
                    <InlineStack gap="100">
                      <Button
                        size="slim"
                        disabled={!row.on || index === 0}
                        onClick={() => move(index, -1)}
                        accessibilityLabel={t("emailTemplate.moveUp", {
                          block: t(BLOCK_LABEL[row.kind]),
                        })}
                      >
                        ↑
                      </Button>
                      <Button
                        size="slim"
                        disabled={!row.on || !rows[index + 1]?.on}
                        onClick={() => move(index, 1)}
                        accessibilityLabel={t("emailTemplate.moveDown", {
                          block: t(BLOCK_LABEL[row.kind]),
                        })}
                      >
                        ↓
                      </Button>
                    </InlineStack>
                  </InlineStack>
                ))}
                <Text as="p" tone="subdued">
                  {t("emailTemplate.footerAlways")}
                </Text>
                <Select
                  label={t("emailTemplate.productCount")}
                  options={Array.from({ length: MAX_PRODUCTS }, (_, i) => ({
                    label: formats.number(i + 1),
                    value: String(i + 1),
                  }))}
                  value={String(document.productCount)}
                  onChange={(value) => setDocument({ ...document, productCount: Number(value) })}
                  error={say(errors.productCount)}
                />
              </BlockStack>
            </Card>
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("emailTemplate.textsTitle")}
                </Text>
                <Select
                  label={t("emailTemplate.language")}
                  helpText={t("emailTemplate.languageHelp")}
                  options={EMAIL_LANGUAGES.map((value) => ({
                    value,
                    label: t(`emailTemplate.languages.${value}`),
                  }))}
                  value={language}
                  onChange={(value) => setLanguage(value as typeof language)}
                />
                {/* A control only while it can do something: a disabled checkbox's help text
                    fails contrast, and a default is changed by choosing another language. */}
                {document.defaultLanguage === language ? (
                  <BlockStack gap="100">
                    <Text as="p" fontWeight="semibold">
                      {t("emailTemplate.defaultLanguage")}
                    </Text>
                    <Text as="p" tone="subdued">
                      {t("emailTemplate.defaultLanguageHelp")}
                    </Text>
                  </BlockStack>
                ) : (
                  <InlineStack gap="200" blockAlign="center">
                    <Button onClick={() => setDocument({ ...document, defaultLanguage: language })}>
                      {t("emailTemplate.makeDefaultLanguage")}
                    </Button>
                    <Text as="span" tone="subdued">
                      {t("emailTemplate.defaultLanguageHelp")}
                    </Text>
                  </InlineStack>
                )}
                {TEXT_FIELDS.map((field) => (
                  // The texts are in the email's language, which may run the other way than
                  // the admin's: each field follows its own text (rtl.css, data-direction).
                  <div key={`${language}.${field}`} data-direction="auto">
                    <TextField
                      label={t(`emailTemplate.fields.${field}`)}
                      value={texts[field] ?? ""}
                      placeholder={BUILT_IN_TEXTS[language][field]}
                      onChange={(value) => setText(field, value)}
                      multiline={field === "text" ? 4 : undefined}
                      helpText={field === "text" ? t("emailTemplate.textHelp") : undefined}
                      error={say(errors[`texts.${language}.${field}`])}
                      autoComplete="off"
                    />
                  </div>
                ))}
                <Text as="p" tone="subdued">
                  {t("emailTemplate.placeholders", { list: placeholderList(t) })}
                </Text>
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("emailTemplate.brandTitle")}
                </Text>
                {/* An address and colour codes: left to right on any page (rtl.css). */}
                <div data-direction="auto">
                  <TextField
                    label={t("emailTemplate.logoUrl")}
                    placeholder="https://cdn.shopify.com/…/logo.png"
                    helpText={say(notices["brand.logoUrl"]) ?? t("emailTemplate.logoHelp")}
                    {...brandField("logoUrl")}
                  />
                  <FormLayout.Group>
                    <TextField
                      label={t("emailTemplate.accentColor")}
                      {...brandField("accentColor")}
                    />
                    <TextField
                      label={t("emailTemplate.backgroundColor")}
                      {...brandField("backgroundColor")}
                    />
                  </FormLayout.Group>
                </div>
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("emailTemplate.previewTitle")}
              </Text>
              <Select
                label={t("emailTemplate.previewFor")}
                options={
                  customers.length > 0
                    ? customers.map((customer) => ({ value: customer.id, label: customer.label }))
                    : [{ value: "", label: t("emailTemplate.noCustomers") }]
                }
                value={customerId}
                onChange={setCustomerId}
              />
              {previewData && !previewData.ok && "message" in previewData && (
                <Banner tone="warning">{say(previewData.message)}</Banner>
              )}
              {/* Room for the preview from the start: it is drawn by the server after the page
                  has loaded, and would push the test button down as it arrived. */}
              <div style={{ minHeight: `calc(${PREVIEW_HEIGHT} + 2rem)` }}>
                {previewData?.ok && (
                  <BlockStack gap="300">
                    <Text as="p">
                      {t("emailTemplate.subjectLine", { subject: previewData.subject })}
                    </Text>
                    {previewData.omitted.length > 0 && (
                      <Text as="p" tone="subdued">
                        {t("emailTemplate.omitted", {
                          blocks: formats.list(
                            previewData.omitted.map((kind) => t(BLOCK_LABEL[kind])),
                          ),
                        })}
                      </Text>
                    )}
                    <iframe
                      title={t("emailTemplate.previewTitle")}
                      srcDoc={previewData.html}
                      sandbox=""
                      style={{ width: "100%", height: PREVIEW_HEIGHT, border: "1px solid #e1e3e5" }}
                    />
                  </BlockStack>
                )}
              </div>
              {testFailure && (
                <Banner tone="critical" title={t("emailTemplate.testNotSent")}>
                  <p>{say(testFailure.message)}</p>
                </Banner>
              )}
              <InlineStack>
                <Button
                  onClick={() => setConfirmTest(true)}
                  loading={submitting === "test"}
                  disabled={!customerId || !testTo}
                >
                  {t("emailTemplate.sendTest")}
                </Button>
              </InlineStack>
              {!testTo && (
                <Text as="p" tone="subdued">
                  {t("emailTemplate.noTestAddress")}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <PageHelp page="emailTemplate" title={t("titles.emailTemplate")} />
    </Page>
  );
}

export default function EmailTemplatePage() {
  const { document } = useLoaderData<typeof loader>();
  // A new key when the saved template changes resets the form to it.
  return (
    <EmailTemplateForm
      key={JSON.stringify(document)}
      initial={document as SerializeFrom<typeof loader>["document"] & TemplateDocument}
    />
  );
}
