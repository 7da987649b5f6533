import { hash } from "node:crypto";
import { safeEqual } from "./tokens";

// RFC 7636 §4.1: 43-128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// An S256 challenge is the base64url SHA-256 of the verifier: 43 characters, no padding.
const S256_CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export const PKCE_METHODS = ["S256"] as const;

export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

export function isValidCodeChallenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

export function s256(verifier: string): string {
  return hash("sha256", verifier, "base64url");
}

export function verifyCodeVerifier(verifier: string, challenge: string, method: string | null): boolean {
  if (method !== "S256" || !isValidCodeVerifier(verifier)) return false;
  return safeEqual(s256(verifier), challenge);
}
