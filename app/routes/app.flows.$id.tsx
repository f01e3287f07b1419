import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { useResultToast, type ActionAnswer } from "~/components/admin/use-result-toast";
import {
  AbTestResult,
  EmailPerformanceLine,
  OpensUnreliableNote,
} from "~/components/email/EmailPerformance";
import {
  ConditionFields,
  NEW_BRANCH_CONDITION,
  TriggerFields,
  WaitFields,
  WaitUntilFields,
} from "~/components/flows/FlowEditFields";
import { DiscountFields } from "~/components/flows/DiscountFields";
import { FlowStepLine, FlowTriggerText } from "~/components/flows/flow-text";
import { getDatabase } from "~/db.server";
import { InvalidInputError } from "~/lib/errors";
import { parseJsonExact } from "~/lib/parse-json-exact";
import { message } from "~/i18n/message";
import {
  NO_PERFORMANCE,
  totalPerformance,
  type StepVariantPerformance,
} from "~/services/email/tracking/email-performance";
import { flowStepPerformance } from "~/services/email/tracking/email-performance.server";
import {
  insertBranch,
  removeBranch,
  type FlowStep,
  type FlowTrigger,
} from "~/services/flows/flow-definition";
import { flowStepFailures, type StepFailure } from "~/services/flows/flow-step-failures.server";
import { getFlow, saveFlowEdits } from "~/services/flows/flow-store.server";
import { flowStepsIn, flowStepsToStore } from "~/services/email/templates/flow-template-texts";
import { flowNameIn } from "~/services/flows/flow-templates";
import { requireInstalledShop } from "~/services/install.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { idParamOr404, invalidForm, rethrowNotFoundAs404 } from "~/routes/http/answers.server";

export const meta = pageTitle("nav.flows");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const flowId = idParamOr404(params.id);
  const flow = await getFlow(sql, shop.id, flowId);
  if (!flow) throw new Response(null, { status: 404 });
  return {
    flow: { ...flow, id: flow.id.toString() },
    performance: await flowStepPerformance(sql, shop.id, flowId),
    failures: await flowStepFailures(sql, shop.id, flowId),
    currency: shop.currency,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const flowId = idParamOr404(params.id);
  const form = await request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? parseJsonExact(value) : undefined;
  };
  const invalid = () =>
    invalidForm<ActionAnswer>({ ok: false, message: message("flows.editor.invalid") });
  let trigger: unknown;
  let steps: unknown;
  try {
    [trigger, steps] = [field("trigger"), field("steps")];
  } catch (error) {
    if (error instanceof SyntaxError) return invalid();
    throw error;
  }
  // The editor showed the template texts in the admin's language: those left as shown are
  // stored as the template's, so they keep following each reader's language.
  const language = String(form.get("language") ?? "");
  try {
    await saveFlowEdits(getDatabase().sql, shop.id, flowId, {
      trigger,
      steps: Array.isArray(steps) ? flowStepsToStore(steps, language) : steps,
    });
  } catch (error) {
    if (!(error instanceof InvalidInputError)) rethrowNotFoundAs404(error);
    return invalid();
  }
  return { ok: true, message: message("flows.saved") } satisfies ActionAnswer;
};

/** An email step's results, and its A/B test's when it has one or had one. */
function StepResults({
  rows,
  currency,
}: {
  rows: readonly StepVariantPerformance[];
  currency: string;
}) {
  const { t } = useTranslation();
  const variant = (name: "A" | "B") => rows.find((row) => row.variant === name) ?? NO_PERFORMANCE;
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {t("emailPerformance.title")}
      </Text>
      <EmailPerformanceLine performance={totalPerformance(rows)} currency={currency} />
      {rows.some((row) => row.variant === "B") && (
        <AbTestResult a={variant("A")} b={variant("B")} />
      )}
    </BlockStack>
  );
}

/** Why customers' emails at a step failed, each reason with how many it stopped. */
function StepFailures({ failures }: { failures: readonly StepFailure[] }) {
  const { t } = useTranslation();
  const formats = useFormats();
  return (
    <Banner tone="critical" title={t("flows.failures.title")}>
      <BlockStack gap="100">
        {failures.map((failure) => (
          <Text as="p" key={failure.reason.key + JSON.stringify(failure.reason.values ?? {})}>
            {t("flows.failures.line", {
              count: failure.customers,
              formattedCount: formats.number(failure.customers),
              reason: t(failure.reason.key, failure.reason.values),
            })}
          </Text>
        ))}
      </BlockStack>
    </Banner>
  );
}

