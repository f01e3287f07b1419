/**
 * The flow templates' email texts in each language an email can be sent in. A flow made from a
 * template stores the English text; while the merchant leaves a subject or text as it came, the
 * admin shows it in the admin's language and each customer gets it in their own language. Once
 * the merchant edits it, their own words are shown and sent as they wrote them.
 * Pure and browser-safe: the flow editor uses it too.
 */
import { EMAIL_LANGUAGES, type EmailLanguage } from "./built-in-texts";

export const FLOW_TEXT_IDS = [
  "welcomeSubject",
  "welcomeBody",
  "favouritesSubject",
  "favouritesBody",
  "leftBehindSubject",
  "leftBehindBody",
  "thinkingItOverSubject",
  "cartSavedBody",
  "gettingOnSubject",
  "gettingOnBody",
  "missYouSubject",
  "missYouBody",
  "topUpSubject",
  "topUpBody",
  "hadALookBody",
] as const;

export type FlowTextId = (typeof FLOW_TEXT_IDS)[number];

/** A text with the footer every template email ends with (shop name, unsubscribe link). */
const withFooter = (text: string, unsubscribe: string) =>
  `${text}\n\n{{shop_name}}\n${unsubscribe}: {{unsubscribe_url}}`;

const texts = (unsubscribe: string, lines: Record<FlowTextId, string>) =>
  Object.fromEntries(
    Object.entries(lines).map(([id, line]) => [
      id,
      id.endsWith("Body") ? withFooter(line, unsubscribe) : line,
    ]),
  ) as Record<FlowTextId, string>;

