import type { StoreCollection, StoreProduct, StoreVariant } from "../model";
import { productImageUrl } from "../product-images";
import { pick, type Uniform } from "./distributions";

const ADJECTIVES = [
  "Classic",
  "Everyday",
  "Organic",
  "Heritage",
  "Coastal",
  "Alpine",
  "Urban",
  "Cozy",
  "Bright",
  "Wild",
  "Smoky",
  "Golden",
  "Misty",
  "Rustic",
  "Velvet",
];
const GROUPS = [
  {
    type: "Coffee",
    nouns: ["Espresso Blend", "Cold Brew", "Single Origin", "Decaf Roast", "Pour-Over Kit"],
    vendor: "Hearth Roasters",
  },
  {
    type: "Tea",
    nouns: ["Green Tea", "Chai", "Earl Grey", "Herbal Infusion", "Matcha"],
    vendor: "Leaf & Kettle",
  },
  {
    type: "Candles",
    nouns: ["Soy Candle", "Wax Melt", "Wick Trimmer", "Candle Tin", "Reed Diffuser"],
    vendor: "Ember Works",
  },
  {
    type: "Skincare",
    nouns: ["Face Oil", "Hand Cream", "Lip Balm", "Body Scrub", "Cleanser"],
    vendor: "Fern Botanicals",
  },
  {
    type: "Kitchen",
    nouns: ["Ceramic Mug", "Linen Towel", "Cutting Board", "Spice Jar", "Tea Towel"],
    vendor: "Oak & Clay",
  },
  {
    type: "Snacks",
    nouns: ["Granola", "Dark Chocolate", "Trail Mix", "Shortbread", "Honey"],
    vendor: "Pantry Co",
  },
  {
    type: "Apparel",
    nouns: ["Wool Socks", "Beanie", "Apron", "Tote Bag", "Scarf"],
    vendor: "Thread Supply",
  },
  {
    type: "Stationery",
    nouns: ["Notebook", "Pen Set", "Planner", "Greeting Card", "Washi Tape"],
    vendor: "Paper Lane",
  },
];
const VARIANT_SETS = [
  ["Default Title"],
  ["Small", "Large"],
  ["250 g", "500 g", "1 kg"],
  ["S", "M", "L", "XL"],
];

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/(^-|-$)/g, "");
const cents = (value: number) => (Math.round(value * 100) / 100).toFixed(2);

export interface Catalogue {
  collections: StoreCollection[];
  products: StoreProduct[];
  /** Indexes into `products` of what shoppers can buy, by taste group. */
  sellableByGroup: number[][];
  sellable: number[];
  tasteGroups: number;
}

/**
 * Products in latent taste groups (each group one product family, so co-purchases have a real
 * structure to find), with variants, collections, a few drafts, archived products and gift cards.
 */
export function buildCatalogue(
  random: Uniform,
  productCount: number,
  ids: { next: (kind: string) => bigint },
  start: Date,
): Catalogue {
  const tasteGroups = Math.max(6, Math.min(20, Math.round(productCount / 15)));
  const collectionCount = Math.max(8, Math.min(30, Math.round(8 + productCount / 60)));
  const collections: StoreCollection[] = Array.from({ length: collectionCount }, (_, index) => {
    const group = GROUPS[index % GROUPS.length] ?? GROUPS[0];
    const title =
      index < GROUPS.length
        ? (group?.type ?? "")
        : `${pick(random, ADJECTIVES)} ${group?.type} ${index}`;
    return { id: ids.next("collection"), title, handle: slug(title), updatedAt: start };
  });
  const products: StoreProduct[] = [];
  const handles = new Set<string>();
  for (let index = 0; index < productCount; index += 1) {
    const giftCard = index < 2;
    const tasteGroup = index % tasteGroups;
    const family = GROUPS[tasteGroup % GROUPS.length] ?? GROUPS[0];
    const baseTitle = giftCard
      ? `Gift Card ${index === 0 ? "" : "Deluxe"}`.trim()
      : `${pick(random, ADJECTIVES)} ${pick(random, family?.nouns ?? ["Item"])}`;
    let handle = slug(baseTitle);
    for (let n = 2; handles.has(handle); n += 1) handle = `${slug(baseTitle)}-${n}`;
    handles.add(handle);
    const title =
      handle === slug(baseTitle) ? baseTitle : `${baseTitle} ${handle.split("-").at(-1)}`;
    const id = ids.next("product");
    const basePrice = giftCard ? 25 : 6 + Math.pow(random(), 2) * 80;
    const names = giftCard ? ["$25", "$50", "$100"] : pick(random, VARIANT_SETS);
    const variants: StoreVariant[] = names.map((name, position) => {
      const price = giftCard ? 25 * 2 ** position : basePrice * (1 + position * 0.35);
      const onSale = !giftCard && random() < 0.15;
      return {
        id: ids.next("variant"),
        productId: id,
        title: name,
        sku: `RK-${products.length + 1}-${position + 1}`,
        price: cents(onSale ? price * 0.8 : price),
        compareAtPrice: onSale ? cents(price) : null,
        inventoryQuantity: giftCard ? 0 : random() < 0.08 ? 0 : Math.floor(5 + random() * 200),
      };
    });
    const createdAt = new Date(start.getTime() - random() * 90 * 86_400_000);
    const status = giftCard
      ? "ACTIVE"
      : random() < 0.03
        ? "DRAFT"
        : random() < 0.03
          ? "ARCHIVED"
          : "ACTIVE";
    const inCollections = new Set<bigint>();
    inCollections.add(collections[tasteGroup % GROUPS.length]?.id ?? 0n);
    while (random() < 0.4 && inCollections.size < 3)
      inCollections.add(pick(random, collections).id);
    products.push({
      id,
      title,
      handle,
      vendor: giftCard ? "Rekindle Demo" : (family?.vendor ?? ""),
      productType: giftCard ? "Gift Card" : (family?.type ?? ""),
      status,
      tags: [
        family?.type.toLowerCase() ?? "",
        ...(random() < 0.2 ? ["bestseller"] : []),
        ...(random() < 0.1 ? ["new"] : []),
      ],
      giftCard,
      imageUrl: productImageUrl(handle),
      collectionIds: [...inCollections],
      tasteGroup,
      createdAt,
      publishedAt: status === "ACTIVE" ? createdAt : null,
      updatedAt: createdAt,
      variants,
    });
  }
  const sellable = products.flatMap((product, index) =>
    product.status === "ACTIVE" && !product.giftCard ? [index] : [],
  );
  const sellableByGroup = Array.from({ length: tasteGroups }, (_, group) =>
    sellable.filter((index) => products[index]?.tasteGroup === group),
  );
  return { collections, products, sellableByGroup, sellable, tasteGroups };
}
