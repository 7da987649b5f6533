import { afterEach, describe, expect, it, vi } from "vitest";
import { isValidCodeChallenge, isValidCodeVerifier, s256, verifyCodeVerifier } from "@/lib/oauth/pkce";
import { formatScope, isSubset, isValidScopeToken, parseScope } from "@/lib/oauth/scopes";
import { hashToken, newClientSecret, newFamilyId, newRefreshToken, randomToken, safeEqual } from "@/lib/oauth/tokens";
import { isLoopbackRedirectUri, matchesRegisteredRedirectUri } from "@/lib/oauth/redirect-uri";

describe("tokens", () => {
  it("randomToken is base64url of the requested length", () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("hashToken is SHA-256 base64url", () => {
    expect(hashToken("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });

  it("safeEqual compares strings of any length", () => {
    expect(safeEqual("a", "a")).toBe(true);
    expect(safeEqual("a", "b")).toBe(false);
    expect(safeEqual("a", "ab")).toBe(false);
  });

  it("newClientSecret returns the secret, its hash and a four-character hint", () => {
    const { secret, hash, hint } = newClientSecret();
    expect(secret.startsWith("lk_secret_")).toBe(true);
    expect(hash).toBe(hashToken(secret));
    expect(hint).toBe(secret.slice(-4));
    expect(newRefreshToken().token.startsWith("lk_rt_")).toBe(true);
  });

  describe("newFamilyId", () => {
    afterEach(() => vi.useRealTimers());

    it("sorts by creation time as text and stays unique within one millisecond", () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-12-01T09:59:59.999Z"));
      const earlier = Array.from({ length: 50 }, () => newFamilyId());
      vi.setSystemTime(new Date("2026-12-01T10:00:00.000Z"));
      const later = Array.from({ length: 50 }, () => newFamilyId());
      for (const id of [...earlier, ...later]) expect(id).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{22}$/);
      // The 12 hex digits decide the order, in the databases' text order as in JavaScript's.
      for (const a of earlier) for (const b of later) expect(a < b).toBe(true);
      expect(new Set([...earlier, ...later]).size).toBe(100);
    });
  });
});

describe("pkce", () => {
  it("accepts RFC 7636 Appendix B's example", () => {
    const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    expect(s256(verifier)).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    expect(verifyCodeVerifier(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256")).toBe(true);
  });

  it("rejects the plain method", () => {
    const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    expect(verifyCodeVerifier(verifier, verifier, "plain")).toBe(false);
  });

  it("checks verifier syntax: 43-128 unreserved characters", () => {
    expect(isValidCodeVerifier("a".repeat(42))).toBe(false);
    expect(isValidCodeVerifier("a".repeat(43))).toBe(true);
    expect(isValidCodeVerifier("a".repeat(128))).toBe(true);
    expect(isValidCodeVerifier("a".repeat(129))).toBe(false);
    expect(isValidCodeVerifier(`${"a".repeat(43)}+`)).toBe(false);
  });

  it("checks challenge syntax: 43 base64url characters", () => {
    expect(isValidCodeChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")).toBe(true);
    expect(isValidCodeChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")).toBe(false);
    expect(isValidCodeChallenge("short")).toBe(false);
  });
});

describe("scopes", () => {
  it("parses space-delimited scope without duplicates", () => {
    expect(parseScope("openid  read openid")).toEqual(["openid", "read"]);
    expect(parseScope(undefined)).toEqual([]);
    expect(formatScope(["a", "b"])).toBe("a b");
  });

  it("rejects characters outside the scope-token syntax", () => {
    expect(isValidScopeToken('a"b')).toBe(false);
    expect(isValidScopeToken("a\\b")).toBe(false);
    expect(() => parseScope("read\twrite")).toThrowError(/malformed/);
  });

  it("checks subsets", () => {
    expect(isSubset(["a"], ["a", "b"])).toBe(true);
    expect(isSubset(["a", "c"], ["a", "b"])).toBe(false);
  });
});

describe("redirect URI matching", () => {
  const registered = ["https://app.example/cb", "http://127.0.0.1/callback", "http://[::1]:8080/cb", "http://localhost/cb"];

  it("matches registered URIs by exact string", () => {
    expect(matchesRegisteredRedirectUri(registered, "https://app.example/cb")).toBe(true);
    expect(matchesRegisteredRedirectUri(registered, "https://app.example/cb/")).toBe(false);
    expect(matchesRegisteredRedirectUri(registered, "https://APP.example/cb")).toBe(false);
    expect(matchesRegisteredRedirectUri(registered, "https://app.example:443/cb")).toBe(false);
  });

  it("ignores the port of loopback http URIs (RFC 8252 §7.3)", () => {
    expect(matchesRegisteredRedirectUri(registered, "http://127.0.0.1:51234/callback")).toBe(true);
    expect(matchesRegisteredRedirectUri(registered, "http://[::1]:9999/cb")).toBe(true);
    expect(matchesRegisteredRedirectUri(registered, "http://localhost:3000/cb")).toBe(true);
    expect(matchesRegisteredRedirectUri(registered, "http://127.0.0.1:51234/other")).toBe(false);
    expect(matchesRegisteredRedirectUri(registered, "https://127.0.0.1:51234/callback")).toBe(false);
    expect(matchesRegisteredRedirectUri(registered, "http://127.0.0.2:51234/callback")).toBe(false);
  });

  it("does not extend port leniency to other hosts", () => {
    expect(matchesRegisteredRedirectUri(["http://example.test/cb"], "http://example.test:81/cb")).toBe(false);
    expect(isLoopbackRedirectUri("http://127.0.0.1:1/x")).toBe(true);
    expect(isLoopbackRedirectUri("https://127.0.0.1/x")).toBe(false);
  });
});
