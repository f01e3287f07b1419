import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { jwtVerify } from "jose";

export interface AccessTokenGrant {
  accessToken: string;
  scope: string;
  online: boolean;
  expiresAt: Date | null;
}

const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `POST /admin/oauth/access_token` as Shopify implements it for embedded apps: a session
 * token (id_token) signed with the app's secret is exchanged for an online or offline access
 * token (expiring offline tokens come with a refresh token), and a refresh token for a new
 * pair.
 */
export class TokenIssuer {
  readonly grants = new Map<string, AccessTokenGrant>();
  private readonly refreshTokens = new Map<string, string>();

  /**
   * `stateFile`: where the tokens it granted are kept, so a store started again (the demo
   * after Ctrl-C or a crash) still honours the token the app holds, as Shopify would.
   */
  constructor(
    private readonly app: { apiKey: string; secret: string; scopes: string },
    private readonly shop: string,
    private readonly stateFile?: string,
  ) {
    if (stateFile && existsSync(stateFile)) this.load(stateFile);
  }

  async exchange(body: Record<string, unknown>) {
    if (body.client_id !== this.app.apiKey || body.client_secret !== this.app.secret) {
      throw new OAuthError(401, "invalid_client", "Client authentication failed");
    }
    if (body.grant_type === "refresh_token") return this.refresh(String(body.refresh_token ?? ""));
    if (body.grant_type !== TOKEN_EXCHANGE || body.subject_token_type !== ID_TOKEN_TYPE) {
      throw new OAuthError(400, "unsupported_grant_type", "Unsupported grant type");
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(
        String(body.subject_token ?? ""),
        new TextEncoder().encode(this.app.secret),
        { audience: this.app.apiKey, algorithms: ["HS256"] },
      ));
    } catch {
      throw new OAuthError(400, "invalid_subject_token", "The session token is invalid");
    }
    if (payload.dest !== `https://${this.shop}`) {
      throw new OAuthError(400, "invalid_subject_token", "The session token is for another shop");
    }
    const online = body.requested_token_type === ONLINE;
    if (!online && body.requested_token_type !== OFFLINE) {
      throw new OAuthError(400, "invalid_request", "Unknown requested_token_type");
    }
    if (online) {
      const grant = this.issue(true, 24 * 3600);
      return {
        access_token: grant.accessToken,
        scope: this.app.scopes,
        expires_in: 24 * 3600,
        associated_user_scope: this.app.scopes,
        associated_user: {
          id: Number(payload.sub ?? 1),
          first_name: "Demo",
          last_name: "Merchant",
          email: "merchant@example.com",
          account_owner: true,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      };
    }
    return this.offlineResponse(body.expiring === "1");
  }

  isValid(accessToken: string): boolean {
    const grant = this.grants.get(accessToken);
    return grant !== undefined && (grant.expiresAt === null || grant.expiresAt > new Date());
  }

  private refresh(refreshToken: string) {
    const previous = this.refreshTokens.get(refreshToken);
    if (!previous) throw new OAuthError(400, "invalid_grant", "Refresh token is invalid");
    this.refreshTokens.delete(refreshToken);
    this.grants.delete(previous);
    return this.offlineResponse(true);
  }

  private load(stateFile: string) {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as {
      grants: Array<Omit<AccessTokenGrant, "expiresAt"> & { expiresAt: string | null }>;
      refreshTokens: Array<[string, string]>;
    };
    for (const grant of state.grants) {
      const expiresAt = grant.expiresAt ? new Date(grant.expiresAt) : null;
      this.grants.set(grant.accessToken, { ...grant, expiresAt });
    }
    for (const [refreshToken, accessToken] of state.refreshTokens) {
      this.refreshTokens.set(refreshToken, accessToken);
    }
  }

  /** Written whole and renamed into place, so a crash mid-write leaves the previous state. */
  private save() {
    if (!this.stateFile) return;
    const state = { grants: [...this.grants.values()], refreshTokens: [...this.refreshTokens] };
    mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, this.stateFile);
  }

  private offlineResponse(expiring: boolean) {
    const lifetime = expiring ? 3600 : null;
    const grant = this.issue(false, lifetime);
    if (!expiring) return { access_token: grant.accessToken, scope: this.app.scopes };
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refreshToken, grant.accessToken);
    this.save();
    return {
      access_token: grant.accessToken,
      scope: this.app.scopes,
      expires_in: lifetime,
      refresh_token: refreshToken,
      refresh_token_expires_in: 30 * 24 * 3600,
    };
  }

  private issue(online: boolean, lifetimeSeconds: number | null): AccessTokenGrant {
    const grant = {
      accessToken: `${online ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      scope: this.app.scopes,
      online,
      expiresAt: lifetimeSeconds ? new Date(Date.now() + lifetimeSeconds * 1000) : null,
    };
    this.grants.set(grant.accessToken, grant);
    this.save();
    return grant;
  }
}
