import type { MarketingState, StoreAddress } from "../model";
import { pick, type Uniform } from "./distributions";

const FIRST_NAMES = [
  "Ada",
  "Grace",
  "Alan",
  "Linus",
  "Emre",
  "Ayşe",
  "Mehmet",
  "Zeynep",
  "Olivia",
  "Liam",
  "Noah",
  "Emma",
  "Sofia",
  "Lucas",
  "Mia",
  "Hana",
  "Kenji",
  "Priya",
  "Arjun",
  "Chloé",
  "Léa",
  "Jonas",
  "Freya",
  "Mateo",
  "Valentina",
  "Omar",
  "Fatima",
  "Ivan",
  "Anya",
  "Kofi",
];
const LAST_NAMES = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Torvalds",
  "Yılmaz",
  "Kaya",
  "Demir",
  "Smith",
  "Johnson",
  "Brown",
  "Garcia",
  "Martin",
  "Müller",
  "Schmidt",
  "Rossi",
  "Tanaka",
  "Sato",
  "Patel",
  "Singh",
  "Dubois",
  "Nielsen",
  "Silva",
  "Costa",
  "Haddad",
  "Novak",
  "Mensah",
  "Kim",
  "Nguyen",
  "O'Brien",
  "Walsh",
];
const PLACES: Array<StoreAddress & { weight: number }> = [
  { city: "New York", province: "NY", countryCode: "US", weight: 18 },
  { city: "Austin", province: "TX", countryCode: "US", weight: 12 },
  { city: "Portland", province: "OR", countryCode: "US", weight: 10 },
  { city: "Chicago", province: "IL", countryCode: "US", weight: 10 },
  { city: "Toronto", province: "ON", countryCode: "CA", weight: 9 },
  { city: "London", province: "ENG", countryCode: "GB", weight: 9 },
  { city: "Berlin", province: "BE", countryCode: "DE", weight: 7 },
  { city: "Istanbul", province: "34", countryCode: "TR", weight: 6 },
  { city: "Sydney", province: "NSW", countryCode: "AU", weight: 6 },
  { city: "Paris", province: "IDF", countryCode: "FR", weight: 5 },
];
const PLACE_TOTAL = PLACES.reduce((sum, place) => sum + place.weight, 0);

export function personName(random: Uniform) {
  return { firstName: pick(random, FIRST_NAMES), lastName: pick(random, LAST_NAMES) };
}

export function emailFor(firstName: string, lastName: string, serial: number) {
  const local = `${firstName}.${lastName}`
    .normalize("NFD")
    .replace(/[^\w.]/g, "")
    .toLowerCase();
  return `${local}.${serial}@example.com`;
}

export function place(random: Uniform): StoreAddress {
  let target = random() * PLACE_TOTAL;
  for (const candidate of PLACES) {
    target -= candidate.weight;
    if (target <= 0)
      return {
        city: candidate.city,
        province: candidate.province,
        countryCode: candidate.countryCode,
      };
  }
  return { city: "New York", province: "NY", countryCode: "US" };
}

/** Roughly the consent mix of a small DTC shop: about half subscribed to email. */
export function emailConsent(random: Uniform): MarketingState {
  const draw = random();
  return draw < 0.55 ? "SUBSCRIBED" : draw < 0.9 ? "NOT_SUBSCRIBED" : "UNSUBSCRIBED";
}

export function customerTags(random: Uniform): string[] {
  const tags: string[] = [];
  if (random() < 0.2) tags.push("newsletter");
  if (random() < 0.08) tags.push("vip");
  if (random() < 0.04) tags.push("wholesale");
  if (random() < 0.05) tags.push("instagram");
  return tags;
}
