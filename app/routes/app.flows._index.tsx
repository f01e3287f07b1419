import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { z } from "zod";
import { isDatabaseId } from "~/lib/shopify-id";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useResultToast, type ActionAnswer } from "~/components/admin/use-result-toast";
import { EmailPerformanceLine, OpensUnreliableNote } from "~/components/email/EmailPerformance";
import { FlowStepLine, FlowTriggerText } from "~/components/flows/flow-text";
import { SendTimingCard } from "~/components/flows/SendTimingCard";
import { getDatabase } from "~/db.server";
import { message } from "~/i18n/message";
import {
  totalPerformance,
  type StepVariantPerformance,
} from "~/services/email/tracking/email-performance";
import { flowStepPerformance } from "~/services/email/tracking/email-performance.server";
import { FLOW_TEMPLATE_KEYS, flowNameIn } from "~/services/flows/flow-templates";
import {
  createFlowFromTemplate,
  listFlows,
  setFlowActive,
} from "~/services/flows/flow-store.server";
import { requireInstalledShop } from "~/services/install.server";
import {
  getSendTiming,
  parseSendTimingForm,
  saveSendTiming,
  type SendTimingErrors,
} from "~/services/send-timing/send-timing-settings.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { invalidForm, rethrowNotFoundAs404 } from "~/routes/http/answers.server";

export const meta = pageTitle("nav.flows");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const [flows, performance, sendTiming] = await Promise.all([
    listFlows(sql, shop.id),
    flowStepPerformance(sql, shop.id),
    getSendTiming(sql, shop.id),
  ]);
  return {
    flows: flows.map((flow) => ({ ...flow, id: flow.id.toString() })),
    performance,
    currency: shop.currency,
    templates: FLOW_TEMPLATE_KEYS,
    sendTiming,
    timeZone: shop.ianaTimezone,
  };
};

const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), template: z.enum(FLOW_TEMPLATE_KEYS) }),
  z.object({ intent: z.enum(["turnOn", "turnOff"]), flowId: z.string().refine(isDatabaseId) }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const fields = Object.fromEntries(await request.formData());
  if (fields.intent === "sendTiming") {
    const parsed = parseSendTimingForm(fields);
    if (!parsed.ok) return invalidForm({ ok: false, errors: parsed.errors });
    await saveSendTiming(getDatabase().sql, shop.id, parsed.settings);
    return { ok: true, message: message("sendTiming.saved") };
  }
  const form = actionForm.safeParse(fields);
  if (!form.success) {
    return invalidForm<ActionAnswer>({ ok: false, message: message("common.unrecognisedRequest") });
  }
  const { sql } = getDatabase();
  switch (form.data.intent) {
    case "create":
      await createFlowFromTemplate(sql, shop.id, form.data.template);
      return { ok: true, message: message("flows.created") };
    case "turnOn":
    case "turnOff": {
      const on = form.data.intent === "turnOn";
      await setFlowActive(sql, shop.id, BigInt(form.data.flowId), on).catch(rethrowNotFoundAs404);
      return { ok: true, message: message(on ? "flows.turnedOn" : "flows.turnedOff") };
    }
  }
};

type FlowView = ReturnType<typeof useLoaderData<typeof loader>>["flows"][number];

function FlowCard({
  flow,
  performance,
  currency,
  onTurnOn,
}: {
  flow: FlowView;
  /** This flow's rows. */
  performance: readonly StepVariantPerformance[];
  currency: string;
  onTurnOn: (id: string) => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  const submit = useSubmit();
  const on = flow.status === "active";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              <Link to={`/app/flows/${flow.id}`}>
                {flowNameIn(flow, (key) => t(`flows.template.${key}.name`))}
              </Link>
            </Text>
            <Badge tone={on ? "success" : undefined}>{t(`flows.status.${flow.status}`)}</Badge>
          </InlineStack>
          {on ? (
            <Button
              onClick={() => submit({ intent: "turnOff", flowId: flow.id }, { method: "post" })}
            >
              {t("flows.turnOff")}
            </Button>
          ) : (
            <Button variant="primary" onClick={() => onTurnOn(flow.id)}>
              {t("flows.turnOn")}
            </Button>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          <FlowTriggerText trigger={flow.trigger} />
        </Text>
        <Text as="p">
          {t("flows.runCounts", {
            entered: flow.entered,
            inFlow: flow.inFlow,
            finished: flow.finished,
            exited: flow.exited,
          })}
        </Text>
        {flow.failed > 0 && (
          <Text as="p" tone="critical">
            {t("flows.exitReason.retries_exhausted", { count: flow.failed })}
          </Text>
        )}
        {performance.length > 0 && (
          <EmailPerformanceLine performance={totalPerformance(performance)} currency={currency} />
        )}
        <BlockStack gap="100" as="ol">
          {flow.steps.map((step, index) => {
            const stepRows = performance.filter((row) => row.stepIndex === index);
            return (
              <BlockStack as="li" key={index} gap="050">
                <InlineStack align="space-between" gap="200">
                  <Text as="span">
                    {formats.number(index + 1)}. <FlowStepLine step={step} />
                  </Text>
                  <Text as="span" tone="subdued">
                    {t("flows.stepCounts", flow.stepCounts[index] ?? {})}
                  </Text>
                </InlineStack>
                {stepRows.length > 0 && (
                  <EmailPerformanceLine
                    performance={totalPerformance(stepRows)}
                    currency={currency}
                  />
                )}
              </BlockStack>
            );
          })}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

export default function FlowsPage() {
  const { flows, templates, performance, currency, sendTiming, timeZone } =
    useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as
    (ActionAnswer & { errors?: SendTimingErrors }) | undefined;
  const { t } = useTranslation();
  const submit = useSubmit();
  const [confirming, setConfirming] = useState<string | null>(null);
  useResultToast(answer, undefined, "toast");
  return (
    <Page>
      <PageTitleBar title={t("nav.flows")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {flows.length === 0 && (
              <Card>
                <Text as="p">{t("flows.empty")}</Text>
              </Card>
            )}
            {flows.map((flow) => (
              <FlowCard
                key={flow.id}
                flow={flow}
                performance={performance.filter((row) => row.flowId === flow.id)}
                currency={currency}
                onTurnOn={setConfirming}
              />
            ))}
            {performance.length > 0 && <OpensUnreliableNote />}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("flows.templatesTitle")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("flows.templatesText")}
                </Text>
                {templates.map((key) => (
                  <InlineStack
                    key={key}
                    align="space-between"
                    blockAlign="center"
                    gap="200"
                    wrap={false}
                  >
                    <BlockStack>
                      <Text as="span" fontWeight="semibold">
                        {t(`flows.template.${key}.name`)}
                      </Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {t(`flows.template.${key}.text`)}
                      </Text>
                    </BlockStack>
                    <Button
                      onClick={() =>
                        submit({ intent: "create", template: key }, { method: "post" })
                      }
                    >
                      {t("flows.useTemplate")}
                    </Button>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
            <SendTimingCard saved={sendTiming} timeZone={timeZone} errors={answer?.errors ?? {}} />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ConfirmModal
        id="turn-on-flow"
        open={confirming !== null}
        title={t("flows.confirmOnTitle")}
        confirmLabel={t("flows.turnOn")}
        onConfirm={() =>
          confirming && submit({ intent: "turnOn", flowId: confirming }, { method: "post" })
        }
        onClose={() => setConfirming(null)}
      >
        {t("flows.confirmOnText")}
      </ConfirmModal>
      <PageHelp page="flows" title={t("nav.flows")} />
    </Page>
  );
}
