import type {
  ApiRecord,
  AuthenticationContext,
  AuthorizationCodeRecord,
  AuthorizationCodeRedeemed,
  AuthorizationCodeUse,
  CodeRedemption,
  ClientRecord,
  DeviceAuthorizationRecord,
  DeviceAuthorizationUse,
  DeviceDecision,
  DevicePoll,
  GrantRecord,
  NewDeviceAuthorization,
  NewAuthorizationCode,
  NewRefreshToken,
  OAuthStore,
  RefreshTokenRecord,
  RefreshTokenUse,
  StoreLifecycle,
  TokenFamily,
  UserClaims,
} from "@/lib/oauth/store";
import { firstRefreshTokenOf, isCodeRedeemable, isRedeemable, successorOf } from "@/lib/oauth/store";

/** What the SQL stores write for an absent authentication context. */
function withContext<T extends Partial<AuthenticationContext>>(record: T): T & AuthenticationContext {
  return { ...record, sessionId: record.sessionId ?? null, acr: record.acr ?? null, amr: [...(record.amr ?? [])], claims: record.claims ?? null };
}

export interface MemoryUser {
  id: string;
  username: string;
  password: string;
  claims: UserClaims;
  /** An admin blocked the user (role "blocked" in the database). */
  blocked?: boolean;
}

