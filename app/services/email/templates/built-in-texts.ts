/**
 * The texts a branded email has before the merchant writes any, in each language an email can
 * be sent in (the admin's languages), and the footer's fixed lines. Customer-facing: short,
 * friendly, with the same placeholders a merchant may use.
 */
import type { TemplateTexts } from "./template-document";

export const EMAIL_LANGUAGES = ["en", "ms", "tr", "te", "zh-CN", "fa"] as const;
export type EmailLanguage = (typeof EMAIL_LANGUAGES)[number];

/** Lines the merchant does not edit: the footer and the discount's end date. */
export interface FixedTexts {
  unsubscribe: string;
  /** Why the customer gets this email; `{{shop_name}}` is filled in. */
  footerReason: string;
  /** `{{expires_on}}` is filled in. */
  expiresOn: string;
  quantity: string;
}

export const BUILT_IN_TEXTS: Record<EmailLanguage, TemplateTexts & FixedTexts> = {
  en: {
    subject: "Something new for you at {{shop_name}}",
    heading: "It's been a while",
    text: "Hi {{first_name}}, we have new things we think you'll like.",
    productsTitle: "Picked for you",
    discountTitle: "Your code",
    lastOrderTitle: "Your last order",
    buttonLabel: "Visit the shop",
    unsubscribe: "Unsubscribe",
    footerReason: "You get this email because you subscribed to news from {{shop_name}}.",
    expiresOn: "Use it by {{expires_on}}",
    quantity: "Qty",
  },
  ms: {
    subject: "Sesuatu yang baharu untuk anda di {{shop_name}}",
    heading: "Sudah lama tidak berjumpa",
    text: "Hai {{first_name}}, kami ada barangan baharu yang mungkin anda suka.",
    productsTitle: "Dipilih untuk anda",
    discountTitle: "Kod anda",
    lastOrderTitle: "Pesanan terakhir anda",
    buttonLabel: "Lawati kedai",
    unsubscribe: "Berhenti melanggan",
    footerReason: "Anda menerima e-mel ini kerana anda melanggan berita daripada {{shop_name}}.",
    expiresOn: "Gunakan sebelum {{expires_on}}",
    quantity: "Kuantiti",
  },
  tr: {
    subject: "{{shop_name}} mağazasında sizin için yeni şeyler var",
    heading: "Sizi özledik",
    text: "Merhaba {{first_name}}, beğeneceğinizi düşündüğümüz yeni ürünlerimiz var.",
    productsTitle: "Sizin için seçtiklerimiz",
    discountTitle: "Kodunuz",
    lastOrderTitle: "Son siparişiniz",
    buttonLabel: "Mağazayı ziyaret edin",
    unsubscribe: "Abonelikten çık",
    footerReason: "Bu e-postayı {{shop_name}} haberlerine abone olduğunuz için alıyorsunuz.",
    expiresOn: "Son kullanma: {{expires_on}}",
    quantity: "Adet",
  },
  te: {
    subject: "{{shop_name}}లో మీ కోసం కొత్తవి",
    heading: "చాలా రోజులైంది",
    text: "హాయ్ {{first_name}}, మీకు నచ్చుతాయని మేము భావించే కొత్త వస్తువులు వచ్చాయి.",
    productsTitle: "మీ కోసం ఎంచుకున్నవి",
    discountTitle: "మీ కోడ్",
    lastOrderTitle: "మీ చివరి ఆర్డర్",
    buttonLabel: "దుకాణాన్ని సందర్శించండి",
    unsubscribe: "చందా రద్దు చేయండి",
    footerReason: "మీరు {{shop_name}} వార్తలకు చందా చేసినందున ఈ ఈమెయిల్ వచ్చింది.",
    expiresOn: "{{expires_on}} లోపు ఉపయోగించండి",
    quantity: "పరిమాణం",
  },
  "zh-CN": {
    subject: "{{shop_name}} 为您准备了新品",
    heading: "好久不见",
    text: "{{first_name}}，您好！我们上新了，相信您会喜欢。",
    productsTitle: "为您精选",
    discountTitle: "您的优惠码",
    lastOrderTitle: "您的上一笔订单",
    buttonLabel: "逛逛店铺",
    unsubscribe: "退订",
    footerReason: "您收到此邮件是因为您订阅了 {{shop_name}} 的消息。",
    expiresOn: "请在 {{expires_on}} 前使用",
    quantity: "数量",
  },
  fa: {
    subject: "چیزهای تازه برای شما در {{shop_name}}",
    heading: "مدتی است که ندیدیمتان",
    text: "سلام {{first_name}}، محصولات تازه‌ای داریم که فکر می‌کنیم دوست داشته باشید.",
    productsTitle: "برگزیده برای شما",
    discountTitle: "کد شما",
    lastOrderTitle: "آخرین سفارش شما",
    buttonLabel: "دیدن فروشگاه",
    unsubscribe: "لغو اشتراک",
    footerReason: "این ایمیل را دریافت می‌کنید چون مشترک خبرهای {{shop_name}} هستید.",
    expiresOn: "تا {{expires_on}} از آن استفاده کنید",
    quantity: "تعداد",
  },
};

/** Right-to-left languages: the email's `dir`. */
export const isRightToLeft = (language: EmailLanguage) => language === "fa";
