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
  Text,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useImportProgressText } from "~/components/sync/import-progress";
import type { SetupGuide, SetupStepKey } from "~/services/onboarding/setup-guide.server";
import type { ThemeEditorLinks } from "~/services/onboarding/theme-editor-links";

interface StepView {
  description: string;
  actions: Array<{ content: string; url: string; external?: boolean }>;
  /** A progress bar under the text (the import while it runs), 0 to 100. */
  progress?: number;
}

/**
 * The home page's checklist from install to a first win-back. Every tick comes from the shop's
 * state; each open step says what it is for and links to where it is done.
 */
export function SetupGuideCard({
  guide,
  links,
  onDismiss,
  dismissing,
}: {
  guide: SetupGuide;
  links: ThemeEditorLinks;
  onDismiss: () => void;
  dismissing: boolean;
}) {
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
                  <Text as="p" tone="subdued">
                    {details.description}
                  </Text>
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
      description: t(`setupGuide.storefront.${guide.appEmbed}`),
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
