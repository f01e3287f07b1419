import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/routes/http/answers.server";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { requestBackfill } from "~/services/sync/backfill.server";
import { getSyncStatus } from "~/services/sync/sync-status.server";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { message } from "~/i18n/message";
import { useTopicLabel } from "~/components/sync/topic-label";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("nav.sync");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  return { status: await getSyncStatus(session.shop) };
};

const actionInput = z.object({ intent: z.literal("backfill") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success)
    return badRequest({ ok: false, message: message("common.unrecognisedRequest") });
  const shop = await requireInstalledShop(session);
  const started = await requestBackfill(getDatabase().sql, shop.id);
  return {
    ok: true,
    message: message(started ? "sync.started" : "sync.alreadyRunning"),
  };
};

const percent = (done: number, total: number) =>
  total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;

export default function SyncPage() {
  const { status } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  const topicLabel = useTopicLabel();
  const known = (group: string, key: string) =>
    i18n.exists(`${group}.${key}`) ? t(`${group}.${key}`) : key;
  return (
    <Page title={t("nav.sync")} subtitle={t("sync.subtitle")}>
      <Layout>
        {!status.hasAllOrdersAccess && (
          <Layout.Section>
            <Banner tone="info" title={t("sync.limitedTitle")}>
              <p>{t("sync.limitedText")}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  {t("sync.fullSync")}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="backfill" />
                  <Button submit loading={busy}>
                    {t("sync.syncAgain")}
                  </Button>
                </Form>
              </InlineStack>
              {status.backfill.length === 0 && <Text as="p">{t("sync.noFullSync")}</Text>}
              {status.backfill.map((job) => (
                <BlockStack gap="100" key={job.resource}>
                  <InlineStack align="space-between">
                    <Text as="span" variant="bodyMd" fontWeight="semibold">
                      {known("sync.resource", job.resource)}
                    </Text>
                    <Badge
                      tone={
                        job.status === "done"
                          ? "success"
                          : job.status === "failed"
                            ? "critical"
                            : "attention"
                      }
                    >
                      {known("sync.jobStatus", job.status)}
                    </Badge>
                  </InlineStack>
                  <ProgressBar
                    progress={
                      job.status === "done" ? 100 : percent(job.linesCommitted, job.objectCount)
                    }
                    size="small"
                  />
                  <Text as="p" tone="subdued">
                    {t("sync.records", {
                      done: formats.number(job.linesCommitted),
                      total: formats.number(job.objectCount),
                    })}
                    {job.etaSeconds !== null
                      ? ` · ${t("sync.minutesLeft", { count: Math.ceil(job.etaSeconds / 60) })}`
                      : ""}
                    {job.error ? ` · ${job.error}` : ""}
                  </Text>
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("sync.liveUpdates")}
              </Text>
              <Text as="p">
                {t("sync.backlog", {
                  pending: formats.number(status.backlog.pending),
                  failed: formats.number(status.backlog.failed),
                })}
              </Text>
              <DataTable
                columnContentTypes={["text", "text"]}
                headings={[t("sync.update"), t("sync.lastReceived")]}
                rows={status.lastWebhookByTopic.map((row) => [
                  topicLabel(row.topic),
                  formats.dateTime(row.receivedAt),
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("titles.failedUpdates")}
              </Text>
              {status.deadLetterCount === 0 ? (
                <Text as="p">{t("sync.noFailures")}</Text>
              ) : (
                <BlockStack gap="200">
                  <Text as="p">
                    {t("sync.failures", {
                      count: status.deadLetterCount,
                      formattedCount: formats.number(status.deadLetterCount),
                    })}
                  </Text>
                  <InlineStack>
                    <Button url="/app/sync/failed-updates">{t("sync.reviewAndRetry")}</Button>
                  </InlineStack>
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
