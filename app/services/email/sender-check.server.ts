/**
 * The sender check on the email settings page: what the From address's domain needs in DNS
 * so mailbox providers trust the shop's emails (SPF names the sending service, DKIM signs for
 * the domain, DMARC ties them to the From address), and what its TXT records say today.
 *
 * The DNS lookups go through an injected resolver (tests use a stub; the app a resolver with a
 * short timeout). A lookup that fails for any reason but "no such record" is reported as not
 * checked, never as missing: an offline server must not tell a merchant their records are gone.
 */
import { Resolver } from "node:dns/promises";
import { providerForHost, type SmtpProvider } from "./smtp-providers";

export interface TxtResolver {
  resolveTxt(hostname: string): Promise<string[][]>;
}

/**
 * found: present (and for SPF, naming the sending service); incomplete: present but not doing
 * its job (SPF without the service, two SPF records, DKIM without a key); missing: no record;
 * unchecked: the lookup did not answer, or (DKIM) the selector is only known to the provider.
 */
export type RecordState = "found" | "incomplete" | "missing" | "unchecked";

export interface RecordCheck {
  state: RecordState;
  /** The record as published (the first one found). */
  record: string | null;
  /** Where it was looked up. */
  name: string;
}

export interface SenderCheck {
  domain: string;
  /** The preset the SMTP host belongs to, if any. */
  provider: Pick<SmtpProvider, "id" | "name"> | null;
  /** The SPF mechanism the record should contain for that provider, e.g. include:sendgrid.net. */
  spfInclude: string | null;
  /** A DMARC record to start with: reports only, nothing rejected yet. */
  suggestedDmarc: string;
  spf: RecordCheck;
  dkim: RecordCheck;
  dmarc: RecordCheck;
}

/** Answers in time or gives up: the settings page waits for it. */
export const systemResolver = (): TxtResolver => new Resolver({ timeout: 2_000, tries: 1 });

const NO_RECORD = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN"]);

type Lookup = { records: string[] } | { failed: true };

async function lookupTxt(resolver: TxtResolver, name: string): Promise<Lookup> {
  try {
    // A long TXT record comes in 255-byte strings that make one value together.
    return { records: (await resolver.resolveTxt(name)).map((chunks) => chunks.join("")) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return NO_RECORD.has(code) ? { records: [] } : { failed: true };
  }
}

function checkSpf(name: string, lookup: Lookup, provider: SmtpProvider | null): RecordCheck {
  if ("failed" in lookup) return { state: "unchecked", record: null, name };
  const spf = lookup.records.filter((record) => /^v=spf1(\s|$)/i.test(record.trim()));
  const record = spf[0] ?? null;
  if (!record) return { state: "missing", record, name };
  // Receivers treat two SPF records as an error and ignore both.
  if (spf.length > 1) return { state: "incomplete", record, name };
  const terms = record.toLowerCase().split(/\s+/);
  const namesProvider =
    !provider ||
    provider.spfIncludes.some((include) => terms.includes(`include:${include.toLowerCase()}`));
  return { state: namesProvider ? "found" : "incomplete", record, name };
}

async function checkDkim(
  resolver: TxtResolver,
  domain: string,
  provider: SmtpProvider | null,
): Promise<RecordCheck> {
  const selectors = provider?.dkimSelectors ?? [];
  const first = `${selectors[0] ?? "<selector>"}._domainkey.${domain}`;
  if (selectors.length === 0) return { state: "unchecked", record: null, name: first };
  let failed = false;
  for (const selector of selectors) {
    const name = `${selector}._domainkey.${domain}`;
    const lookup = await lookupTxt(resolver, name);
    if ("failed" in lookup) {
      failed = true;
      continue;
    }
    const record = lookup.records.find((value) => /(^|;)\s*(v=DKIM1|k=|p=)/i.test(value));
    if (record) {
      // `p=` with no key means the key was revoked.
      const revoked = /(^|;)\s*p=\s*(;|$)/i.test(record);
      return { state: revoked ? "incomplete" : "found", record, name };
    }
  }
  return { state: failed ? "unchecked" : "missing", record: null, name: first };
}

function checkDmarc(name: string, lookup: Lookup): RecordCheck {
  if ("failed" in lookup) return { state: "unchecked", record: null, name };
  const record = lookup.records.find((value) => /^v=DMARC1(\s*;|$)/i.test(value.trim())) ?? null;
  return { state: record ? "found" : "missing", record, name };
}

/** The domain of a From address, lower-cased; null when there is none. */
export function senderDomain(fromAddress: string): string | null {
  const domain = fromAddress.trim().toLowerCase().split("@")[1]?.replace(/\.$/, "");
  return domain && /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain) ? domain : null;
}

export type SenderGuidance = Pick<
  SenderCheck,
  "domain" | "provider" | "spfInclude" | "suggestedDmarc"
>;

interface SenderInput {
  fromAddress: string;
  smtpHost: string;
}

/** What the sender's domain should publish, without looking anything up. */
export function senderGuidance(input: SenderInput): SenderGuidance | null {
  const domain = senderDomain(input.fromAddress);
  if (!domain) return null;
  const provider = providerForHost(input.smtpHost);
  return {
    domain,
    provider: provider ? { id: provider.id, name: provider.name } : null,
    spfInclude: provider ? `include:${provider.spfIncludes[0]}` : null,
    suggestedDmarc: `v=DMARC1; p=none; rua=mailto:dmarc@${domain}`,
  };
}

/** Looks up the sender domain's SPF, DKIM and DMARC records; null without a usable address. */
export async function checkSender(
  input: SenderInput,
  resolver: TxtResolver = systemResolver(),
): Promise<SenderCheck | null> {
  const guidance = senderGuidance(input);
  if (!guidance) return null;
  const { domain } = guidance;
  const provider = providerForHost(input.smtpHost);
  const dmarcName = `_dmarc.${domain}`;
  const [spfLookup, dmarcLookup, dkim] = await Promise.all([
    lookupTxt(resolver, domain),
    lookupTxt(resolver, dmarcName),
    checkDkim(resolver, domain, provider),
  ]);
  return {
    ...guidance,
    spf: checkSpf(domain, spfLookup, provider),
    dkim,
    dmarc: checkDmarc(dmarcName, dmarcLookup),
  };
}