export const FLOW_TEMPLATE_TEXTS: Record<EmailLanguage, Record<FlowTextId, string>> = {
  en: texts("Unsubscribe", {
    welcomeSubject: "Welcome to {{shop_name}}",
    welcomeBody: "Hi {{first_name}},\n\nThanks for joining us. Here is what we are about.",
    favouritesSubject: "Our customers' favourites",
    favouritesBody: "Hi {{first_name}},\n\nThese are the products our customers come back for.",
    leftBehindSubject: "You left something behind",
    leftBehindBody: "Hi {{first_name}},\n\nYour cart is still waiting for you.",
    thinkingItOverSubject: "Still thinking it over?",
    cartSavedBody: "Hi {{first_name}},\n\nYour cart is saved. Questions? Just reply to this email.",
    gettingOnSubject: "How are you getting on?",
    gettingOnBody:
      "Hi {{first_name}},\n\nWe hope you love your order. Customers who bought it also liked these.",
    missYouSubject: "We miss you at {{shop_name}}",
    missYouBody:
      "Hi {{first_name}},\n\nIt has been a while. Here is what is new since your last visit.",
    topUpSubject: "Time for a top-up?",
    topUpBody: "Hi {{first_name}},\n\nIt is about the time you usually order again.",
    hadALookBody:
      "Hi {{first_name}},\n\nYou had a look at something you liked. Here it is, with a few others you might like too.",
  }),
  ms: texts("Berhenti melanggan", {
    welcomeSubject: "Selamat datang ke {{shop_name}}",
    welcomeBody:
      "Hai {{first_name}},\n\nTerima kasih kerana menyertai kami. Inilah serba sedikit tentang kami.",
    favouritesSubject: "Pilihan kegemaran pelanggan kami",
    favouritesBody: "Hai {{first_name}},\n\nInilah produk yang pelanggan kami beli berulang kali.",
    leftBehindSubject: "Ada barang yang anda tertinggal",
    leftBehindBody: "Hai {{first_name}},\n\nTroli anda masih menunggu anda.",
    thinkingItOverSubject: "Masih memikirkannya?",
    cartSavedBody:
      "Hai {{first_name}},\n\nTroli anda telah disimpan. Ada soalan? Balas sahaja e-mel ini.",
    gettingOnSubject: "Bagaimana pesanan anda?",
    gettingOnBody:
      "Hai {{first_name}},\n\nKami harap anda suka pesanan anda. Pelanggan yang membelinya juga suka barangan ini.",
    missYouSubject: "Kami rindu anda di {{shop_name}}",
    missYouBody:
      "Hai {{first_name}},\n\nSudah agak lama. Inilah yang baharu sejak lawatan terakhir anda.",
    topUpSubject: "Masa untuk menambah stok?",
    topUpBody: "Hai {{first_name}},\n\nSudah tiba masanya anda biasa membuat pesanan semula.",
    hadALookBody:
      "Hai {{first_name}},\n\nAnda telah melihat sesuatu yang anda suka. Inilah ia, bersama beberapa barangan lain yang mungkin anda suka.",
  }),
  tr: texts("Abonelikten çık", {
    welcomeSubject: "{{shop_name}} mağazasına hoş geldiniz",
    welcomeBody:
      "Merhaba {{first_name}},\n\nAramıza katıldığınız için teşekkürler. İşte biz kimiz, ne yapıyoruz.",
    favouritesSubject: "Müşterilerimizin favorileri",
    favouritesBody:
      "Merhaba {{first_name}},\n\nMüşterilerimizin tekrar tekrar aldığı ürünler bunlar.",
    leftBehindSubject: "Bir şey unuttunuz",
    leftBehindBody: "Merhaba {{first_name}},\n\nSepetiniz hâlâ sizi bekliyor.",
    thinkingItOverSubject: "Hâlâ düşünüyor musunuz?",
    cartSavedBody:
      "Merhaba {{first_name}},\n\nSepetiniz kaydedildi. Sorunuz mu var? Bu e-postayı yanıtlamanız yeterli.",
    gettingOnSubject: "Siparişinizden memnun musunuz?",
    gettingOnBody:
      "Merhaba {{first_name}},\n\nSiparişinizi seveceğinizi umuyoruz. Onu alan müşteriler bunları da beğendi.",
    missYouSubject: "{{shop_name}} olarak sizi özledik",
    missYouBody:
      "Merhaba {{first_name}},\n\nUzun zaman oldu. Son ziyaretinizden bu yana yeni olanlar burada.",
    topUpSubject: "Yenileme zamanı mı?",
    topUpBody: "Merhaba {{first_name}},\n\nGenellikle yeniden sipariş verdiğiniz zaman geldi.",
    hadALookBody:
      "Merhaba {{first_name}},\n\nBeğendiğiniz bir ürüne göz attınız. İşte o ürün ve beğenebileceğiniz birkaç ürün daha.",
  }),
  te: texts("చందా రద్దు చేయండి", {
    welcomeSubject: "{{shop_name}}కు స్వాగతం",
    welcomeBody: "హాయ్ {{first_name}},\n\nమాతో చేరినందుకు ధన్యవాదాలు. మా గురించి కొన్ని విషయాలు ఇక్కడ ఉన్నాయి.",
    favouritesSubject: "మా కస్టమర్లకు ఇష్టమైనవి",
    favouritesBody: "హాయ్ {{first_name}},\n\nమా కస్టమర్లు మళ్లీ మళ్లీ కొనే ఉత్పత్తులు ఇవే.",
    leftBehindSubject: "మీరు ఏదో మర్చిపోయారు",
    leftBehindBody: "హాయ్ {{first_name}},\n\nమీ కార్ట్ ఇంకా మీ కోసం ఎదురుచూస్తోంది.",
    thinkingItOverSubject: "ఇంకా ఆలోచిస్తున్నారా?",
    cartSavedBody: "హాయ్ {{first_name}},\n\nమీ కార్ట్ సేవ్ అయింది. ప్రశ్నలు ఉన్నాయా? ఈ ఈమెయిల్‌కు జవాబు ఇవ్వండి చాలు.",
    gettingOnSubject: "మీ ఆర్డర్ ఎలా ఉంది?",
    gettingOnBody:
      "హాయ్ {{first_name}},\n\nమీ ఆర్డర్ మీకు నచ్చిందని ఆశిస్తున్నాము. దాన్ని కొన్న కస్టమర్లు వీటిని కూడా ఇష్టపడ్డారు.",
    missYouSubject: "{{shop_name}}లో మిమ్మల్ని మిస్ అవుతున్నాం",
    missYouBody: "హాయ్ {{first_name}},\n\nచాలా రోజులైంది. మీరు చివరిసారి వచ్చినప్పటి నుండి కొత్తవి ఇక్కడ ఉన్నాయి.",
    topUpSubject: "మళ్లీ కొనే సమయం వచ్చిందా?",
    topUpBody: "హాయ్ {{first_name}},\n\nమీరు సాధారణంగా మళ్లీ ఆర్డర్ చేసే సమయం ఇదే.",
    hadALookBody:
      "హాయ్ {{first_name}},\n\nమీకు నచ్చిన ఒక వస్తువును మీరు చూశారు. అది ఇదిగో, మీకు నచ్చే మరికొన్నింటితో పాటు.",
  }),
  "zh-CN": texts("退订", {
    welcomeSubject: "欢迎来到 {{shop_name}}",
    welcomeBody: "{{first_name}}，您好！\n\n感谢您的加入。下面是关于我们的一些介绍。",
    favouritesSubject: "顾客最爱",
    favouritesBody: "{{first_name}}，您好！\n\n这些是我们的顾客一再回购的商品。",
    leftBehindSubject: "您有商品落下了",
    leftBehindBody: "{{first_name}}，您好！\n\n您的购物车还在等着您。",
    thinkingItOverSubject: "还在考虑吗？",
    cartSavedBody: "{{first_name}}，您好！\n\n您的购物车已保存。有疑问？直接回复这封邮件即可。",
    gettingOnSubject: "您的订单用得怎么样？",
    gettingOnBody: "{{first_name}}，您好！\n\n希望您喜欢这次的订单。购买过它的顾客也喜欢这些商品。",
    missYouSubject: "{{shop_name}} 想念您",
    missYouBody: "{{first_name}}，您好！\n\n好久不见。这是您上次光临以来的新品。",
    topUpSubject: "该补货了吗？",
    topUpBody: "{{first_name}}，您好！\n\n差不多到了您通常再次下单的时候了。",
    hadALookBody:
      "{{first_name}}，您好！\n\n您看过一件喜欢的商品。它在这里，还有几件您可能也会喜欢的。",
  }),
  fa: texts("لغو اشتراک", {
    welcomeSubject: "به {{shop_name}} خوش آمدید",
    welcomeBody: "سلام {{first_name}}،\n\nممنون که به ما پیوستید. کمی دربارهٔ ما بخوانید.",
    favouritesSubject: "محبوب‌های مشتریان ما",
    favouritesBody:
      "سلام {{first_name}}،\n\nاین‌ها محصولاتی هستند که مشتریان ما بارها برایشان برمی‌گردند.",
    leftBehindSubject: "چیزی جا گذاشتید",
    leftBehindBody: "سلام {{first_name}}،\n\nسبد خرید شما هنوز منتظر شماست.",
    thinkingItOverSubject: "هنوز در حال فکر کردن هستید؟",
    cartSavedBody:
      "سلام {{first_name}}،\n\nسبد خرید شما ذخیره شده است. سؤالی دارید؟ کافی است به همین ایمیل پاسخ دهید.",
    gettingOnSubject: "از سفارشتان راضی هستید؟",
    gettingOnBody:
      "سلام {{first_name}}،\n\nامیدواریم سفارشتان را دوست داشته باشید. مشتریانی که آن را خریدند این‌ها را هم پسندیدند.",
    missYouSubject: "در {{shop_name}} دلمان برایتان تنگ شده",
    missYouBody:
      "سلام {{first_name}}،\n\nمدتی گذشته است. این‌ها تازه‌های ما از آخرین بازدید شما هستند.",
    topUpSubject: "وقت خرید دوباره است؟",
    topUpBody: "سلام {{first_name}}،\n\nتقریباً زمانی است که معمولاً دوباره سفارش می‌دهید.",
    hadALookBody:
      "سلام {{first_name}}،\n\nچیزی را که دوست داشتید دیدید. این هم همان، با چند چیز دیگر که شاید بپسندید.",
  }),
};

