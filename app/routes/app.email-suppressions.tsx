import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { message, type Message } from "~/i18n/message";
import { useFormats } from "~/i18n/format";
import type { ActionFunctionArgs, LoaderFunctionArgs, TypedResponse } from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { withoutNul } from "~/lib/form-text";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PagedIndexTable } from "~/components/admin/PagedIndexTable";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useResultToast } from "~/components/admin/use-result-toast";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import {
  listSuppressions,
  removeSuppression,
  suppressAddress,
} from "~/services/email/suppression.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("titles.emailSuppressions");

const PAGE_SIZE = 50;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const url = new URL(request.url);
  const search = withoutNul(url.searchParams.get("q") ?? "").slice(0, 254);
  const pageNumber = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
  const page = await listSuppressions(getDatabase().sql, shop.id, {
    search,
    limit: PAGE_SIZE,
    offset: (pageNumber - 1) * PAGE_SIZE,
  });
  return { ...page, search, pageNumber, pages: Math.max(1, Math.ceil(page.total / PAGE_SIZE)) };
};

// The merchant adds what their provider reports outside the app: complaints and bounces.
const addForm = z.object({
  email: z.string().trim().toLowerCase().max(254).email(),
  reason: z.enum(["complaint", "hard_bounce"]),
});
const removeForm = z.object({ email: z.string().trim().toLowerCase().max(254).email() });

type ActionResult =
  | { intent: "add"; ok: true; message: Message }
  | { intent: "add"; ok: false; error: Message }
  | { intent: "remove"; ok: boolean; message: Message };

export const action = async ({
  request,
}: ActionFunctionArgs): Promise<ActionResult | TypedResponse<ActionResult>> => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const form = Object.fromEntries(await request.formData());
  const { sql } = getDatabase();
  if (form.intent === "remove") {
    const parsed = removeForm.safeParse(form);
    if (!parsed.success) {
      return invalidForm({
        intent: "remove" as const,
        ok: false,
        message: message("suppressions.notAnAddress"),
      });
    }
    const removed = await removeSuppression(sql, shop.id, parsed.data.email);
    return {
      intent: "remove",
      ok: removed,
      message: removed
        ? message("suppressions.removed", { email: parsed.data.email })
        : message("suppressions.notListed", { email: parsed.data.email }),
    };
  }
  const parsed = addForm.safeParse(form);
  if (!parsed.success) {
    return invalidForm({
      intent: "add" as const,
      ok: false as const,
      error: message("suppressions.notAnAddress"),
    });
  }
  const added = await suppressAddress(sql, shop.id, parsed.data);
  return {
    intent: "add",
    ok: true,
    message: added
      ? message("suppressions.added", { email: parsed.data.email })
      : message("suppressions.alreadyListed", { email: parsed.data.email }),
  };
};

