import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  query?: string | null;
  sortKey?: string | null;
  reverse?: boolean | null;
}

export interface ResolveContext {
  /** Bulk operations read whole connections; regular queries must page. */
  bulk: boolean;
  /** Scopes of the calling app's access token. */
  scopes: readonly string[];
}

/** Each group is scopes of which one is needed: Shopify's ACCESS_DENIED otherwise. */
export function requireScopes(context: ResolveContext, field: string, groups: string[][]) {
  const missing = groups.filter((group) => !group.some((scope) => context.scopes.includes(scope)));
  if (missing.length === 0) return;
  throw new GraphQLError(
    `Access denied for ${field} field. Required access: ${missing.map((group) => `\`${group.at(-1)}\``).join(" and ")} access scope.`,
    { extensions: { code: "ACCESS_DENIED" } },
  );
}

/** Without `read_all_orders`, Shopify shows an app only the last 60 days of orders. */
export const ORDER_HISTORY_WITHOUT_READ_ALL_ORDERS_MS = 60 * 86_400_000;

const encodeCursor = (index: number) => Buffer.from(`i:${index}`).toString("base64");
const decodeCursor = (cursor: string) => {
  const match = /^i:(\d+)$/.exec(Buffer.from(cursor, "base64").toString());
  if (!match) throw new GraphQLError(`Invalid cursor: ${cursor}`);
  return Number(match[1]);
};

/**
 * The search syntax subset the app uses: `updated_at:>'2026-01-01T00:00:00Z'` (also >=, <,
 * <=). Anything else is rejected loudly rather than silently ignored.
 */
export function parseUpdatedAtFilter(query: string | null | undefined) {
  if (!query) return () => true;
  const match = /^updated_at:(>=|<=|>|<)'?([^']+)'?$/.exec(query.trim());
  if (!match) throw new GraphQLError(`Simulated store: unsupported search query "${query}"`);
  const bound = new Date(match[2] ?? "").getTime();
  if (Number.isNaN(bound)) throw new GraphQLError(`Invalid date in query "${query}"`);
  const op = match[1];
  return (updatedAt: Date) => {
    const t = updatedAt.getTime();
    return op === ">" ? t > bound : op === ">=" ? t >= bound : op === "<" ? t < bound : t <= bound;
  };
}

const TITLE_TERM = /^title:\*((?:\\.|[^\s*\\])+)\*$/;

/**
 * Title search as the app sends it: `title:*word*` terms separated by spaces, all of which
 * must match (AND is implied), backslash-escaped special characters. A simplification of
 * Shopify's wildcard: any case-insensitive substring of the title matches.
 */
export function parseTitleFilter(query: string): ((title: string) => boolean) | null {
  const terms = query.trim().split(/\s+/);
  const words: string[] = [];
  for (const term of terms) {
    const match = TITLE_TERM.exec(term);
    if (!match) return null;
    words.push((match[1] ?? "").replace(/\\(.)/g, "$1").toLowerCase());
  }
  return (title) => words.every((word) => title.toLowerCase().includes(word));
}

/** The items a search `query` selects: by updated_at, or by title where items have one. */
function searchFilter<T extends object>(query: string): (item: T) => boolean {
  if (query.trim().startsWith("title:")) {
    const matches = parseTitleFilter(query);
    if (!matches) throw new GraphQLError(`Simulated store: unsupported search query "${query}"`);
    return (item) => {
      const title = (item as { title?: unknown }).title;
      return typeof title === "string" && matches(title);
    };
  }
  const matches = parseUpdatedAtFilter(query);
  return (item) => {
    const time = (item as { updatedAt?: Date }).updatedAt;
    return time !== undefined && matches(time);
  };
}

/** A Relay connection over `items`, with Shopify's rule that a page size is required. */
export function connection<T extends object, V>(
  items: readonly T[],
  args: ConnectionArgs,
  context: ResolveContext,
  view: (item: T) => V,
) {
  const updatedAt = (item: T) => (item as { updatedAt?: Date }).updatedAt;
  const titleOf = (item: T) => String((item as { title?: unknown }).title ?? "");
  const selected = args.query ? items.filter(searchFilter<T>(args.query)) : [...items];
  if (args.sortKey === "UPDATED_AT") {
    selected.sort((a, b) => (updatedAt(a)?.getTime() ?? 0) - (updatedAt(b)?.getTime() ?? 0));
  } else if (args.sortKey === "TITLE") {
    selected.sort((a, b) => titleOf(a).localeCompare(titleOf(b)));
  }
  if (args.reverse) selected.reverse();
  let start = 0;
  let count = selected.length;
  if (!context.bulk) {
    if (args.first == null && args.last == null) {
      throw new GraphQLError("you must provide one of first or last", {
        extensions: { code: "BAD_REQUEST" },
      });
    }
    if ((args.first ?? 0) > 250) {
      throw new GraphQLError("The first argument must be at most 250", {
        extensions: { code: "BAD_REQUEST" },
      });
    }
    start = args.after ? decodeCursor(args.after) + 1 : 0;
    count = args.first ?? args.last ?? 0;
  }
  const page = selected.slice(start, start + count);
  const edges = page.map((item, offset) => ({
    cursor: encodeCursor(start + offset),
    node: view(item),
  }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: start + count < selected.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