/** The fields of one step the merchant can change here: email texts, variant B, waits, branches. */
function StepFields({
  step,
  index,
  stepCount,
  currency,
  onChange,
  onRemove,
}: {
  step: FlowStep;
  index: number;
  stepCount: number;
  currency: string;
  onChange: (step: FlowStep) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  if (step.kind === "email") {
    const variantB = step.variantB;
    // The merchant's texts may be in another language than the admin's (rtl.css).
    return (
      <div data-direction="auto">
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
          {variantB ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("flows.editor.variantB")}
              </Text>
              <Text as="p" tone="subdued">
                {t("flows.editor.variantBHelp")}
              </Text>
              <TextField
                label={t("flows.editor.subject")}
                value={variantB.subject}
                onChange={(subject) => onChange({ ...step, variantB: { ...variantB, subject } })}
                autoComplete="off"
              />
              <TextField
                label={t("flows.editor.body")}
                value={variantB.body}
                onChange={(body) => onChange({ ...step, variantB: { ...variantB, body } })}
                multiline={5}
                autoComplete="off"
              />
              <div>
                <Button onClick={() => onChange({ ...step, variantB: undefined })}>
                  {t("flows.editor.removeVariantB")}
                </Button>
              </div>
            </BlockStack>
          ) : (
            <div>
              <Button
                onClick={() =>
                  onChange({ ...step, variantB: { subject: step.subject, body: step.body } })
                }
              >
                {t("flows.editor.addVariantB")}
              </Button>
            </div>
          )}
          <DiscountFields step={step} index={index} currency={currency} onChange={onChange} />
        </BlockStack>
      </div>
    );
  }
  if (step.kind === "wait") return <WaitFields step={step} index={index} onChange={onChange} />;
  if (step.kind === "wait_until") {
    return <WaitUntilFields step={step} index={index} onChange={onChange} />;
  }
  if (step.kind === "condition") {
    return (
      <ConditionFields
        step={step}
        index={index}
        stepCount={stepCount}
        onChange={onChange}
        onRemove={onRemove}
      />
    );
  }
  return null;
}

export default function FlowEditorPage() {
  const { flow, performance, failures, currency } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const { t, i18n } = useTranslation();
  const formats = useFormats();
  const savedSteps = useMemo(
    () => flowStepsIn(flow.steps, i18n.language),
    [flow.steps, i18n.language],
  );
  const [steps, setSteps] = useState<FlowStep[]>(savedSteps);
  const [trigger, setTrigger] = useState<FlowTrigger>(flow.trigger);
  const stepsChanged = JSON.stringify(steps) !== JSON.stringify(savedSteps);
  const triggerChanged = JSON.stringify(trigger) !== JSON.stringify(flow.trigger);
  const changes = {
    ...(stepsChanged && { steps: JSON.stringify(steps), language: i18n.language }),
    ...(triggerChanged && { trigger: JSON.stringify(trigger) }),
  };
  const name = flowNameIn(flow, (key) => t(`flows.template.${key}.name`));
  useResultToast(answer);
  return (
    <Page>
      <PageTitleBar title={name} back={{ content: t("nav.flows"), url: "/app/flows" }} />
      <UnsavedChangesBar
        id="flow-steps"
        dirty={stepsChanged || triggerChanged}
        saving={navigation.state === "submitting"}
        onSave={() => submit(changes, { method: "post" })}
        onDiscard={() => {
          setSteps(savedSteps);
          setTrigger(flow.trigger);
        }}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {answer && !answer.ok && answer.message && (
              <Banner tone="critical">{t(answer.message.key, answer.message.values)}</Banner>
            )}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  {t("flows.editor.triggerTitle")}
                </Text>
                <Text as="p" tone="subdued">
                  <FlowTriggerText trigger={flow.trigger} />
                </Text>
                <TriggerFields trigger={trigger} onChange={setTrigger} />
              </BlockStack>
            </Card>
            <Banner>{t("flows.editor.versionNote")}</Banner>
            {performance.length > 0 && <OpensUnreliableNote />}
            {steps.map((step, index) => (
              <Card key={index}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    {formats.number(index + 1)}. <FlowStepLine step={step} />
                  </Text>
                  {failures.some((failure) => failure.stepIndex === index) && (
                    <StepFailures
                      failures={failures.filter((failure) => failure.stepIndex === index)}
                    />
                  )}
                  <StepFields
                    step={step}
                    index={index}
                    stepCount={steps.length}
                    currency={currency}
                    onChange={(changed) =>
                      setSteps(steps.map((old, at) => (at === index ? changed : old)))
                    }
                    onRemove={() => setSteps(removeBranch(steps, index))}
                  />
                  {index > 0 && steps[index - 1]?.kind !== "condition" && (
                    <div>
                      <Button
                        onClick={() => setSteps(insertBranch(steps, index, NEW_BRANCH_CONDITION))}
                      >
                        {t("flows.editor.addBranch")}
                      </Button>
                    </div>
                  )}
                  {performance.some((row) => row.stepIndex === index) && (
                    <StepResults
                      rows={performance.filter((row) => row.stepIndex === index)}
                      currency={currency}
                    />
                  )}
                </BlockStack>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="flow" title={name} />
    </Page>
  );
}
