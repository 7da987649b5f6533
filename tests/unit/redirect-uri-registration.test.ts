import { describe, expect, it } from "vitest";
import { canonicalRedirectUri, redirectUriListProblems, redirectUriProblem } from "@/lib/validation/redirect-uri";

describe("redirect URI registration: only canonical URIs are stored (RFC 9700 §2.1, §4.1)", () => {
  it.each([
    "https://app.example/callback",
    "https://app.example/cb?x=1&y=2",
    "https://app.example:8443/cb",
    "http://127.0.0.1/callback",
    "http://127.0.0.1:8080/callback",
    "http://[::1]:8080/callback",
    "http://localhost:3000/callback",
    "https://app.example/a%20b",
  ])("accepts %s and stores it unchanged", (uri) => {
    expect(redirectUriProblem(uri, "confidential")).toBeNull();
    expect(canonicalRedirectUri(uri)).toBe(uri);
  });

  it("accepts a reverse-domain private-use scheme for public clients (RFC 8252 §7.1)", () => {
    expect(redirectUriProblem("com.example.app:/callback", "public")).toBeNull();
    expect(canonicalRedirectUri("com.example.app:/callback")).toBe("com.example.app:/callback");
  });

  it("stores the URI without surrounding whitespace", () => {
    expect(redirectUriProblem("  https://app.example/cb  ", "confidential")).toBeNull();
    expect(canonicalRedirectUri("  https://app.example/cb  ")).toBe("https://app.example/cb");
  });

  it.each([
    ["http://evil.test@localhost/cb", "user name or password"],
    ["https://user:pass@app.example/cb", "user name or password"],
    ["http://@localhost/cb", "user name or password"],
  ])("refuses userinfo: %s", (uri, message) => {
    expect(redirectUriProblem(uri, "confidential")).toContain(message);
  });

  it.each([
    ["NUL", "https://app.example/c\u0000b"],
    ["a tab", "https://app.example/\tcb"],
    ["a newline", "https://app.example/c\nb"],
    ["a carriage return", "http://127.0.0.1/c\rb"],
    ["DEL", "https://app.example/cb\u007f"],
  ])("refuses %s inside the URI", (_, uri) => {
    expect(redirectUriProblem(uri, "confidential")).toBe("A redirect URI must not contain control characters (tabs, line breaks).");
  });

  it("refuses percent-encoded control characters", () => {
    expect(redirectUriProblem("https://app.example/cb%0A", "confidential")).toContain("encoded control characters");
    expect(redirectUriProblem("https://app.example/cb?x=%00", "confidential")).toContain("encoded control characters");
  });

  it("refuses spaces and backslashes", () => {
    expect(redirectUriProblem("https://app.example/a b", "confidential")).toBe("A redirect URI must not contain spaces.");
    expect(redirectUriProblem("https://app.example\\@evil.test/cb", "confidential")).toBe("A redirect URI must not contain backslashes.");
  });

  it.each([
    "https://app.example/a/../b",
    "https://app.example/a/./b",
    "https://app.example/./cb",
    "https://app.example/a/%2e%2e/b",
    "https://app.example/a/%2E%2E/b",
    "https://app.example/a/.%2e/b",
    "https://app.example/a/%2e/b",
    "https://app.example/cb/..",
    "com.example.app:/a/../b",
  ])("refuses dot segments: %s", (uri) => {
    expect(redirectUriProblem(uri, "public")).toBe("A redirect URI must not contain . or .. path segments.");
  });

  it.each([
    ["http://127.1/cb", "127.1"],
    ["http://0x7f.1/cb", "0x7f.1"],
    ["http://0177.0.0.1/cb", "0177.0.0.1"],
    ["http://2130706433/cb", "2130706433"],
    ["http://127.000.000.001/cb", "127.000.000.001"],
    ["http://0x7f000001/cb", "0x7f000001"],
  ])("refuses the non-canonical loopback host in %s, naming http://127.0.0.1/cb", (uri, host) => {
    expect(redirectUriProblem(uri, "public")).toBe(`The host "${host}" is read as 127.0.0.1; register http://127.0.0.1/cb`);
    expect(canonicalRedirectUri(uri)).toBe("http://127.0.0.1/cb");
  });

  it("refuses a non-canonical IPv6 loopback", () => {
    expect(redirectUriProblem("http://[0:0:0:0:0:0:0:1]/cb", "public")).toBe(
      'The host "[0:0:0:0:0:0:0:1]" is read as [::1]; register http://[::1]/cb',
    );
  });

  it("refuses an uppercase scheme or host, naming the lowercase form (refused, not rewritten)", () => {
    expect(redirectUriProblem("HTTPS://app.example/cb", "confidential")).toBe("Write the scheme in lowercase: register https://app.example/cb");
    expect(redirectUriProblem("https://App.Example/cb", "confidential")).toBe("Write the host in lowercase: register https://app.example/cb");
    expect(redirectUriProblem("http://LOCALHOST/cb", "confidential")).toBe("Write the host in lowercase: register http://localhost/cb");
    expect(redirectUriProblem("Com.Example.App:/cb", "public")).toBe("Write the scheme in lowercase: register com.example.app:/cb");
  });

  it("refuses default and non-canonical ports", () => {
    expect(redirectUriProblem("https://app.example:443/cb", "confidential")).toBe("Leave out the default port: register https://app.example/cb");
    expect(redirectUriProblem("http://127.0.0.1:80/cb", "confidential")).toBe("Leave out the default port: register http://127.0.0.1/cb");
    expect(redirectUriProblem("http://127.0.0.1:/cb", "confidential")).toBe("Leave out the default port: register http://127.0.0.1/cb");
    expect(redirectUriProblem("http://127.0.0.1:08080/cb", "confidential")).toBe("Write the port as 8080: register http://127.0.0.1:8080/cb");
  });

  it("refuses anything else the URL parser would rewrite, naming the stored form", () => {
    expect(redirectUriProblem("https://app.example", "confidential")).toBe("Not in canonical form: register https://app.example/");
    expect(redirectUriProblem("https://app.example/cb?x=<y>", "confidential")).toBe(
      "Not in canonical form: register https://app.example/cb?x=%3Cy%3E",
    );
    expect(redirectUriProblem("https://bücher.example/cb", "confidential")).toBe(
      'The host "bücher.example" is read as xn--bcher-kva.example; register https://xn--bcher-kva.example/cb',
    );
    expect(redirectUriProblem("https://ex%61mple.com/cb", "confidential")).toContain("register https://example.com/cb");
  });

  it("keeps the earlier rules: fragments, wildcards, schemes, plain http", () => {
    expect(redirectUriProblem("https://app.example/cb#x", "confidential")).toBe("A redirect URI must not contain a fragment (#…).");
    expect(redirectUriProblem("https://*.app.example/cb", "confidential")).toBe("Wildcards are not allowed: register each URI exactly.");
    expect(redirectUriProblem("javascript:alert(1)", "public")).toBe("The javascript: scheme cannot be used for redirects.");
    expect(redirectUriProblem("http://app.example/cb", "confidential")).toContain("Plain http is only allowed for loopback");
    expect(redirectUriProblem("com.example.app:/cb", "confidential")).toContain("only allowed for public clients");
    expect(redirectUriProblem("myapp:/cb", "public")).toContain("reverse domain name");
    expect(redirectUriProblem("/callback", "confidential")).toBe("Must be an absolute URI, such as https://example.com/callback.");
  });

  it("flags a URI listed twice", () => {
    const { perUri } = redirectUriListProblems(["https://app.example/cb", " https://app.example/cb"], "confidential");
    expect(perUri).toEqual([null, "This URI is listed twice."]);
  });
});