export default function EmailSuppressionsPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const formats = useFormats();
  const [search, setSearch] = useState(page.search);
  const [newEmail, setNewEmail] = useState("");
  const [newReason, setNewReason] = useState("complaint");
  const [removing, setRemoving] = useState<string | null>(null);
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  useResultToast(result?.intent === "add" && !result.ok ? undefined : result, undefined, "toast");
  const pageLink = (pageNumber: number) => {
    const params = new URLSearchParams(searchParams);
    params.set("page", String(pageNumber));
    return `?${params.toString()}`;
  };

  return (
    <Page>
      <PageTitleBar
        title={t("titles.emailSuppressions")}
        back={{ content: t("titles.emailSettings"), url: "/app/email-settings" }}
      />
      <ConfirmModal
        id="email-suppression-remove"
        open={removing !== null}
        title={t("suppressions.removeQuestion")}
        confirmLabel={t("suppressions.remove")}
        destructive
        onConfirm={() => submit({ intent: "remove", email: removing ?? "" }, { method: "post" })}
        onClose={() => setRemoving(null)}
      >
        <p>{t("suppressions.removeText", { email: removing ?? "" })}</p>
      </ConfirmModal>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p">{t("suppressions.description")}</Text>
            <InlineStack gap="400">
              {(["hard_bounce", "complaint", "unsubscribe"] as const).map((reason) => (
                <Text as="span" key={reason}>
                  {t(`suppressions.reasonCount.${reason}`, {
                    value: formats.number(page.counts[reason]),
                  })}
                </Text>
              ))}
            </InlineStack>
            <Card>
              <Form method="get">
                <InlineStack gap="200" blockAlign="end">
                  <div style={{ flexGrow: 1 }}>
                    <TextField
                      label={t("suppressions.search")}
                      name="q"
                      value={search}
                      onChange={setSearch}
                      autoComplete="off"
                    />
                  </div>
                  <Button submit>{t("suppressions.searchButton")}</Button>
                </InlineStack>
              </Form>
            </Card>
            <PagedIndexTable
              resourceName={{
                singular: t("suppressions.resourceSingular"),
                plural: t("suppressions.resourcePlural"),
              }}
              itemCount={page.entries.length}
              pagination={{
                hasPrevious: page.pageNumber > 1,
                previousURL: pageLink(page.pageNumber - 1),
                hasNext: page.pageNumber < page.pages,
                nextURL: pageLink(page.pageNumber + 1),
                label: t("suppressions.pageOf", { page: page.pageNumber, pages: page.pages }),
              }}
              emptyState={
                <EmptyState heading={t("suppressions.emptyTitle")} image="">
                  <p>{t("suppressions.emptyText")}</p>
                </EmptyState>
              }
              headings={[
                { title: t("suppressions.address") },
                { title: t("suppressions.reason") },
                { title: t("suppressions.since") },
                { title: t("suppressions.actions"), alignment: "end" },
              ]}
            >
              {page.entries.map((entry, index) => (
                <IndexTable.Row id={entry.email} key={entry.email} position={index}>
                  <IndexTable.Cell>{entry.email}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack>
                      <Text as="span">{t(`suppressions.reasons.${entry.reason}`)}</Text>
                      {entry.detail && (
                        <Text as="span" tone="subdued">
                          {t("suppressions.serverSaid", { reply: entry.detail })}
                        </Text>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{formats.dateTime(entry.createdAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack align="end">
                      <Button
                        variant="plain"
                        tone="critical"
                        onClick={() => setRemoving(entry.email)}
                        loading={submitting === "remove" && removing === entry.email}
                        accessibilityLabel={t("suppressions.removeLabel", {
                          email: entry.email,
                        })}
                      >
                        {t("suppressions.remove")}
                      </Button>
                    </InlineStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </PagedIndexTable>
          </BlockStack>
        </Layout.Section>
        <Layout.AnnotatedSection
          title={t("suppressions.addTitle")}
          description={t("suppressions.addDescription")}
        >
          <BlockStack gap="300">
            {result?.intent === "add" && !result.ok && (
              <Banner tone="critical">
                <p>{t(result.error.key, result.error.values)}</p>
              </Banner>
            )}
            <Card>
              <FormLayout>
                <TextField
                  label={t("suppressions.address")}
                  type="email"
                  value={newEmail}
                  onChange={setNewEmail}
                  autoComplete="off"
                />
                <Select
                  label={t("suppressions.reason")}
                  options={[
                    { label: t("suppressions.reasons.complaint"), value: "complaint" },
                    { label: t("suppressions.reasons.hard_bounce"), value: "hard_bounce" },
                  ]}
                  value={newReason}
                  onChange={setNewReason}
                />
                <InlineStack>
                  <Button
                    onClick={() =>
                      submit(
                        { intent: "add", email: newEmail, reason: newReason },
                        { method: "post" },
                      )
                    }
                    loading={submitting === "add"}
                    disabled={!newEmail.trim()}
                  >
                    {t("suppressions.add")}
                  </Button>
                </InlineStack>
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
      <PageHelp page="emailSuppressions" title={t("titles.emailSuppressions")} />
    </Page>
  );
}
