import { BlockStack, Modal, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

/** The pages with a help text: `help.<topic>.{title,what,next}` in every locale. */
export const HELP_TOPICS = ["home", "sync"] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

/** A page's short help: what the page does and what to do next, in a dialog over the page. */
export function PageHelp({
  topic,
  open,
  onClose,
}: {
  topic: HelpTopic;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={t(`help.${topic}.title`)}
      secondaryActions={[{ content: t("help.close"), onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("help.whatTitle")}
            </Text>
            <Text as="p">{t(`help.${topic}.what`)}</Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("help.nextTitle")}
            </Text>
            <Text as="p">{t(`help.${topic}.next`)}</Text>
          </BlockStack>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
