import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useParams } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Card,
  Checkbox,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { startTransition, useCallback, useEffect, useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { PageHelp } from "~/components/admin/PageHelp";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { ConditionGroupsEditor, FIRST_ROW } from "~/components/segments/ConditionGroupsEditor";
import { segmentErrorMessage, segmentErrorText } from "~/components/segments/error-message";
import { downloadSegmentExport } from "~/components/segments/download-export";
import { SegmentMembersCard } from "~/components/segments/SegmentMembersCard";
import { SegmentPreview, useSegmentPreview } from "~/components/segments/SegmentPreview";
import { getDatabase } from "~/db.server";
import { message, type Message } from "~/i18n/message";
import { pageTitle } from "~/i18n/meta";
import { NotFoundError } from "~/lib/errors";
import { withoutNul } from "~/lib/form-text";
import {
  badRequest,
  idParamOr404,
  invalidForm,
  rethrowNotFoundAs404,
} from "~/routes/http/answers.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { requireInstalledShop } from "~/services/install.server";
import { productSummaries } from "~/services/recommendations/product-lookup.server";
import {
  astFromGroups,
  groupsFromAst,
  productIdsOf,
  type BuilderGroups,
} from "~/services/segments/builder-rows";
import { parseSegment, printSegment, SegmentError } from "~/services/segments/language";
import { refreshSegmentMembers } from "~/services/segments/memberships.server";
import { listSegmentMembers } from "~/services/segments/segment-members.server";
import {
  deleteSegment,
  duplicateSegment,
  getSegment,
  saveSegment,
  SegmentInUseError,
  SegmentNameError,
} from "~/services/segments/segment-store.server";
import { SEGMENT_NAME_MAX } from "~/services/segments/segment-name";
import { findTemplate } from "~/services/segments/templates";
import { segmentValueSuggestions } from "~/services/segments/value-suggestions.server";

export const meta = pageTitle("nav.segments");

const NEW = "new";
const STARTER_RULE = printSegment(
  astFromGroups({ match: "and", groups: [{ match: "and", rows: [FIRST_ROW] }] }) ?? {
    kind: "and",
    operands: [],
  },
);

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const suggestions = await segmentValueSuggestions(sql, shop.id);
  const choicesFor = async (query: string) => {
    const products = await productSummaries(sql, shop.id, productIdsOf(groupsOf(query)));
    return {
      ...suggestions,
      currency: shop.currency,
      productTitles: Object.fromEntries(products.map((product) => [product.id, product.title])),
    };
  };
  if (params.id === NEW) {
    const template = findTemplate(new URL(request.url).searchParams.get("template") ?? "");
    const query = template?.rule ?? STARTER_RULE;
    return {
      segment: null,
      template: template?.key ?? null,
      draft: { name: "", query, tagInShopify: false },
      members: null,
      choices: await choicesFor(query),
    };
  }
  const id = idParamOr404(params.id);
  const segment = await getSegment(sql, shop.id, id).catch(rethrowNotFoundAs404);
  return {
    segment: { id: segment.id.toString(), members: segment.members },
    template: null,
    draft: { name: segment.name, query: segment.query, tagInShopify: segment.shopifyTag !== null },
    members: await listSegmentMembers(sql, shop.id, segment.id),
    choices: await choicesFor(segment.query),
  };
};

const actionInput = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    name: z.string().transform(withoutNul),
    query: z.string().transform(withoutNul),
    tagInShopify: z.literal("on").optional(),
  }),
  z.object({ intent: z.literal("duplicate"), name: z.string().transform(withoutNul) }),
  z.object({ intent: z.literal("delete") }),
]);

type FieldErrors = Partial<Record<"name" | "query", Message>>;

