import {
  GraphQLError,
  execute,
  parse,
  validate,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";
import { appSubscriptionView } from "../app-billing";
import { gid, parseGid } from "../shopify-json";
import type { DevStore } from "../store";
import { runBulkQuery } from "./bulk-export";
import {
  connection,
  ORDER_HISTORY_WITHOUT_READ_ALL_ORDERS_MS,
  type ConnectionArgs,
  type ResolveContext,
} from "./connections";
import { createMutations } from "./mutations";
import { MAX_SINGLE_QUERY_COST, requestedQueryCost } from "./query-cost";
import { CostBucket } from "./throttle";
import {
  collectionView,
  customerView,
  discountNodeView,
  orderView,
  productView,
  shopView,
} from "./views";

export interface BulkOperation {
  id: bigint;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED";
  errorCode: string | null;
  createdAt: Date;
  completedAt: Date | null;
  objectCount: number;
  rootObjectCount: number;
  lines: string[];
  fileSize: number;
}

export interface AdminEndpointOptions {
  /** Where bulk results are downloaded from (the store server's origin). */
  bulkResultBaseUrl: () => string;
  /** The simulated admin's origin, where a subscription's confirmation page is. */
  adminBaseUrl?: () => string;
  onBulkOperationFinished?: (operation: BulkOperation) => void;
  bucket?: CostBucket;
}

export interface GraphqlHttpResult {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The store's Admin GraphQL API: real schema, resolvers over the store, Shopify's cost
 * extension and THROTTLED errors, and bulk operations with downloadable JSONL results.
 */
export class AdminGraphqlEndpoint {
  readonly bucket: CostBucket;
  readonly bulkOperations = new Map<bigint, BulkOperation>();
  private readonly rootValue: Record<string, unknown>;

  constructor(
    readonly schema: GraphQLSchema,
    readonly store: DevStore,
    private readonly options: AdminEndpointOptions,
  ) {
    this.bucket = options.bucket ?? new CostBucket();
    this.rootValue = {
      ...this.queryRoot(),
      ...createMutations(store, this),
      ...store.webPixel.resolvers(),
    };
  }

  async handle(
    request: { query?: unknown; variables?: unknown },
    scopes: readonly string[],
  ): Promise<GraphqlHttpResult> {
    if (typeof request.query !== "string") {
      return { status: 400, body: { errors: [{ message: "Missing query" }] } };
    }
    const variables =
      typeof request.variables === "object" && request.variables !== null
        ? (request.variables as Record<string, unknown>)
        : {};
    let document;
    try {
      document = parse(request.query);
    } catch (error) {
      return { status: 200, body: { errors: [{ message: (error as Error).message }] } };
    }
    const validationErrors = validate(this.schema, document);
    if (validationErrors.length > 0) {
      return { status: 200, body: { errors: validationErrors.map((error) => error.toJSON()) } };
    }
    const cost = requestedQueryCost(this.schema, document, variables);
    if (cost > MAX_SINGLE_QUERY_COST) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_SINGLE_QUERY_COST },
            },
          ],
          extensions: this.costExtension(cost, 0),
        },
      };
    }
    if (!this.bucket.take(cost)) {
      return {
        status: 200,
        body: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
          extensions: this.costExtension(cost, 0),
        },
      };
    }
    const context: ResolveContext = { bulk: false, scopes };
    const result = await execute({
      schema: this.schema,
      document,
      rootValue: this.rootValue,
      contextValue: context,
      variableValues: variables,
      fieldResolver: this.fieldResolver,
      typeResolver,
    });
    return {
      status: 200,
      body: {
        ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
        data: result.data ?? null,
        extensions: this.costExtension(cost, cost),
      },
    };
  }

  private costExtension(requested: number, actual: number) {
    return {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: this.bucket.status(),
      },
    };
  }

  private readonly fieldResolver: GraphQLFieldResolver<unknown, ResolveContext> = (
    source,
    args,
    context,
    info,
  ) => {
    const value = (source as Record<string, unknown> | null)?.[info.fieldName];
    const isRoot =
      info.parentType === this.schema.getQueryType() ||
      info.parentType === this.schema.getMutationType();
    if (value === undefined && isRoot) {
      throw new GraphQLError(`${info.fieldName} is not implemented in the simulated store`);
    }
    return typeof value === "function" ? value(args, context, info) : value;
  };

  startBulkOperation(query: string, scopes: readonly string[]): BulkOperation {
    const operation: BulkOperation = {
      id: this.store.allocateId(),
      query,
      status: "RUNNING",
      errorCode: null,
      createdAt: new Date(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      lines: [],
      fileSize: 0,
    };
    this.bulkOperations.set(operation.id, operation);
    setImmediate(() => {
      runBulkQuery(this.schema, query, this.rootValue, this.fieldResolver, typeResolver, scopes)
        .then(({ lines, rootObjectCount }) => {
          operation.lines = lines;
          operation.objectCount = lines.length;
          operation.rootObjectCount = rootObjectCount;
          operation.fileSize = lines.reduce((size, line) => size + Buffer.byteLength(line) + 1, 0);
          operation.status = "COMPLETED";
        })
        .catch(() => {
          operation.status = "FAILED";
          operation.errorCode = "INTERNAL_SERVER_ERROR";
        })
        .finally(() => {
          operation.completedAt = new Date();
          this.options.onBulkOperationFinished?.(operation);
        });
    });
    return operation;
  }

  /** The page where the merchant approves (or declines) a subscription the app created. */
  confirmationUrl(subscriptionId: bigint): string {
    const base = (this.options.adminBaseUrl ?? this.options.bulkResultBaseUrl)();
    return `${base}/admin/charges/${subscriptionId}/confirm`;
  }

  runningBulkOperation(): BulkOperation | undefined {
    return [...this.bulkOperations.values()].find((operation) => operation.status === "RUNNING");
  }

  bulkOperationView(operation: BulkOperation) {
    const hasResult = operation.status === "COMPLETED" && operation.lines.length > 0;
    return {
      __typename: "BulkOperation",
      id: gid("BulkOperation", operation.id),
      status: operation.status,
      errorCode: operation.errorCode,
      type: "QUERY",
      query: operation.query,
      objectCount: String(operation.objectCount),
      rootObjectCount: String(operation.rootObjectCount),
      fileSize: hasResult ? String(operation.fileSize) : null,
      url: hasResult ? `${this.options.bulkResultBaseUrl()}/bulk/${operation.id}.jsonl` : null,
      partialDataUrl: null,
      createdAt: operation.createdAt.toISOString(),
      completedAt: operation.completedAt?.toISOString() ?? null,
    };
  }

  private queryRoot() {
    const store = this.store;
    const list =
      <T, V>(items: () => readonly T[], view: (item: T) => V) =>
      (args: ConnectionArgs, context: ResolveContext) =>
        connection(items() as readonly (T & object)[], args, context, view);
    return {
      shop: () => shopView(store),
      customers: list(() => store.data.customers, customerView),
      orders: (args: ConnectionArgs, context: ResolveContext) =>
        connection(visibleOrders(store, context), args, context, orderView),
      products: list(() => store.data.products, productView),
      collections: list(
        () => store.data.collections,
        (collection) => collectionView(collection, store),
      ),
      customer: ({ id }: { id: string }) => {
        const customer = store.customersById.get(parseGid(id, "Customer") ?? -1n);
        return customer ? customerView(customer) : null;
      },
      order: ({ id }: { id: string }) => {
        const order = store.ordersById.get(parseGid(id, "Order") ?? -1n);
        return order ? orderView(order) : null;
      },
      product: ({ id }: { id: string }) => {
        const product = store.productsById.get(parseGid(id, "Product") ?? -1n);
        return product ? productView(product) : null;
      },
      collection: ({ id }: { id: string }) => {
        const collection = store.collectionsById.get(parseGid(id, "Collection") ?? -1n);
        return collection ? collectionView(collection, store) : null;
      },
      themes: (args: ConnectionArgs & { roles?: string[] | null }, context: ResolveContext) =>
        store.theme.themesConnection(args, context),
      codeDiscountNodeByCode: ({ code }: { code: string }) => {
        const discount = store.discounts.find(
          (candidate) => candidate.code.toLowerCase() === code.toLowerCase(),
        );
        return discount ? discountNodeView(discount) : null;
      },
      currentAppInstallation: () => ({
        __typename: "AppInstallation",
        id: gid("AppInstallation", 1),
        activeSubscriptions: store.billing.active().map(appSubscriptionView),
        // One-time purchases are not simulated: the app sells subscriptions only.
        oneTimePurchases: {
          edges: [],
          nodes: [],
          pageInfo: {
            hasNextPage: false,
            hasPreviousPage: false,
            startCursor: null,
            endCursor: null,
          },
        },
      }),
      node: ({ id }: { id: string }) => this.nodeById(id),
      nodes: ({ ids }: { ids: string[] }) => ids.map((id) => this.nodeById(id)),
      currentBulkOperation: () => {
        const latest = [...this.bulkOperations.values()].at(-1);
        return latest ? this.bulkOperationView(latest) : null;
      },
    };
  }

  private nodeById(id: string) {
    const match = /^gid:\/\/shopify\/(\w+)\/\d+$/.exec(id);
    const numeric = parseGid(id) ?? -1n;
    switch (match?.[1]) {
      case "Customer": {
        const customer = this.store.customersById.get(numeric);
        return customer ? customerView(customer) : null;
      }
      case "Order": {
        const order = this.store.ordersById.get(numeric);
        return order ? orderView(order) : null;
      }
      case "Product": {
        const product = this.store.productsById.get(numeric);
        return product ? productView(product) : null;
      }
      case "Collection": {
        const collection = this.store.collectionsById.get(numeric);
        return collection ? collectionView(collection, this.store) : null;
      }
      case "BulkOperation": {
        const operation = this.bulkOperations.get(numeric);
        return operation ? this.bulkOperationView(operation) : null;
      }
      case "DiscountCodeNode": {
        const discount = this.store.discounts.find((candidate) => candidate.id === numeric);
        return discount ? discountNodeView(discount) : null;
      }
      default:
        return null;
    }
  }
}

function visibleOrders(store: DevStore, context: ResolveContext) {
  if (context.scopes.includes("read_all_orders")) return store.data.orders;
  const oldest = Date.now() - ORDER_HISTORY_WITHOUT_READ_ALL_ORDERS_MS;
  return store.data.orders.filter((order) => order.processedAt.getTime() >= oldest);
}

const typeResolver: GraphQLTypeResolver<unknown, unknown> = (value) =>
  (value as { __typename?: string }).__typename;
