import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { message } from "~/i18n/message";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/routes/http/answers.server";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { isDatabaseId } from "~/lib/shopify-id";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useResultToast } from "~/components/admin/use-result-toast";
import { useStoredMessage } from "~/components/admin/use-stored-message";
import { useTopicLabel } from "~/components/sync/topic-label";
import { getDatabase } from "~/db.server";
import { countDeadLetters, listDeadLetters } from "~/services/sync/dead-letters.server";
import { retryDeadEvents } from "~/services/sync/inbox-queue.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

const SHOWN = 100;

export const meta = pageTitle("titles.failedUpdates");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const { sql } = getDatabase();
  const [total, letters] = await Promise.all([
    countDeadLetters(sql, session.shop),
    listDeadLetters(sql, session.shop, SHOWN),
  ]);
  return { total, letters };
};

const actionInput = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry"), id: z.string().refine(isDatabaseId) }),
  z.object({ intent: z.literal("retry-all") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success)
    return badRequest({ ok: false, message: message("common.unrecognisedRequest") });
  const retried = await retryDeadEvents(
    getDatabase().sql,
    session.shop,
    input.data.intent === "retry" ? [input.data.id] : "all",
  );
  if (retried === 0) return { ok: false, message: message("failedUpdates.nothingToRetry") };
  return { ok: true, message: message("failedUpdates.retried", { count: retried }) };
};

export default function FailedUpdatesPage() {
  const { total, letters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [confirmAll, setConfirmAll] = useState(false);
  const { t } = useTranslation();
  const formats = useFormats();
  const topicLabel = useTopicLabel();
  const storedMessage = useStoredMessage();
  useResultToast(result);
  const retryAll = {
    content: t("failedUpdates.retryAll"),
    onAction: () => setConfirmAll(true),
    disabled: letters.length === 0,
    loading: busy,
  };
  return (
    <Page>
      <PageTitleBar
        title={t("titles.failedUpdates")}
        back={{ content: t("nav.sync"), url: "/app/sync" }}
        primaryAction={letters.length > 0 ? retryAll : undefined}
      />
      <ConfirmModal
        id="failed-updates-retry-all"
        open={confirmAll}
        title={t("failedUpdates.retryAllQuestion", {
          count: total,
          formattedCount: formats.number(total),
        })}
        confirmLabel={t("failedUpdates.retryAll")}
        onConfirm={() => submit({ intent: "retry-all" }, { method: "post" })}
        onClose={() => setConfirmAll(false)}
      >
        <p>{t("failedUpdates.retryAllText")}</p>
      </ConfirmModal>
      <Layout>
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("failedUpdates.subtitle")}
          </Text>
        </Layout.Section>
        {result && !result.ok && (
          <Layout.Section>
            <Banner tone="warning">
              <p>{t(result.message.key, result.message.values)}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            {letters.length === 0 ? (
              <EmptyState
                heading={t("sync.noFailures")}
                action={{ content: t("failedUpdates.backToSync"), url: "/app/sync" }}
                image=""
              >
                <p>{t("failedUpdates.emptyText")}</p>
              </EmptyState>
            ) : (
              <BlockStack gap="400">
                <Text as="p">
                  {total > letters.length
                    ? t("failedUpdates.newestOf", {
                        shown: formats.number(letters.length),
                        total: formats.number(total),
                      })
                    : t("failedUpdates.inAll", { total: formats.number(total) })}{" "}
                  {t("failedUpdates.retryHelp")}
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={[
                    t("sync.update"),
                    t("failedUpdates.received"),
                    t("failedUpdates.why"),
                    "",
                  ]}
                  rows={letters.map((letter) => [
                    topicLabel(letter.topic),
                    formats.dateTime(letter.receivedAt),
                    storedMessage(letter.reason, "failedUpdates.unexplained"),
                    <Form method="post" key={letter.id}>
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="id" value={letter.id} />
                      <Button submit size="slim" disabled={busy}>
                        {t("failedUpdates.retry")}
                      </Button>
                    </Form>,
                  ])}
                />
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      <PageHelp page="failedUpdates" title={t("titles.failedUpdates")} />
    </Page>
  );
}
