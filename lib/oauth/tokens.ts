import { hash, randomBytes, timingSafeEqual } from "node:crypto";

export const CLIENT_SECRET_PREFIX = "lk_secret_";
export const REFRESH_TOKEN_PREFIX = "lk_rt_";
export const AUTHORIZATION_CODE_PREFIX = "lk_code_";

// Random bytes are drawn from the CSPRNG in blocks; every byte is handed out once.
const BLOCK = 4096;
let block: Buffer = Buffer.alloc(0);
let offset = 0;

export function randomToken(bytes = 32): string {
  if (bytes > BLOCK / 4) return randomBytes(bytes).toString("base64url");
  if (offset + bytes > block.length) {
    block = randomBytes(BLOCK);
    offset = 0;
  }
  const token = block.toString("base64url", offset, offset + bytes);
  block.fill(0, offset, offset + bytes);
  offset += bytes;
  return token;
}

/** SHA-256, base64url: the only form in which token-like values reach the store. */
export function hashToken(value: string): string {
  return hash("sha256", value, "base64url");
}

const encoder = new TextEncoder();

export function safeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export function newClientSecret(): { secret: string; hash: string; hint: string } {
  const secret = CLIENT_SECRET_PREFIX + randomToken(32);
  return { secret, hash: hashToken(secret), hint: secret.slice(-4) };
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = REFRESH_TOKEN_PREFIX + randomToken(32);
  return { token, hash: hashToken(token) };
}

export function newAuthorizationCode(): { code: string; hash: string } {
  const code = AUTHORIZATION_CODE_PREFIX + randomToken(32);
  return { code, hash: hashToken(code) };
}

export function newTokenId(): string {
  return randomToken(16);
}

/**
 * A token family's id: the creation time in milliseconds (12 hex digits, so ids sort by
 * time as text) and 16 random bytes. Families created together land on the same index
 * pages of the family and refresh-token tables, so a group commit writes fewer pages; the
 * time is no secret (the tokens' `iat` says it too).
 */
export function newFamilyId(): string {
  return Date.now().toString(16).padStart(12, "0") + randomToken(16);
}
