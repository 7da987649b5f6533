import { KeyObject } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { createOAuthConfig, createProvider, type OAuthContext } from "@/lib/oauth/provider";
import type { OAuthError } from "@/lib/oauth/errors";
import type { OAuthFeatures } from "@/lib/oauth/context";
import { fromWebRequest, type OAuthRequest } from "@/lib/oauth/http";
import type { ClientRecord, JwsAlg, KeyProvider, SigningKey } from "@/lib/oauth/store";
import { hashToken } from "@/lib/oauth/tokens";
import { MemoryStore } from "./memory-store";

export const ISSUER = "https://auth.example.test";
export const AUDIENCE = "https://api.example.test";
export const START = new Date("2030-01-01T00:00:00.000Z");

export class FixedClock {
  private time: number;
  constructor(start: Date = START) {
    this.time = start.getTime();
  }
  now = (): Date => new Date(this.time);
  advance(seconds: number): void {
    this.time += seconds * 1000;
  }
}

export async function createSigningKey(kid = "key-1", alg: JwsAlg = "ES256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey: KeyObject.from(privateKey), publicKey };
}

// RSA key generation takes ~100 ms: one default RS256 key per test file.
let defaultRsaKey: Promise<SigningKey> | undefined;

/** `signing`: one key per algorithm, the one tokens in that algorithm are signed with. */
export class MemoryKeys implements KeyProvider {
  constructor(
    public signing: SigningKey[],
    public published: SigningKey[] = [...signing],
  ) {}
  async getSigningKey(alg: JwsAlg) {
    const key = this.signing.find((k) => k.alg === alg);
    if (key === undefined) throw new Error(`no ${alg} signing key`);
    return key;
  }
  async getVerificationKey(kid: string) {
    return this.published.find((k) => k.kid === kid) ?? null;
  }
  async getJwks() {
    const keys = await Promise.all(
      this.published.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: k.alg, use: "sig" })),
    );
    return { keys };
  }
}

export const SECRETS = {
  web: "lk_secret_web-app-secret-value",
  webOld: "lk_secret_old-rotated-secret",
  webRevoked: "lk_secret_revoked-secret",
  service: "lk_secret_a+b%2Fc d=:x",
  other: "lk_secret_other-app-secret",
  password: "lk_secret_first-party-secret",
};

const USER_SCOPES = ["openid", "profile", "email", "offline_access"];

function secret(id: string, value: string, extra: Partial<ClientRecord["secrets"][number]> = {}) {
  return { id, hash: hashToken(value), expiresAt: null, revokedAt: null, ...extra };
}

export type SampleClient = "web" | "service" | "other" | "spa" | "implicit" | "password" | "suspended";

export function sampleClients(): Record<SampleClient, ClientRecord> {
  return {
    web: {
      id: "web-app",
      name: "Web App",
      type: "confidential",
      status: "active",
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      scopes: [...USER_SCOPES, "read", "write"],
      redirectUris: ["https://app.example/callback", "https://app.example/other?x=1"],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [
        secret("sec-web", SECRETS.web),
        secret("sec-web-old", SECRETS.webOld, { expiresAt: new Date(START.getTime() - 1000) }),
        secret("sec-web-revoked", SECRETS.webRevoked, { revokedAt: new Date(START.getTime() - 1000) }),
      ],
    },
    service: {
      id: "svc:reports",
      name: "Reports Service",
      type: "confidential",
      status: "active",
      grantTypes: ["client_credentials"],
      scopes: ["read", "write", "openid"],
      redirectUris: [],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [secret("sec-svc", SECRETS.service)],
    },
    other: {
      id: "other-app",
      name: "Other App",
      type: "confidential",
      status: "active",
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      scopes: [...USER_SCOPES, "read"],
      redirectUris: ["https://other.example/cb"],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [secret("sec-other", SECRETS.other)],
    },
    spa: {
      id: "spa",
      name: "Single Page App",
      type: "public",
      status: "active",
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: [...USER_SCOPES, "read"],
      redirectUris: ["https://spa.example/cb", "http://127.0.0.1/callback", "http://[::1]:8080/cb"],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [],
    },
    implicit: {
      id: "legacy-implicit",
      name: "Legacy Implicit",
      type: "public",
      status: "active",
      grantTypes: ["implicit"],
      scopes: ["openid", "profile", "read"],
      redirectUris: ["https://legacy.example/cb"],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [],
    },
    password: {
      id: "first-party",
      name: "First Party",
      type: "confidential",
      status: "active",
      grantTypes: ["password", "refresh_token"],
      scopes: ["openid", "profile", "email", "offline_access", "read"],
      redirectUris: [],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [secret("sec-pw", SECRETS.password)],
    },
    suspended: {
      id: "suspended-app",
      name: "Suspended App",
      type: "confidential",
      status: "suspended",
      grantTypes: ["authorization_code", "client_credentials"],
      scopes: ["read"],
      redirectUris: ["https://suspended.example/cb"],
      webOrigins: [],
      source: "portal",
      defaultScopes: [],
      metadataExpiresAt: null,
      secrets: [secret("sec-susp", "lk_secret_suspended")],
    },
  };
}