/** An in-memory OAuthStore with the atomicity the interface promises, plus test hooks. */
export class MemoryStore implements OAuthStore, StoreLifecycle {
  clients = new Map<string, ClientRecord>();
  apis = new Map<string, ApiRecord>();
  users = new Map<string, MemoryUser>();
  grants = new Map<string, GrantRecord & { active: boolean }>();
  codes = new Map<string, AuthorizationCodeRecord>();
  families = new Map<string, TokenFamily & { revokedAt: Date | null }>();
  refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Device authorizations by device code hash, with their user code hash. */
  deviceAuthorizations = new Map<string, DeviceAuthorizationRecord & { userCodeHash: string }>();
  revokedAccessTokens = new Map<string, Date>();
  secretUses: { secretId: string; at: Date }[] = [];
  tokensIssued: { clientId: string; at: Date }[] = [];
  private seq = 0;

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${this.seq}`;
  }

  addClient(client: ClientRecord): void {
    this.clients.set(client.id, client);
  }

  addApi(api: ApiRecord): void {
    this.apis.set(api.identifier, api);
  }

  async getApi(identifier: string) {
    return this.apis.get(identifier) ?? null;
  }

  addUser(user: MemoryUser): void {
    this.users.set(user.id, user);
  }

  /** What the portal does when a user removes an app's access. */
  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (grant) grant.active = false;
  }

  async getClient(clientId: string) {
    return this.clients.get(clientId) ?? null;
  }

  markSecretUsed(secretId: string, at: Date): void {
    this.secretUses.push({ secretId, at });
  }

  recordTokenIssued(clientId: string, at: Date): void {
    this.tokensIssued.push({ clientId, at });
  }

  async getUserClaims(userId: string) {
    return this.users.get(userId)?.claims ?? null;
  }

  async verifyUserPassword(username: string, password: string) {
    for (const user of this.users.values()) {
      if (user.blocked) continue;
      if (user.username.toLowerCase() === username.trim().toLowerCase() && user.password === password) return user.id;
    }
    return null;
  }

  async getGrant(userId: string, clientId: string): Promise<GrantRecord | null> {
    for (const grant of this.grants.values()) {
      if (grant.active && grant.userId === userId && grant.clientId === clientId) {
        return { id: grant.id, userId, clientId, scopes: [...grant.scopes], resources: [...grant.resources] };
      }
    }
    return null;
  }

  async saveGrant(userId: string, clientId: string, scopes: string[], _at: Date, resources: readonly string[] = []): Promise<GrantRecord> {
    for (const grant of this.grants.values()) {
      if (grant.active && grant.userId === userId && grant.clientId === clientId) {
        for (const s of scopes) if (!grant.scopes.includes(s)) grant.scopes.push(s);
        for (const r of resources) if (!grant.resources.includes(r)) grant.resources.push(r);
        return { id: grant.id, userId, clientId, scopes: [...grant.scopes], resources: [...grant.resources] };
      }
    }
    const grant = { id: this.nextId("grant"), userId, clientId, scopes: [...scopes], resources: [...resources], active: true };
    this.grants.set(grant.id, grant);
    return { id: grant.id, userId, clientId, scopes: [...scopes], resources: [...resources] };
  }

  private grantActive(grantId: string | null): boolean {
    return grantId === null || (this.grants.get(grantId)?.active ?? false);
  }

  private familyRevoked(familyId: string): boolean {
    const family = this.families.get(familyId);
    return family === undefined || family.revokedAt !== null;
  }

  private userOf(userId: string | null): UserClaims | null {
    return userId === null ? null : (this.users.get(userId)?.claims ?? null);
  }

  async saveAuthorizationCode(codeHash: string, code: NewAuthorizationCode) {
    this.codes.set(codeHash, { ...withContext(code), id: this.nextId("code"), consumedAt: null, familyId: null });
  }

  async consumeAuthorizationCode(codeHash: string, familyId: string, at: Date): Promise<AuthorizationCodeUse | null> {
    const record = this.codes.get(codeHash);
    if (!record) return null;
    const before = { ...record };
    if (record.consumedAt === null) this.markConsumed(record, familyId, at);
    return { ...before, grantActive: this.grantActive(before.grantId), user: this.userOf(before.userId) };
  }

  /** Marks the code consumed and creates its token family (both ways of exchanging a code). */
  private markConsumed(record: AuthorizationCodeRecord, familyId: string, at: Date) {
    record.consumedAt = at;
    record.familyId = familyId;
    this.families.set(familyId, { id: familyId, clientId: record.clientId, userId: record.userId, grantId: record.grantId, revokedAt: null });
  }

  private storeRefreshToken(tokenHash: string, token: NewRefreshToken) {
    this.refreshTokens.set(tokenHash, { ...withContext(token), id: tokenHash, rotatedAt: null, revokedAt: null });
  }

  async redeemAuthorizationCode(codeHash: string, r: CodeRedemption, at: Date): Promise<AuthorizationCodeRedeemed | null> {
    // No await between the check and the write: concurrent calls see each other's consumption.
    const record = this.codes.get(codeHash);
    if (!record) return null;
    const use = { ...record, grantActive: this.grantActive(record.grantId), user: this.userOf(record.userId) };
    if (!isCodeRedeemable(use, r, at, (identifier) => this.apis.has(identifier))) return null;
    this.markConsumed(record, r.familyId, at);
    const refresh = firstRefreshTokenOf(use, r);
    if (refresh !== null) this.storeRefreshToken(r.refresh!.hash, refresh);
    return { ...use, consumedAt: at, familyId: r.familyId, refreshTokenStored: refresh !== null };
  }

  async saveDeviceAuthorization(deviceCodeHash: string, userCodeHash: string, request: NewDeviceAuthorization) {
    for (const d of this.deviceAuthorizations.values()) {
      if (d.userCodeHash === userCodeHash) throw new Error("unique: user code exists");
    }
    if (this.deviceAuthorizations.has(deviceCodeHash)) throw new Error("unique: device code exists");
    this.deviceAuthorizations.set(deviceCodeHash, {
      ...request,
      scope: [...request.scope],
      resource: [...request.resource],
      id: this.nextId("device"),
      userCodeHash,
      status: "pending",
      userId: null,
      grantId: null,
      sessionId: null,
      authTime: null,
      lastPolledAt: null,
      consumedAt: null,
      familyId: null,
    });
  }

  private deviceByUserCode(userCodeHash: string) {
    for (const d of this.deviceAuthorizations.values()) if (d.userCodeHash === userCodeHash) return d;
    return undefined;
  }

  async findDeviceAuthorizationByUserCode(userCodeHash: string): Promise<DeviceAuthorizationRecord | null> {
    const d = this.deviceByUserCode(userCodeHash);
    if (!d) return null;
    const { userCodeHash: _, ...record } = d;
    return { ...record };
  }

  async decideDeviceAuthorization(userCodeHash: string, decision: DeviceDecision, at: Date) {
    const d = this.deviceByUserCode(userCodeHash);
    if (!d || d.status !== "pending" || d.expiresAt <= at) return false;
    d.status = decision.status;
    if (decision.status === "approved") {
      d.userId = decision.userId;
      d.grantId = decision.grantId;
      d.authTime = decision.authTime;
      d.sessionId = decision.sessionId ?? null;
    }
    return true;
  }

  async pollDeviceAuthorization(deviceCodeHash: string, clientId: string, at: Date): Promise<DevicePoll | null> {
    const d = this.deviceAuthorizations.get(deviceCodeHash);
    if (!d || d.clientId !== clientId) return null;
    const { userCodeHash: _, ...before } = d;
    const slowDown = d.lastPolledAt !== null && d.lastPolledAt.getTime() + d.interval * 1000 > at.getTime();
    d.lastPolledAt = at;
    if (slowDown) d.interval += 5;
    return { ...before, slowDown };
  }

  async consumeDeviceAuthorization(deviceCodeHash: string, familyId: string, at: Date): Promise<DeviceAuthorizationUse | null> {
    const d = this.deviceAuthorizations.get(deviceCodeHash);
    if (!d || d.status !== "approved" || d.consumedAt !== null || d.expiresAt <= at) return null;
    d.consumedAt = at;
    d.familyId = familyId;
    this.families.set(familyId, { id: familyId, clientId: d.clientId, userId: d.userId, grantId: d.grantId, revokedAt: null });
    const { userCodeHash: _, ...record } = d;
    return { ...record, consumedAt: null, familyId: null, grantActive: this.grantActive(d.grantId), user: this.userOf(d.userId) };
  }

  async createTokenFamily(family: TokenFamily, _at: Date) {
    if (!this.families.has(family.id)) this.families.set(family.id, { ...family, revokedAt: null });
  }

  async revokeTokenFamily(familyId: string, at: Date) {
    const family = this.families.get(familyId);
    if (family && family.revokedAt === null) family.revokedAt = at;
    for (const token of this.refreshTokens.values()) {
      if (token.familyId === familyId && token.revokedAt === null) token.revokedAt = at;
    }
  }

  async saveRefreshToken(tokenHash: string, token: NewRefreshToken) {
    if (!this.families.has(token.familyId)) throw new Error("foreign key: token family does not exist");
    this.storeRefreshToken(tokenHash, token);
  }

  async findRefreshToken(tokenHash: string) {
    const record = this.refreshTokens.get(tokenHash);
    return record ? { ...record } : null;
  }

  async findRefreshTokenUse(tokenHash: string): Promise<RefreshTokenUse | null> {
    const record = this.refreshTokens.get(tokenHash);
    if (!record) return null;
    return {
      ...record,
      familyRevoked: this.familyRevoked(record.familyId),
      grantActive: this.grantActive(record.grantId),
      user: this.userOf(record.userId),
    };
  }

  async rotateRefreshToken(oldId: string, newHash: string, next: NewRefreshToken, at: Date) {
    const old = this.refreshTokens.get(oldId);
    if (!old || old.rotatedAt !== null || old.revokedAt !== null) return false;
    old.rotatedAt = at;
    await this.saveRefreshToken(newHash, next);
    return true;
  }

  async redeemRefreshToken(tokenHash: string, clientId: string, newHash: string, expiresAt: Date, at: Date) {
    // No await between the check and the write: concurrent calls see each other's rotation.
    const record = this.refreshTokens.get(tokenHash);
    if (!record) return null;
    const use = { ...record, familyRevoked: this.familyRevoked(record.familyId), grantActive: this.grantActive(record.grantId), user: this.userOf(record.userId) };
    if (!isRedeemable(use, clientId, at, (identifier) => this.apis.has(identifier))) return null;
    record.rotatedAt = at;
    this.storeRefreshToken(newHash, successorOf(use, expiresAt));
    return { ...use, rotatedAt: at };
  }

  async revokeAccessToken(jti: string, expiresAt: Date, _at: Date) {
    this.revokedAccessTokens.set(jti, expiresAt);
  }

  async isAccessTokenRevokedAnywhere(jti: string, familyId: string | null, grantId: string | null) {
    return (
      this.revokedAccessTokens.has(jti) ||
      (familyId !== null && this.familyRevoked(familyId)) ||
      !this.grantActive(grantId)
    );
  }

  async readAccessTokenUser(jti: string, familyId: string | null, grantId: string | null, userId: string) {
    return { revoked: await this.isAccessTokenRevokedAnywhere(jti, familyId, grantId), user: this.userOf(userId) };
  }

  async flush() {}

  async close() {}
}
