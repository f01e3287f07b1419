import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/routes/http/answers.server";
import {
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { requestBackfill } from "~/services/sync/backfill.server";
import { getShopOverview } from "~/services/shop-overview.server";
import { getSyncStatus } from "~/services/sync/sync-status.server";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { message } from "~/i18n/message";
import { PageHelp } from "~/components/admin/PageHelp";
import { useImportProgressText } from "~/components/sync/import-progress";
import { useTopicLabel } from "~/components/sync/topic-label";
import { useResultToast } from "~/components/admin/use-result-toast";
import { useRefreshWhile } from "~/components/use-refresh-while";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("nav.sync");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const [status, stored] = await Promise.all([
    getSyncStatus(session.shop),
    getShopOverview(session.shop),
  ]);
  return { status, stored };
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

/** How often the page reloads while a sync runs. */
const SYNC_REFRESH_MS = 3000;

const JOB_TONES = { done: "success", failed: "critical" } as const;

export default function SyncPage() {
  const { status, stored } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const { t } = useTranslation();
  const formats = useFormats();
  const topicLabel = useTopicLabel();
  const progressText = useImportProgressText();
  const backfill = status.backfill;
  const running = backfill.state === "running";
  const nextJob = backfill.jobs.find((job) => job.status !== "done");
  const starting = navigation.state !== "idle" && navigation.formMethod === "POST";
  useRefreshWhile(running, SYNC_REFRESH_MS);
  useResultToast(useActionData<typeof action>(), undefined, "toast");
  const openConfirm = () => setConfirming(true);
  const startSync = () => {
    setConfirming(false);
    submit({ intent: "backfill" }, { method: "post" });
  };
  const storedCount: Record<string, number> = {
    customers: stored.customers,
    products: stored.products,
    orders: stored.orders,
  };
  return (
    <Page>
      <TitleBar title={t("nav.sync")}>
        <button variant="primary" onClick={openConfirm} disabled={running || starting}>
          {t("sync.syncAgain")}
        </button>
        {status.deadLetterCount > 0 && (
          <button onClick={() => navigate("/app/sync/failed-updates")}>
            {t("titles.failedUpdates")}
          </button>
        )}
      </TitleBar>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("sync.confirmTitle")}
        primaryAction={{ content: t("sync.confirmStart"), onAction: startSync }}
        secondaryActions={[{ content: t("common.cancel"), onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("sync.confirmText")}</Text>
        </Modal.Section>
      </Modal>
      <Layout>
        {!status.hasAllOrdersAccess && (
          <Layout.Section>
            <Banner tone="info" title={t("sync.limitedTitle")}>
              <p>{t("sync.limitedText")}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          {backfill.state === "notStarted" ? (
            <Card>
              <BlockStack gap="300" inlineAlign="start">
                <Text as="h2" variant="headingMd">
                  {t("sync.noFullSync")}
                </Text>
                <Text as="p">{t("sync.noFullSyncNext")}</Text>
                <Button variant="primary" onClick={openConfirm} loading={starting}>
                  {t("sync.startFirst")}
                </Button>
              </BlockStack>
            </Card>
          ) : (
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("sync.fullSync")}
                  </Text>
                  <Text as="span" tone="subdued" id="sync-overall">
                    {running && backfill.percent > 0
                      ? progressText.saved(backfill.percent, backfill.etaSeconds)
                      : t(`sync.overall.${backfill.state}`)}
                  </Text>
                </InlineStack>
                {running && (
                  <Text as="p" tone="subdued">
                    {t("sync.refreshesItself")}
                  </Text>
                )}
                {backfill.jobs.map((job) => (
                  <BlockStack gap="100" key={job.resource} id={`sync-job-${job.resource}`}>
                    <InlineStack align="space-between">
                      <Text as="span" variant="bodyMd" fontWeight="semibold">
                        {t(`sync.resource.${job.resource}`)}
                      </Text>
                      <Badge
                        tone={
                          job.status === "done" || job.status === "failed"
                            ? JOB_TONES[job.status]
                            : "attention"
                        }
                      >
                        {t(`sync.jobStatus.${job.status}`)}
                      </Badge>
                    </InlineStack>
                    <ProgressBar progress={job.percent} size="small" />
                    <Text as="p" tone="subdued">
                      {progressText.job(job, job === nextJob)}
                      {job.resource in storedCount
                        ? ` · ${t("sync.inRekindle", { stored: formats.number(storedCount[job.resource] ?? 0) })}`
                        : ""}
                    </Text>
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          )}
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
              {status.lastWebhookByTopic.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("sync.noLiveUpdates")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text"]}
                  headings={[t("sync.update"), t("sync.lastReceived")]}
                  rows={status.lastWebhookByTopic.map((row) => [
                    topicLabel(row.topic),
                    formats.dateTime(row.receivedAt),
                  ])}
                />
              )}
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
      <PageHelp page="sync" title={t("nav.sync")} />
    </Page>
  );
}
