import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { useResultToast, type ActionAnswer } from "~/components/admin/use-result-toast";
import { FlowStepLine, FlowTriggerText } from "~/components/flows/flow-text";
import { getDatabase } from "~/db.server";
import { InvalidInputError } from "~/lib/errors";
import { parseJsonExact } from "~/lib/parse-json-exact";
import { message } from "~/i18n/message";
import type { FlowStep } from "~/services/flows/flow-definition";
import { getFlow, saveFlowSteps } from "~/services/flows/flow-store.server";
import { requireInstalledShop } from "~/services/install.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { idParamOr404, invalidForm } from "~/routes/http/answers.server";

export const meta = pageTitle("nav.flows");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const flow = await getFlow(getDatabase().sql, shop.id, idParamOr404(params.id));
  if (!flow) throw new Response(null, { status: 404 });
  return { flow: { ...flow, id: flow.id.toString() } };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const flowId = idParamOr404(params.id);
  const form = await request.formData();
  const steps = parseJsonExact(String(form.get("steps") ?? ""));
  try {
    await saveFlowSteps(getDatabase().sql, shop.id, flowId, steps);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return invalidForm<ActionAnswer>({ ok: false, message: message("flows.editor.invalid") });
  }
  return { ok: true, message: message("flows.saved") } satisfies ActionAnswer;
};

/** The fields of one step the merchant can change here: email texts and wait hours. */
function StepFields({
  step,
  index,
  onChange,
}: {
  step: FlowStep;
  index: number;
  onChange: (step: FlowStep) => void;
}) {
  const { t } = useTranslation();
  if (step.kind === "email") {
    return (
      <BlockStack gap="200">
        <TextField
          label={t("flows.editor.subject")}
          value={step.subject}
          onChange={(subject) => onChange({ ...step, subject })}
          autoComplete="off"
        />
        <TextField
          label={t("flows.editor.body")}
          value={step.body}
          onChange={(body) => onChange({ ...step, body })}
          multiline={5}
          autoComplete="off"
        />
      </BlockStack>
    );
  }
  if (step.kind === "wait") {
    return (
      <TextField
        label={t("flows.editor.hours")}
        type="number"
        min={1}
        value={String(step.hours)}
        onChange={(hours) => onChange({ ...step, hours: Number(hours) })}
        autoComplete="off"
        id={`wait-${index}`}
      />
    );
  }
  return null;
}

export default function FlowEditorPage() {
  const { flow } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t } = useTranslation();
  const [steps, setSteps] = useState<FlowStep[]>(flow.steps);
  const dirty = JSON.stringify(steps) !== JSON.stringify(flow.steps);
  useResultToast(answer);
  return (
    <Page>
      <PageTitleBar title={flow.name} back={{ content: t("nav.flows"), url: "/app/flows" }} />
      <UnsavedChangesBar
        id="flow-steps"
        dirty={dirty}
        saving={navigation.state === "submitting"}
        onSave={() => submit({ steps: JSON.stringify(steps) }, { method: "post" })}
        onDiscard={() => setSteps(flow.steps)}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {answer && !answer.ok && answer.message && (
              <Banner tone="critical">{t(answer.message.key, answer.message.values)}</Banner>
            )}
            <Text as="p" tone="subdued">
              <FlowTriggerText trigger={flow.trigger} />
            </Text>
            <Banner>{t("flows.editor.versionNote")}</Banner>
            {steps.map((step, index) => (
              <Card key={index}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    {index + 1}. <FlowStepLine step={step} />
                  </Text>
                  <StepFields
                    step={step}
                    index={index}
                    onChange={(changed) =>
                      setSteps(steps.map((old, at) => (at === index ? changed : old)))
                    }
                  />
                </BlockStack>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