/** The merchant's words for what stopped a save, by the form field it concerns. */
function formErrors(error: unknown): { fieldErrors?: FieldErrors; message?: Message } | null {
  if (error instanceof SegmentError) return { fieldErrors: { query: segmentErrorMessage(error) } };
  if (error instanceof SegmentNameError) {
    return {
      fieldErrors: {
        name:
          error.code === "name_taken"
            ? message("segments.nameTaken")
            : message("segments.nameLength", { max: SEGMENT_NAME_MAX }),
      },
    };
  }
  if (error instanceof SegmentInUseError) {
    return { message: message("segments.inUse", { rules: error.ruleNames.join(", ") }) };
  }
  return null;
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const existing = params.id === NEW ? undefined : idParamOr404(params.id);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success || (input.data.intent !== "save" && existing === undefined)) {
    return badRequest({ ok: false as const, message: message("common.unrecognisedRequest") });
  }
  const { sql } = getDatabase();
  try {
    switch (input.data.intent) {
      case "delete":
        await deleteSegment(sql, shop.id, existing as bigint);
        return { ok: true as const, message: message("segments.deleted"), id: null };
      case "duplicate": {
        const { name } = input.data;
        const copy = await sql.transaction(async (tx) => {
          const saved = await duplicateSegment(tx, shop.id, existing as bigint, name);
          await refreshSegmentMembers(tx, shop.id, saved);
          return saved;
        });
        return {
          ok: true as const,
          message: message("segments.duplicated", { name: copy.name }),
          id: copy.id.toString(),
        };
      }
      case "save": {
        const { name, query, tagInShopify } = input.data;
        const saved = await sql.transaction(async (tx) => {
          const segment = await saveSegment(tx, shop.id, {
            id: existing,
            name,
            query,
            tagInShopify: tagInShopify === "on",
          });
          await refreshSegmentMembers(tx, shop.id, segment);
          return segment;
        });
        return {
          ok: true as const,
          message: message("segments.saved", { name: saved.name }),
          id: saved.id.toString(),
        };
      }
    }
  } catch (error) {
    if (error instanceof NotFoundError) rethrowNotFoundAs404(error);
    const problems = formErrors(error);
    if (problems) return invalidForm({ ok: false as const, ...problems });
    throw error;
  }
};

type ActionResult = {
  ok: boolean;
  id?: string | null;
  message?: Message;
  fieldErrors?: FieldErrors;
};

interface Draft {
  name: string;
  query: string;
  tagInShopify: boolean;
}

const sameDraft = (a: Draft, b: Draft) =>
  a.name.trim() === b.name.trim() &&
  a.query.trim() === b.query.trim() &&
  a.tagInShopify === b.tagInShopify;

function groupsOf(query: string): BuilderGroups | null {
  try {
    return groupsFromAst(parseSegment(query).ast);
  } catch {
    return null;
  }
}

