import { describe, expect, it } from "vitest";
import { MAX_RETURN_URL_LENGTH, nextAuthRedirect, safeReturnUrl } from "@/lib/auth/safe-return-url";

const ORIGIN = "http://localhost:3000";

describe("safeReturnUrl: only same-origin paths survive (RFC 9700 §4.11)", () => {
  it.each([
    ["a tab the browser drops (raw)", "/\t/evil.test"],
    ["a tab the browser drops (encoded)", "/%09/evil.test"],
    ["a newline (raw)", "/\n/evil.test"],
    ["a newline (encoded)", "/%0A/evil.test"],
    ["a carriage return (encoded)", "/%0d/evil.test"],
    ["NUL (encoded)", "/apps%00"],
    ["DEL (raw)", "/apps\u007f"],
    ["a double-encoded newline", "/%250A/evil.test"],
    ["a protocol-relative URL", "//evil.test"],
    ["a protocol-relative URL with a path", "//evil.test/apps"],
    ["slash backslash", "/\\evil.test"],
    ["two backslashes", "\\\\evil.test"],
    ["an encoded backslash", "/%5Cevil.test"],
    ["an encoded second slash", "/%2Fevil.test"],
    ["dot segments that climb to //", "/..//evil.test"],
    ["another origin", "https://evil.test"],
    ["another origin with our host as userinfo", "http://localhost:3000@evil.test"],
    ["our origin with userinfo", "http://user:pass@localhost:3000/apps"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a leading space", " /apps"],
    ["a trailing newline", "/apps\n"],
    ["a relative path without a slash", "apps"],
    ["an empty string", ""],
  ])("refuses %s", (_, value) => {
    expect(safeReturnUrl(value, { origin: ORIGIN })).toBe("/");
  });

  it("refuses very long input", () => {
    expect(safeReturnUrl(`/${"a".repeat(MAX_RETURN_URL_LENGTH)}`, { origin: ORIGIN })).toBe("/");
    expect(safeReturnUrl(`/${"%2".repeat(100_000)}`)).toBe("/");
  });

  it("refuses missing values and non-strings", () => {
    expect(safeReturnUrl(undefined)).toBe("/");
    expect(safeReturnUrl(null)).toBe("/");
    expect(safeReturnUrl(["/apps", "//evil.test"] as unknown as string)).toBe("/");
  });

  it.each(["/apps/x?y=1#z", "/oauth/authorize/continue?id=abc", "/", "/apps", "/docs/scopes#offline_access", "/search?q=100%25"])(
    "keeps %s",
    (value) => {
      expect(safeReturnUrl(value, { origin: ORIGIN })).toBe(value);
    },
  );

  it("uses the page's fallback when it refuses", () => {
    expect(safeReturnUrl("//evil.test", { fallback: "/apps" })).toBe("/apps");
    expect(safeReturnUrl("/apps/new", { fallback: "/apps" })).toBe("/apps/new");
  });

  it("turns an absolute URL on our own origin into its path, and nothing else", () => {
    expect(safeReturnUrl("http://localhost:3000/apps/x?y=1#z", { origin: ORIGIN })).toBe("/apps/x?y=1#z");
    expect(safeReturnUrl("http://localhost:3000", { origin: ORIGIN })).toBe("/");
    expect(safeReturnUrl("http://localhost:3001/apps", { origin: ORIGIN })).toBe("/");
    expect(safeReturnUrl("https://localhost:3000/apps", { origin: ORIGIN })).toBe("/");
    expect(safeReturnUrl("http://localhost:3000/apps")).toBe("/");
    expect(safeReturnUrl("http://localhost:3000//evil.test", { origin: ORIGIN })).toBe("/");
    expect(safeReturnUrl("http://localhost:3000/%09/evil.test", { origin: ORIGIN })).toBe("/");
  });

  it("returns what a browser would resolve, never a path that leaves the origin", () => {
    expect(safeReturnUrl("/apps/../account", { origin: ORIGIN })).toBe("/account");
    expect(safeReturnUrl("/a b", { origin: ORIGIN })).toBe("/a%20b");
    for (const value of ["/%09/evil.test", "/\\evil.test", "/..//evil.test", "/./%2F/evil.test"]) {
      expect(new URL(safeReturnUrl(value), ORIGIN).origin).toBe(ORIGIN);
    }
  });
});

describe("nextAuthRedirect (next-auth's callbacks.redirect)", () => {
  it("answers an absolute URL on the base URL's origin", () => {
    expect(nextAuthRedirect({ url: "/apps/x?y=1", baseUrl: ORIGIN })).toBe(`${ORIGIN}/apps/x?y=1`);
    expect(nextAuthRedirect({ url: `${ORIGIN}/account`, baseUrl: ORIGIN })).toBe(`${ORIGIN}/account`);
  });

  it.each(["/%09/evil.test", "/\t/evil.test", "//evil.test", "/\\evil.test", "https://evil.test", "http://localhost:3000@evil.test", "/\n/evil.test", "javascript:alert(1)"])(
    "sends %j home",
    (url) => {
      expect(nextAuthRedirect({ url, baseUrl: ORIGIN })).toBe(`${ORIGIN}/`);
    },
  );
});
