import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

const CART_COOKIE = "devstore_cart";

/** A shopper's cart: variant id → quantity, in the order added. */
export type CartLines = Map<bigint, number>;

/**
 * The simulated store's carts, keyed by the shopper's cart cookie as Shopify keys them by its
 * `cart` cookie: the storefront's Cart AJAX API fills them and the checkout empties them.
 */
export class ShopperCarts {
  private readonly carts = new Map<string, CartLines>();

  /** The shopper's cart, and the cookie to set when it is new. */
  of(request: IncomingMessage): { token: string; lines: CartLines; setCookie: string | null } {
    const token = new RegExp(`${CART_COOKIE}=([\\w-]+)`).exec(request.headers.cookie ?? "")?.[1];
    const existing = token ? this.carts.get(token) : undefined;
    if (token && existing) return { token, lines: existing, setCookie: null };
    const fresh = randomUUID();
    const lines: CartLines = new Map();
    this.carts.set(fresh, lines);
    return { token: fresh, lines, setCookie: `${CART_COOKIE}=${fresh}; Path=/; SameSite=Lax` };
  }
}
