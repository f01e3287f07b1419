import { Agent, Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";

/**
 * Sends the app's outgoing HTTPS calls for the simulated shop (`https://<shop>.myshopify.com`,
 * Admin API and OAuth) to the local store server instead, at the connection level: the app
 * and the Shopify libraries build the real URLs and never know. Everything else passes
 * through untouched.
 */
class ShopRerouteDispatcher extends Dispatcher {
  constructor(
    private readonly shopOrigin: string,
    private readonly storeOrigin: string,
    private readonly next: Dispatcher,
    private readonly local: Dispatcher = new Agent(),
  ) {
    super();
  }

  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    const origin = typeof options.origin === "string" ? options.origin : options.origin?.toString();
    if (origin?.replace(/\/$/, "") === this.shopOrigin) {
      return this.local.dispatch({ ...options, origin: this.storeOrigin }, handler);
    }
    return this.next.dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await this.local.close();
  }

  override async destroy(): Promise<void> {
    await this.local.destroy();
  }
}

/** Installs the reroute; the returned function restores the previous dispatcher. */
export function rerouteShopToDevStore(shopDomain: string, storeOrigin: string): () => void {
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(new ShopRerouteDispatcher(`https://${shopDomain}`, storeOrigin, previous));
  return () => setGlobalDispatcher(previous);
}
