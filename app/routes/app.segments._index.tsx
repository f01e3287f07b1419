import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { message } from "~/i18n/message";
import { pageTitle } from "~/i18n/meta";
import { badRequest, invalidForm } from "~/routes/http/answers.server";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { InvalidInputError } from "~/lib/errors";
import { requireInstalledShop } from "~/services/install.server";
import {
  astFromRows,
  BUILDER_FIELDS,
  rowsFromAst,
  type ConditionRow,
  type RowOperator,
} from "~/services/segments/builder-rows";
import { parseSegment, printSegment, SegmentError } from "~/services/segments/language";
import { refreshSegmentMembers } from "~/services/segments/memberships.server";
import { deleteSegment, listSegments, saveSegment } from "~/services/segments/segment-store.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import type { loader as previewLoader } from "./app.segments.preview";
import { useDebounced } from "~/components/use-debounced";
import { withoutNul } from "~/lib/form-text";
import { isDatabaseId } from "~/lib/shopify-id";

export const meta = pageTitle("nav.segments");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const segments = await listSegments(getDatabase().sql, shop.id);
  return {
    segments: segments.map(({ id, name, query, members, shopifyTag }) => ({
      id: id.toString(),
      name,
      query,
      members,
      shopifyTag,
    })),
  };
};

const actionInput = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    name: z.string().transform(withoutNul),
    query: z.string().transform(withoutNul),
    tagInShopify: z.literal("on").optional(),
  }),
  z.object({ intent: z.literal("delete"), id: z.string().refine(isDatabaseId) }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success)
    return badRequest({ ok: false as const, message: message("common.unrecognisedRequest") });
  const { sql } = getDatabase();
  try {
    if (input.data.intent === "delete") {
      await deleteSegment(sql, shop.id, BigInt(input.data.id));
      return { ok: true as const, message: message("segments.deleted") };
    }
    const { name, query, tagInShopify } = input.data;
    const segment = await sql.transaction(async (tx) => {
      const saved = await saveSegment(tx, shop.id, {
        name,
        query,
        tagInShopify: tagInShopify === "on",
      });
      await refreshSegmentMembers(tx, shop.id, saved);
      return saved;
    });
    return { ok: true as const, message: message("segments.saved", { name: segment.name }) };
  } catch (error) {
    if (error instanceof SegmentError || error instanceof InvalidInputError) {
      return invalidForm({
        ok: false as const,
        message: message("common.verbatim", { text: error.message }),
      });
    }
    throw error;
  }
};

const EMPTY_ROW: ConditionRow = { field: "days_since_last_order", operator: ">", value: "90" };

function RowEditor({
  row,
  onChange,
  onRemove,
}: {
  row: ConditionRow;
  onChange: (row: ConditionRow) => void;
  onRemove: () => void;
}) {
  const field = BUILDER_FIELDS.find((f) => f.name === row.field) ?? BUILDER_FIELDS[0];
  const operators = field?.operators ?? [];
  const { t } = useTranslation();
  return (
    <InlineStack gap="200" blockAlign="end" wrap={false}>
      <Select
        label={t("segments.field")}
        labelHidden
        options={BUILDER_FIELDS.map((f) => ({
          label: t(`segmentFields.${f.name}`),
          value: f.name,
        }))}
        value={row.field}
        onChange={(name) => {
          const next = BUILDER_FIELDS.find((f) => f.name === name);
          const operator = next?.operators.includes(row.operator)
            ? row.operator
            : (next?.operators[0] ?? "=");
          onChange({ field: name, operator, value: next?.values?.[0] ?? row.value });
        }}
      />
      <Select
        label={t("segments.operator")}
        labelHidden
        options={operators.map((op) => ({ label: op, value: op }))}
        value={row.operator}
        onChange={(operator) => onChange({ ...row, operator: operator as RowOperator })}
      />
      <TextField
        label={t("segments.value")}
        labelHidden
        autoComplete="off"
        value={row.value}
        onChange={(value) => onChange({ ...row, value })}
        placeholder={field?.values ? field.values.join(", ") : undefined}
      />
      <Button onClick={onRemove} accessibilityLabel={t("segments.removeCondition")}>
        {t("common.remove")}
      </Button>
    </InlineStack>
  );
}