const isEmailLanguage = (language: string): language is EmailLanguage =>
  (EMAIL_LANGUAGES as readonly string[]).includes(language);

/** The id of a text as a template wrote it in `language`, or undefined. */
function textIdIn(language: EmailLanguage, text: string): FlowTextId | undefined {
  const catalogue = FLOW_TEMPLATE_TEXTS[language];
  return FLOW_TEXT_IDS.find((id) => catalogue[id] === text);
}

/** A stored text in `language` when it is a template's text as it came; else as written. */
export function flowTextIn(text: string, language: string): string {
  const id = textIdIn("en", text);
  return id && isEmailLanguage(language) ? FLOW_TEMPLATE_TEXTS[language][id] : text;
}

/**
 * The text to store for what the merchant saved in the editor, which showed it in `language`:
 * a template's text left as shown is stored as the template's (English) text, so it keeps
 * following each reader's language.
 */
export function flowTextToStore(text: string, language: string): string {
  const id = isEmailLanguage(language) ? textIdIn(language, text) : undefined;
  return id ? FLOW_TEMPLATE_TEXTS.en[id] : text;
}

type EmailTexts = { subject: string; body: string };

function mapEmailTexts<S>(steps: readonly S[], map: (text: string) => string): S[] {
  const both = <T extends EmailTexts>(texts: T): T => ({
    ...texts,
    subject: map(texts.subject),
    body: map(texts.body),
  });
  return steps.map((step) => {
    const candidate = step as S & { kind: string; variantB?: EmailTexts } & EmailTexts;
    if (candidate.kind !== "email") return step;
    const mapped = both(candidate);
    return candidate.variantB ? { ...mapped, variantB: both(candidate.variantB) } : mapped;
  });
}

/** A flow's steps with their template texts in `language` (the editor's view of them). */
export const flowStepsIn = <S>(steps: readonly S[], language: string) =>
  mapEmailTexts(steps, (text) => flowTextIn(text, language));

/** Steps saved from an editor shown in `language`, with unedited template texts as stored. */
export const flowStepsToStore = <S>(steps: readonly S[], language: string) =>
  mapEmailTexts(steps, (text) => flowTextToStore(text, language));
