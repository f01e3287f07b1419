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
import { topicLabel } from "~/services/sync/topic-labels";
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
  if (!input.success) return badRequest({ ok: false, message: "Unrecognised request" });
  const shop = await requireInstalledShop(session);
  const started = await requestBackfill(getDatabase().sql, shop.id);
  return { ok: true, message: started ? "Full sync started" : "A full sync is already running" };
};

const percent = (done: number, total: number) =>
  total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;

export default function SyncPage() {
  const { status } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Sync" subtitle="How Rekindle keeps up with your store">
      <Layout>
        {!status.hasAllOrdersAccess && (
          <Layout.Section>
            <Banner tone="info" title="Order history is limited to the last 60 days">
              <p>
                Shopify shares older orders only with apps granted access to all orders. Until then,
                analytics start from the last 60 days of orders.
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Full sync
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="backfill" />
                  <Button submit loading={busy}>
                    Sync everything again
                  </Button>
                </Form>
              </InlineStack>
              {status.backfill.length === 0 && <Text as="p">No full sync has run yet.</Text>}
              {status.backfill.map((job) => (
                <BlockStack gap="100" key={job.resource}>
                  <InlineStack align="space-between">
                    <Text as="span" variant="bodyMd" fontWeight="semibold">
                      {job.resource}
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
                      {job.status}
                    </Badge>
                  </InlineStack>
                  <ProgressBar
                    progress={
                      job.status === "done" ? 100 : percent(job.linesCommitted, job.objectCount)
                    }
                    size="small"
                  />
                  <Text as="p" tone="subdued">
                    {job.linesCommitted.toLocaleString()} of {job.objectCount.toLocaleString()}{" "}
                    records
                    {job.etaSeconds !== null
                      ? ` · about ${Math.ceil(job.etaSeconds / 60)} min left`
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
                Live updates
              </Text>
              <Text as="p">
                Waiting to apply: {status.backlog.pending} · retrying: {status.backlog.failed}
              </Text>
              <DataTable
                columnContentTypes={["text", "text"]}
                headings={["Update", "Last received"]}
                rows={status.lastWebhookByTopic.map((row) => [
                  topicLabel(row.topic),
                  new Date(row.receivedAt).toLocaleString(),
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Updates that could not be applied
              </Text>
              {status.deadLetterCount === 0 ? (
                <Text as="p">None: every update from your store was applied.</Text>
              ) : (
                <BlockStack gap="200">
                  <Text as="p">
                    {status.deadLetterCount === 1
                      ? "1 update from your store could not be applied."
                      : `${status.deadLetterCount.toLocaleString()} updates from your store could not be applied.`}
                  </Text>
                  <InlineStack>
                    <Button url="/app/sync/failed-updates">Review and retry</Button>
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
