import { rerouteShopToDevStore } from "../devstore/shopify-reroute";

// Loaded with `--import` into a worker process started by a test: its calls to the simulated
// shop's Admin API go to the local store server named in DEVSTORE_REROUTE (shop=origin).
const [shop, origin] = (process.env.DEVSTORE_REROUTE ?? "").split("=");
if (shop && origin) rerouteShopToDevStore(shop, origin);
