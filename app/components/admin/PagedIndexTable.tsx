import { useNavigation } from "@remix-run/react";
import {
  Card,
  IndexTable,
  InlineStack,
  Pagination,
  type IndexTableProps,
  type PaginationProps,
} from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * An admin list a page at a time: Polaris' IndexTable in a card (no selection, loading while
 * the next page or filter loads, an empty state with a next step) and the pager under it, shown
 * when there is more than one page.
 */
export function PagedIndexTable({
  resourceName,
  headings,
  itemCount,
  emptyState,
  pagination,
  children,
}: {
  resourceName: IndexTableProps["resourceName"];
  headings: IndexTableProps["headings"];
  itemCount: number;
  emptyState: ReactNode;
  pagination: Pick<
    PaginationProps,
    "hasPrevious" | "hasNext" | "previousURL" | "nextURL" | "onPrevious" | "onNext" | "label"
  >;
  children: ReactNode;
}) {
  const navigation = useNavigation();
  return (
    <>
      <Card padding="0">
        <IndexTable
          resourceName={resourceName}
          itemCount={itemCount}
          selectable={false}
          loading={navigation.state === "loading"}
          emptyState={emptyState}
          headings={headings}
        >
          {children}
        </IndexTable>
      </Card>
      {(pagination.hasPrevious || pagination.hasNext) && (
        <InlineStack align="center">
          <Pagination {...pagination} />
        </InlineStack>
      )}
    </>
  );
}
