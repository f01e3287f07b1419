/**
 * Common SMTP services: what their settings are (the settings page fills host, port and TLS
 * from a preset), how fast the app may send through them (the pooled transport's rate limit),
 * and what their sender authentication looks like (the sender check's SPF include and DKIM
 * selectors). Shared by the page and the server.
 *
 * The rates are cautious figures at or under each service's published default, so a run
 * slows down instead of being throttled or blocked; accounts with raised limits still send at
 * these rates. A host that matches no preset is not limited (the merchant's own server).
 */

export interface SmtpProvider {
  id: string;
  /** Product names, the same in every language. */
  name: string;
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS. */
  secure: boolean;
  /** Hosts this provider's SMTP service answers on (regions, older names). */
  hosts: RegExp;
  /** At most `messages` per `seconds` through one shop's pool. */
  rate: { messages: number; seconds: number };
  /** Simultaneous connections the pool opens. */
  maxConnections: number;
  /** What the sender domain's SPF record includes for this service (any one of them). */
  spfIncludes: readonly string[];
  /** DKIM selectors the service uses under `<selector>._domainkey.<domain>`; empty when each
   *  account gets its own (then only the provider's page can tell). */
  dkimSelectors: readonly string[];
}

export const SMTP_PROVIDERS: readonly SmtpProvider[] = [
  {
    id: "google",
    name: "Gmail / Google Workspace",
    host: "smtp.gmail.com",
    port: 465,
    secure: true,
    hosts: /^smtp(-relay)?\.gmail\.com$/,
    // A Workspace user may send 2,000 messages a day: one a second is well inside it.
    rate: { messages: 1, seconds: 1 },
    maxConnections: 1,
    spfIncludes: ["_spf.google.com"],
    dkimSelectors: ["google"],
  },
  {
    id: "microsoft365",
    name: "Microsoft 365 / Outlook",
    host: "smtp.office365.com",
    port: 587,
    secure: false,
    hosts: /^smtp(\.office365|-mail\.outlook)\.com$/,
    // Exchange Online accepts 30 messages a minute from one mailbox.
    rate: { messages: 30, seconds: 60 },
    maxConnections: 1,
    spfIncludes: ["spf.protection.outlook.com"],
    dkimSelectors: ["selector1", "selector2"],
  },
  {
    id: "ses",
    name: "Amazon SES",
    host: "email-smtp.us-east-1.amazonaws.com",
    port: 587,
    secure: false,
    hosts: /^email-smtp(-fips)?\.[a-z0-9-]+\.amazonaws\.com$/,
    // A new production SES account sends 14 messages a second.
    rate: { messages: 14, seconds: 1 },
    maxConnections: 2,
    spfIncludes: ["amazonses.com"],
    dkimSelectors: [],
  },
  {
    id: "sendgrid",
    name: "SendGrid",
    host: "smtp.sendgrid.net",
    port: 587,
    secure: false,
    hosts: /^smtp\.sendgrid\.net$/,
    rate: { messages: 50, seconds: 1 },
    maxConnections: 2,
    spfIncludes: ["sendgrid.net"],
    dkimSelectors: ["s1", "s2"],
  },
  {
    id: "mailgun",
    name: "Mailgun",
    host: "smtp.mailgun.org",
    port: 587,
    secure: false,
    hosts: /^smtp(\.eu)?\.mailgun\.org$/,
    rate: { messages: 50, seconds: 1 },
    maxConnections: 2,
    spfIncludes: ["mailgun.org"],
    dkimSelectors: ["mx", "smtp", "k1", "pic"],
  },
  {
    id: "postmark",
    name: "Postmark",
    host: "smtp.postmarkapp.com",
    port: 587,
    secure: false,
    hosts: /^smtp(-broadcasts)?\.postmarkapp\.com$/,
    rate: { messages: 50, seconds: 1 },
    maxConnections: 2,
    spfIncludes: ["spf.mtasv.net"],
    dkimSelectors: [],
  },
  {
    id: "brevo",
    name: "Brevo",
    host: "smtp-relay.brevo.com",
    port: 587,
    secure: false,
    hosts: /^smtp-relay\.(brevo|sendinblue)\.com$/,
    rate: { messages: 20, seconds: 1 },
    maxConnections: 2,
    spfIncludes: ["spf.brevo.com", "spf.sendinblue.com"],
    dkimSelectors: ["brevo1", "brevo2", "mail"],
  },
];

/** The preset whose SMTP service `host` belongs to, or null for any other server. */
export function providerForHost(host: string): SmtpProvider | null {
  const name = host.trim().toLowerCase().replace(/\.$/, "");
  return SMTP_PROVIDERS.find((provider) => provider.hosts.test(name)) ?? null;
}

export const providerById = (id: string): SmtpProvider | null =>
  SMTP_PROVIDERS.find((provider) => provider.id === id) ?? null;