function SegmentBuilder() {
  const [name, setName] = useState("");
  const [tagInShopify, setTagInShopify] = useState(false);
  const [text, setText] = useState("days_since_last_order > 90");
  const [rows, setRows] = useState<ConditionRow[] | null>([EMPTY_ROW]);
  const preview = useFetcher<typeof previewLoader>();
  const debounced = useDebounced(text, 250);
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const formats = useFormats();

  useEffect(() => {
    if (debounced.trim()) preview.load(`/app/segments/preview?q=${encodeURIComponent(debounced)}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload only when the text settles
  }, [debounced]);

  const editRows = (next: ConditionRow[]) => {
    setRows(next);
    const ast = astFromRows(next);
    setText(ast ? printSegment(ast) : "");
  };
  const editText = (next: string) => {
    setText(next);
    try {
      setRows(rowsFromAst(parseSegment(next).ast));
    } catch {
      // Half-typed text: keep the rows as they were until it parses again.
    }
  };
  const result = preview.data;
  return (
    <Card>
      <Form method="post">
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("segments.newSegment")}
          </Text>
          <input type="hidden" name="intent" value="save" />
          <TextField
            label={t("segments.name")}
            name="name"
            value={name}
            onChange={setName}
            autoComplete="off"
          />
          {rows ? (
            <BlockStack gap="200">
              <Text as="p" tone="subdued">
                {t("segments.matchAll")}
              </Text>
              {rows.map((row, index) => (
                <RowEditor
                  key={index}
                  row={row}
                  onChange={(next) => editRows(rows.map((r, i) => (i === index ? next : r)))}
                  onRemove={() => editRows(rows.filter((_, i) => i !== index))}
                />
              ))}
              <InlineStack>
                <Button onClick={() => editRows([...rows, EMPTY_ROW])}>
                  {t("segments.addCondition")}
                </Button>
              </InlineStack>
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              {t("segments.textOnly")}
            </Text>
          )}
          <TextField
            label={t("segments.rule")}
            name="query"
            value={text}
            onChange={editText}
            multiline={2}
            monospaced
            autoComplete="off"
            helpText={t("segments.ruleHelp", {
              example:
                "days_since_last_order > 90 AND orders_count >= 2 AND rfm_segment = 'at_risk'",
            })}
            error={result && !result.ok ? result.error : undefined}
          />
          {result?.ok && (
            <BlockStack gap="100">
              {/* data-rule says which text the count is for, as answers arrive after typing. */}
              <div id="segment-preview" data-rule={result.rule}>
                <Text as="p" id="segment-preview-count">
                  {t("segments.previewCount", {
                    count: result.count,
                    formattedCount: formats.number(result.count),
                  })}
                </Text>
                <Text as="p" tone="subdued">
                  {result.sample.map((customer) => customer.name).join(", ")}
                </Text>
              </div>
            </BlockStack>
          )}
          <Checkbox
            label={t("segments.tagInShopify")}
            helpText={t("segments.tagInShopifyHelp")}
            name="tagInShopify"
            // Polaris submits the input's value, which is empty unless set.
            value="on"
            checked={tagInShopify}
            onChange={setTagInShopify}
          />
          <InlineStack>
            <Button submit variant="primary" loading={busy} disabled={!name.trim()}>
              {t("segments.save")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function SegmentsPage() {
  const { segments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const formats = useFormats();
  return (
    <Page title={t("nav.segments")} backAction={{ content: t("nav.dashboard"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && (
              <Banner tone={result.ok ? "success" : "critical"}>
                <p>{t(result.message.key, result.message.values)}</p>
              </Banner>
            )}
            <SegmentBuilder />
            <Card>
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "text"]}
                headings={[
                  t("segments.columnSegment"),
                  t("segments.rule"),
                  t("segments.columnTag"),
                  t("nav.customers"),
                  "",
                ]}
                rows={segments.map((segment) => [
                  segment.name,
                  <Text as="span" key="q" variant="bodySm">
                    <code>{segment.query}</code>
                  </Text>,
                  segment.shopifyTag ?? "",
                  formats.number(segment.members),
                  <Form method="post" key="delete">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="id" value={segment.id} />
                    <Button submit variant="plain" tone="critical">
                      {t("common.delete")}
                    </Button>
                  </Form>,
                ])}
              />
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