export const USER = {
  id: "user-1",
  username: "ada@example.test",
  password: "correct horse battery staple",
  claims: {
    sub: "user-1",
    email: "ada@example.test",
    email_verified: true,
    name: "Ada Lovelace",
    updated_at: 1_800_000_000,
  },
};

export interface EnvOptions {
  authorizationCodeTtl?: number;
  defaultScopes?: string[];
  profile?: "default" | "oauth2.1";
  features?: OAuthFeatures;
  accessTokenAlg?: JwsAlg;
}

export async function createEnv(options: EnvOptions = {}) {
  const clock = new FixedClock();
  const store = new MemoryStore();
  const clients = sampleClients();
  for (const client of Object.values(clients)) store.addClient(client);
  store.addUser(structuredClone(USER));
  const key = await createSigningKey();
  const rsaKey = await (defaultRsaKey ??= createSigningKey("key-rs-1", "RS256"));
  const keys = new MemoryKeys([rsaKey, key]);
  const logged: OAuthError[] = [];
  const ctx: OAuthContext = {
    store,
    keys,
    config: createOAuthConfig({
      issuer: ISSUER,
      audience: AUDIENCE,
      accessTokenTtl: 600,
      idTokenTtl: 300,
      refreshTokenTtl: 86_400,
      authorizationCodeTtl: options.authorizationCodeTtl ?? 60,
      defaultScopes: options.defaultScopes ?? [],
      profile: options.profile ?? "default",
      ...(options.accessTokenAlg === undefined ? {} : { accessTokenAlg: options.accessTokenAlg }),
      paths: { serviceDocumentation: "/docs", registration: "/oauth/register" },
    }),
    ...(options.features === undefined ? {} : { features: async () => options.features! }),
    now: clock.now,
    scopesSupported: async () => ["openid", "profile", "email", "offline_access", "read", "write"],
    log: (err) => logged.push(err),
  };
  const provider = createProvider(ctx);
  return { clock, store, clients, key, rsaKey, keys, ctx, provider, logged };
}

export type Env = Awaited<ReturnType<typeof createEnv>>;

/** application/x-www-form-urlencoded, as RFC 6749 Appendix B requires for Basic credentials. */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

export interface PostOptions {
  headers?: Record<string, string>;
  basic?: [string, string];
  method?: string;
  contentType?: string;
}

/** A request as a route handler would pass it: through a real Web Request. */
export async function post(
  path: string,
  params: Record<string, string> | [string, string][] | string,
  options: PostOptions = {},
): Promise<OAuthRequest> {
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/x-www-form-urlencoded",
    ...options.headers,
  };
  if (options.basic) headers.authorization = basicAuth(...options.basic);
  const method = options.method ?? "POST";
  const body = typeof params === "string" ? params : new URLSearchParams(params).toString();
  return fromWebRequest(
    new Request(ISSUER + path, { method, headers, body: method === "GET" || method === "HEAD" ? null : body }),
  );
}

export async function get(path: string, headers: Record<string, string> = {}): Promise<OAuthRequest> {
  return fromWebRequest(new Request(ISSUER + path, { method: "GET", headers }));
}

export function body(res: { body: string }): Record<string, unknown> {
  return JSON.parse(res.body) as Record<string, unknown>;
}
