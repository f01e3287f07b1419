import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type {
  RecordCheck,
  RecordState,
  SenderCheck,
  SenderGuidance,
} from "~/services/email/sender-check.server";

const TONES: Record<RecordState, "success" | "warning" | "critical" | undefined> = {
  found: "success",
  incomplete: "warning",
  missing: "critical",
  unchecked: undefined,
};

/**
 * What the sender's domain needs in DNS (SPF, DKIM, DMARC), with what the last check found
 * for each. Without a check yet, it shows the guidance alone.
 */
export function SenderCheckCard({
  guidance,
  check,
  checking,
  onCheck,
}: {
  /** The saved sender's domain and provider, checked or not. */
  guidance: SenderGuidance;
  check: SenderCheck | null;
  checking: boolean;
  onCheck: () => void;
}) {
  const { t } = useTranslation();
  const provider = guidance.provider?.name ?? t("senderCheck.yourProvider");
  const row = (key: "spf" | "dkim" | "dmarc", advice: string, result: RecordCheck | undefined) => (
    <BlockStack gap="100" key={key}>
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {t(`senderCheck.${key}Title`)}
        </Text>
        {result && (
          <Badge tone={TONES[result.state]}>{t(`senderCheck.state.${result.state}`)}</Badge>
        )}
      </InlineStack>
      <Text as="p">{advice}</Text>
      {result?.record && (
        <Text as="p" tone="subdued" breakWord>
          {t("senderCheck.published", { name: result.name, record: result.record })}
        </Text>
      )}
    </BlockStack>
  );
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="p">{t("senderCheck.intro", { domain: guidance.domain })}</Text>
        {row(
          "spf",
          guidance.spfInclude
            ? t("senderCheck.spfProvider", { include: guidance.spfInclude, provider })
            : t("senderCheck.spfOwn"),
          check?.spf,
        )}
        {row("dkim", t("senderCheck.dkimAdvice", { provider }), check?.dkim)}
        {row(
          "dmarc",
          t("senderCheck.dmarcAdvice", {
            name: `_dmarc.${guidance.domain}`,
            record: guidance.suggestedDmarc,
          }),
          check?.dmarc,
        )}
        {check && [check.spf, check.dkim, check.dmarc].some((r) => r.state === "unchecked") && (
          <Text as="p" tone="subdued">
            {t("senderCheck.uncheckedHelp")}
          </Text>
        )}
        <InlineStack>
          <Button onClick={onCheck} loading={checking}>
            {t("senderCheck.check")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
