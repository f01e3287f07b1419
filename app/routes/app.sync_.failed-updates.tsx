import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { badRequest } from "~/routes/http/answers.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
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
  z.object({ intent: z.literal("retry"), id: z.string().regex(/^\d{1,19}$/) }),
  z.object({ intent: z.literal("retry-all") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success) return badRequest({ ok: false, message: "That request wasn't understood." });
  const retried = await retryDeadEvents(
    getDatabase().sql,
    session.shop,
    input.data.intent === "retry" ? [input.data.id] : "all",
  );
  if (retried === 0) return { ok: false, message: "Nothing to retry: it was already queued." };
  return {
    ok: true,
    message:
      retried === 1
        ? "1 update will be applied again in a moment."
        : `${retried.toLocaleString()} updates will be applied again in a moment.`,
  };
};

export default function FailedUpdatesPage() {
  const { total, letters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page
      title="Updates that could not be applied"
      subtitle="Changes from your store that Rekindle could not save, and why"
      backAction={{ content: "Sync", url: "/app/sync" }}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "warning"}>
              <p>{result.message}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            {letters.length === 0 ? (
              <Text as="p">None: every update from your store was applied.</Text>
            ) : (
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="p">
                    {total > letters.length
                      ? `The newest ${letters.length} of ${total.toLocaleString()}.`
                      : `${total.toLocaleString()} in all.`}{" "}
                    Retrying applies an update again once its data can be saved.
                  </Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry-all" />
                    <Button submit variant="primary" loading={busy}>
                      Retry all
                    </Button>
                  </Form>
                </InlineStack>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Update", "Received", "Why it could not be applied", ""]}
                  rows={letters.map((letter) => [
                    letter.what,
                    new Date(letter.receivedAt).toLocaleString(),
                    letter.reason,
                    <Form method="post" key={letter.id}>
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="id" value={letter.id} />
                      <Button submit size="slim" disabled={busy}>
                        Retry
                      </Button>
                    </Form>,
                  ])}
                />
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