export default function SegmentPage() {
  const data = useLoaderData<typeof loader>();
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const saver = useFetcher<ActionResult>();

  // Keyed on the values, not the object: a reload that brings the same segment keeps the edits.
  const { name: storedName, query: storedQuery, tagInShopify: storedTag } = data.draft;
  const initial = useMemo<Draft>(
    () => ({
      name: data.template ? t(`segmentTemplates.${data.template}.name`) : storedName,
      query: storedQuery,
      tagInShopify: storedTag,
    }),
    [storedName, storedQuery, storedTag, data.template, t],
  );
  const [saved, setSaved] = useState<Draft>(initial);
  const [draft, setDraft] = useState<Draft>(initial);
  const [groups, setGroups] = useState<BuilderGroups | null>(() => groupsOf(initial.query));
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  // A template opens unsaved: it counts as a change until it is saved.
  const fromTemplate = data.segment === null && data.template !== null;
  const [templateUnsaved, setTemplateUnsaved] = useState(fromTemplate);
  // Where an answer leads (a saved new segment, a copy, the list after a delete), once the
  // page has taken the answer in and has nothing unsaved to ask about.
  const [leadsTo, setLeadsTo] = useState<{ url: string; replace: boolean } | null>(null);
  // A different segment (after a save of a new one, or a duplicate): start from its stored form.
  useEffect(() => {
    setSaved(initial);
    setDraft(initial);
    setGroups(groupsOf(initial.query));
    setTemplateUnsaved(fromTemplate);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fromTemplate follows initial
  }, [initial]);

  const dirty = !sameDraft(draft, saved) || templateUnsaved;
  const busy = saver.state !== "idle";
  const result = saver.state === "idle" ? saver.data : undefined;

  const live = useSegmentPreview(draft.query);

  // After every answer: a toast for what was done, then the page it leads to.
  useEffect(() => {
    if (!result?.ok || !result.message) return;
    shopify.toast.show(t(result.message.key, result.message.values));
    setSaved(draft);
    setTemplateUnsaved(false);
    if (result.id === null) setLeadsTo({ url: "/app/segments", replace: false });
    else if (result.id && result.id !== id)
      setLeadsTo({ url: `/app/segments/${result.id}`, replace: id === NEW });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per answer
  }, [result]);
  useEffect(() => {
    if (!leadsTo || dirty) return;
    setLeadsTo(null);
    navigate(leadsTo.url, { replace: leadsTo.replace });
  }, [leadsTo, dirty, navigate]);

  const submit = (intent: "save" | "duplicate" | "delete") => {
    const form = new FormData();
    form.set("intent", intent);
    if (intent === "save") {
      form.set("name", draft.name);
      form.set("query", draft.query);
      if (draft.tagInShopify) form.set("tagInShopify", "on");
    }
    if (intent === "duplicate") form.set("name", t("segments.copyName", { name: saved.name }));
    saver.submit(form, { method: "post" });
  };
  const discard = () => {
    setDraft(saved);
    setGroups(groupsOf(saved.query));
  };
  // Stable, so the memoised condition rows are not re-rendered by a key press elsewhere.
  const editGroups = useCallback((next: BuilderGroups) => {
    setGroups(next);
    const ast = astFromGroups(next);
    setDraft((current) => ({ ...current, query: ast ? printSegment(ast) : "" }));
  }, []);
  const editText = (query: string) => {
    setDraft({ ...draft, query });
    // The rows follow the text in a transition: the key press paints first, and a render of
    // the rows still under way gives way to the next key.
    startTransition(() => {
      try {
        // Text with no group form shows as text only; it is never rewritten.
        const parsed = groupsFromAst(parseSegment(query).ast);
        // The same rows (a space typed, an operand not yet changed) are not re-rendered.
        setGroups((current) =>
          JSON.stringify(current) === JSON.stringify(parsed) ? current : parsed,
        );
      } catch {
        // Half-typed text keeps the groups as they were, until it parses again.
        if (query.trim() === "") setGroups({ match: "and", groups: [] });
      }
    });
  };

  const fieldErrors = result && !result.ok ? result.fieldErrors : undefined;
  const ruleError = fieldErrors?.query ?? live.error;
  const title = data.segment ? saved.name : t("segments.newSegment");
  const exportCsv = async () => {
    if (!(await downloadSegmentExport(id ?? "", saved.name, i18n.language))) {
      shopify.toast.show(t("segments.exportFailed"), { isError: true });
    }
  };

  return (
    <Page>
      <TitleBar title={title}>
        <button variant="breadcrumb" onClick={() => navigate("/app/segments")}>
          {t("nav.segments")}
        </button>
        {data.segment && (
          <button onClick={() => submit("duplicate")} disabled={busy || dirty}>
            {t("segments.duplicate")}
          </button>
        )}
        {data.segment && (
          <button onClick={() => void exportCsv()}>{t("segments.exportCsv")}</button>
        )}
        {data.segment && (
          <button tone="critical" onClick={() => setConfirmingDelete(true)}>
            {t("common.delete")}
          </button>
        )}
      </TitleBar>
      <UnsavedChangesBar
        id="segment-save-bar"
        dirty={dirty}
        saving={busy}
        onSave={() => submit("save")}
        onDiscard={discard}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && !result.ok && result.message && (
              <Banner tone="critical">
                <p>{t(result.message.key, result.message.values)}</p>
              </Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <TextField
                  label={t("segments.name")}
                  name="name"
                  value={draft.name}
                  onChange={(name) => setDraft({ ...draft, name })}
                  autoComplete="off"
                  maxLength={SEGMENT_NAME_MAX}
                  error={fieldErrors?.name && t(fieldErrors.name.key, fieldErrors.name.values)}
                />
                <Checkbox
                  label={t("segments.tagInShopify")}
                  helpText={t("segments.tagInShopifyHelp")}
                  checked={draft.tagInShopify}
                  onChange={(tagInShopify) => setDraft({ ...draft, tagInShopify })}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("segments.conditions")}
                </Text>
                {groups ? (
                  <ConditionGroupsEditor
                    value={groups}
                    choices={data.choices}
                    onChange={editGroups}
                  />
                ) : (
                  <Text as="p" tone="subdued">
                    {t("segments.textOnly")}
                  </Text>
                )}
                <TextField
                  label={t("segments.rule")}
                  name="query"
                  value={draft.query}
                  onChange={editText}
                  multiline={2}
                  monospaced
                  autoComplete="off"
                  helpText={
                    // The example is code: left to right even on a right-to-left page.
                    <Trans
                      i18nKey="segments.ruleHelp"
                      values={{
                        example:
                          "days_since_last_order > 90 AND (orders_count >= 2 OR tags CONTAINS 'vip')",
                      }}
                      components={{ code: <code dir="ltr" /> }}
                    />
                  }
                  error={ruleError && segmentErrorText(t, ruleError)}
                />
                <SegmentPreview {...live} />
              </BlockStack>
            </Card>
            {data.segment && data.members && (
              <SegmentMembersCard
                key={`${saved.query}:${data.segment.members}`}
                segmentId={data.segment.id}
                total={data.segment.members}
                firstPage={data.members}
                currency={data.choices.currency}
                onExport={() => void exportCsv()}
              />
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="segment" title={title} />
      <Modal
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title={t("segments.deleteQuestion", { name: saved.name })}
        primaryAction={{
          content: t("common.delete"),
          destructive: true,
          loading: busy,
          onAction: () => {
            setConfirmingDelete(false);
            submit("delete");
          },
        }}
        secondaryActions={[
          { content: t("common.cancel"), onAction: () => setConfirmingDelete(false) },
        ]}
      >
        <Modal.Section>
          <Text as="p">{t("segments.deleteConsequence")}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
