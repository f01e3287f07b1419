import {
  Badge,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Divider,
  InlineStack,
  ProgressBar,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { Await } from "@remix-run/react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useImportProgressText } from "~/components/sync/import-progress";
import type { AppEmbedState } from "~/services/onboarding/app-embed-state.server";
import {
  setupGuide,
  type SetupFacts,
  type SetupGuide,
  type SetupStepKey,
} from "~/services/onboarding/setup-steps";
import type { ThemeEditorLinks } from "~/services/onboarding/theme-editor-links";

interface StepView {
  /** Null while it is not known yet (the storefront step until the theme answers). */
  description: string | null;
  /** Room kept for the text whatever it says, so that its arrival moves nothing. */
  textHeight?: string;
  actions: Array<{ content: string; url: string; external?: boolean }>;
  /** A progress bar under the text (the import while it runs), 0 to 100. */
  progress?: number;
}

interface SetupGuideCardProps {
  links: ThemeEditorLinks;
  onDismiss: () => void;
  dismissing: boolean;
}

/**
 * The home page's checklist from install to a first win-back. Every tick comes from the shop's
 * state; each open step says what it is for and links to where it is done. The theme's answer
 * for the storefront step arrives after the rest (streamed): until then that step shows lines
 * where its text goes, in a box as tall as its text, so nothing moves when it comes.
 */
export function SetupGuideCard({
  facts,
  appEmbed,
  ...card
}: SetupGuideCardProps & { facts: SetupFacts; appEmbed: Promise<AppEmbedState> }) {
  return (
    <Suspense fallback={<GuideContent guide={setupGuide(facts, "checking")} {...card} />}>
      <Await
        resolve={appEmbed}
        errorElement={<GuideContent guide={setupGuide(facts, "unknown")} {...card} />}
      >
        {(state) => <GuideContent guide={setupGuide(facts, state)} {...card} />}
      </Await>
    </Suspense>
  );
}

function GuideContent({
  guide,
  links,
  onDismiss,
  dismissing,
}: SetupGuideCardProps & { guide: SetupGuide }) {
  const { t } = useTranslation();
  const view = useStepViews(guide, links);
  const total = guide.steps.length;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("setupGuide.title")}
            </Text>
            <Text as="p" tone="subdued" id="setup-guide-progress">
              {guide.doneCount === total
                ? t("setupGuide.allDone")
                : t("setupGuide.progress", { done: guide.doneCount, total })}
            </Text>
          </BlockStack>
          <Button variant="plain" onClick={onDismiss} loading={dismissing}>
            {t("setupGuide.dismiss")}
          </Button>
        </InlineStack>
        <ProgressBar progress={(guide.doneCount / total) * 100} size="small" tone="success" />
        {guide.steps.map((step, index) => {
          const details = view[step.key];
          return (
            <BlockStack gap="300" key={step.key}>
              {index > 0 && <Divider />}
              <div id={`setup-step-${step.key}`}>
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={step.done ? "success" : undefined}>
                      {step.done ? t("setupGuide.done") : t("setupGuide.toDo")}
                    </Badge>
                    <Text as="h3" variant="headingSm">
                      {t(`setupGuide.steps.${step.key}.title`)}
                    </Text>
                  </InlineStack>
                  <Box minHeight={details.textHeight}>
                    {details.description === null ? (
                      <SkeletonBodyText lines={2} />
                    ) : (
                      <Text as="p" tone="subdued">
                        {details.description}
                      </Text>
                    )}
                  </Box>
                  {details.progress !== undefined && (
                    <Box maxWidth="400px">
                      <ProgressBar progress={details.progress} size="small" />
                    </Box>
                  )}
                  {details.actions.length > 0 && (
                    <ButtonGroup>
                      {details.actions.map((action, actionIndex) => (
                        <Button
                          key={action.url}
                          url={action.url}
                          target={action.external ? "_top" : undefined}
                          variant={actionIndex === 0 ? "primary" : "secondary"}
                        >
                          {action.content}
                        </Button>
                      ))}
                    </ButtonGroup>
                  )}
                </BlockStack>
              </div>
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}

/** Two lines of body text: the storefront step's text takes two on a desktop screen. */
const STOREFRONT_TEXT_HEIGHT = "2.5rem";

function useStepViews(guide: SetupGuide, links: ThemeEditorLinks): Record<SetupStepKey, StepView> {
  const { t } = useTranslation();
  const importText = useImportProgressText();
  const progress = guide.import;
  const openSync = { content: t("setupGuide.openSync"), url: "/app/sync" };
  return {
    import: {
      running: {
        description:
          progress.percent > 0
            ? importText.saved(progress.percent, progress.etaSeconds)
            : t("sync.overall.running"),
        actions: [openSync],
        progress: progress.percent,
      },
      notStarted: { description: t("setupGuide.import.notStarted"), actions: [openSync] },
      done: { description: t("setupGuide.import.done"), actions: [] },
      failed: { description: t("setupGuide.import.failed"), actions: [openSync] },
    }[progress.state],
    storefront: {
      description:
        guide.appEmbed === "checking" ? null : t(`setupGuide.storefront.${guide.appEmbed}`),
      textHeight: STOREFRONT_TEXT_HEIGHT,
      // The blocks stay offered once the banner is on: they go on pages one by one.
      actions: [
        ...(guide.appEmbed === "on"
          ? []
          : [{ content: t("setupGuide.storefront.switchOn"), url: links.embed, external: true }]),
        ...links.blocks.map((block) => ({
          content: t(`setupGuide.storefront.blocks.${block.handle}`),
          url: block.url,
          external: true,
        })),
      ],
    },
    segment: {
      description:
        guide.segments > 0
          ? t("setupGuide.segment.done", { count: guide.segments })
          : t("setupGuide.segment.none"),
      actions:
        guide.segments > 0
          ? []
          : [{ content: t("setupGuide.segment.create"), url: "/app/segments" }],
    },
    winbackRule: {
      description:
        guide.rules.active > 0
          ? t("setupGuide.winbackRule.done", { count: guide.rules.active })
          : guide.rules.inactive > 0
            ? t("setupGuide.winbackRule.notOn")
            : t("setupGuide.winbackRule.none"),
      actions:
        guide.rules.active > 0
          ? []
          : [{ content: t("setupGuide.winbackRule.create"), url: "/app/winback" }],
    },
    emailSender: {
      description: t(`setupGuide.emailSender.${guide.emailSender}`),
      actions:
        guide.emailSender === "verified"
          ? []
          : [{ content: t("setupGuide.emailSender.open"), url: "/app/email-settings" }],
    },
  };
}
