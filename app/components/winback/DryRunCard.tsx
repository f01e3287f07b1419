import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import type { ActionKind, DryRunRow, PlanCounts } from "~/services/winback/plan-run.server";
import { STAGE_LABELS, label } from "../analytics/labels";
import { ACTION_LABELS } from "./rule-text";

export interface DryRunResult {
  counts: PlanCounts;
  actionKinds: ActionKind[];
  sample: DryRunRow[];
}

const COUNT_LABELS: Array<[keyof PlanCounts, string]> = [
  ["qualified", "Qualify now"],
  ["targeted", "Would be acted on"],
  ["heldOut", "Would be held back"],
  ["alreadyActed", "Already acted on"],
  ["coolingDown", "Cooling down"],
  ["capped", "At the contact cap"],
  ["overLimit", "Over the per-run limit"],
];

/** What a run now would do with the form as it stands; nothing was saved or sent. */
export function DryRunCard({ result, saved }: { result: DryRunResult; saved: boolean }) {
  const emails = result.actionKinds.includes("email");
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Dry run
          </Text>
          <Text as="p" tone="subdued">
            What a run now would do with the settings above. Nothing was saved, created or sent.
            {saved
              ? ""
              : " Who is held back is only illustrative until the rule is saved: it is drawn per rule."}
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 2, sm: 4 }} gap="300">
          {COUNT_LABELS.map(([key, name]) => (
            <BlockStack gap="050" key={key}>
              <Text as="span" tone="subdued">
                {name}
              </Text>
              <Text as="span" variant="headingMd" id={`dry-run-${key}`}>
                {result.counts[key].toLocaleString("en")}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        <Text as="p">
          Actions for each treated customer:{" "}
          {result.actionKinds.map((kind) => ACTION_LABELS[kind] ?? kind).join(", ") || "none"}
        </Text>
        {result.sample.length === 0 ? (
          <Text as="p" tone="subdued">
            Nobody qualifies right now.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["Customer", "Stage", "Group", "Discount code", "Email"]}
            rows={result.sample.map((row) => [
              <Link to={`/app/customers/${row.customerId}`} key="name">
                {row.name ?? `Customer ${row.customerId}`}
              </Link>,
              label(STAGE_LABELS, row.lifecycleStage),
              row.group === "holdout" ? (
                <Badge key="group">Holdout</Badge>
              ) : (
                <Badge key="group" tone="success">
                  Action
                </Badge>
              ),
              row.discountCode ?? "—",
              !emails || row.group === "holdout"
                ? "—"
                : row.emailable
                  ? "Would send"
                  : "No consent or address",
            ])}
            footerContent={
              result.sample.length < result.counts.targeted + result.counts.heldOut
                ? `The first ${result.sample.length} of the customers chosen`
                : undefined
            }
          />
        )}
      </BlockStack>
    </Card>
  );
}
