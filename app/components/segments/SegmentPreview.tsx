import { useFetcher } from "@remix-run/react";
import { BlockStack, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useDebounced } from "~/components/use-debounced";
import { useFormats } from "~/i18n/format";
import type { Message } from "~/i18n/message";
import type { AudiencePreview } from "~/services/segments/audience.server";

/** The preview route's answer for the rule as typed (`rule` says which text it is for). */
export type SegmentPreviewAnswer =
  ({ ok: true; rule: string } & AudiencePreview) | { ok: false; rule: string; error: Message };

const TYPING_PAUSE_MS = 250;

/** The rule's live count and a few of its customers, asked for once typing pauses. */
export function useSegmentPreview(rule: string) {
  const preview = useFetcher<SegmentPreviewAnswer>();
  const settled = useDebounced(rule, TYPING_PAUSE_MS);
  useEffect(() => {
    if (settled.trim()) preview.load(`/app/segments/preview?q=${encodeURIComponent(settled)}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the text settles
  }, [settled]);
  const error: Message | undefined =
    preview.data && !preview.data.ok ? preview.data.error : undefined;
  return { preview, error };
}

export function SegmentPreview({ preview }: ReturnType<typeof useSegmentPreview>) {
  const { t } = useTranslation();
  const formats = useFormats();
  const data = preview.data?.ok ? preview.data : undefined;
  return (
    <BlockStack gap="100">
      {/* data-rule says which text the count is for, as answers arrive after typing. Its room
          for the count and the sample is kept from the start, so their arrival moves nothing. */}
      <div id="segment-preview" data-rule={data?.rule ?? ""} style={{ minHeight: "3.5rem" }}>
        <InlineStack gap="200" blockAlign="center">
          {data && (
            <Text as="p" id="segment-preview-count" variant="headingSm">
              {t("segments.previewCount", {
                count: data.count,
                formattedCount: formats.number(data.count),
              })}
            </Text>
          )}
          {preview.state === "loading" && (
            <Spinner size="small" accessibilityLabel={t("segments.counting")} />
          )}
        </InlineStack>
        {data && data.sample.length > 0 && (
          <Text as="p" tone="subdued">
            {t("segments.previewSample", {
              names: formats.list(
                data.sample.map((customer) => customer.name ?? t("segments.noName")),
              ),
            })}
          </Text>
        )}
      </div>
    </BlockStack>
  );
}
