import { BlockStack, Card, List, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

/** What the segments pages do and what to do next, beside the page's content. */
export function SegmentHelp({ page }: { page: "list" | "editor" }) {
  const { t } = useTranslation();
  const steps =
    page === "list"
      ? ["segmentHelp.listStep1", "segmentHelp.listStep2", "segmentHelp.listStep3"]
      : ["segmentHelp.editorStep1", "segmentHelp.editorStep2", "segmentHelp.editorStep3"];
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {t("segmentHelp.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t(page === "list" ? "segmentHelp.listWhat" : "segmentHelp.editorWhat")}
        </Text>
        <List type="number">
          {steps.map((key) => (
            <List.Item key={key}>{t(key)}</List.Item>
          ))}
        </List>
      </BlockStack>
    </Card>
  );
}
