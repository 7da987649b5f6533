import { beforeEach, describe, expect, it } from "vitest";
import { matchesRegisteredRedirectUri } from "@/lib/oauth/redirect-uri";
import { createEnv, type Env } from "./helpers/fixtures";
import { pkcePair } from "./helpers/flows";

const REGISTERED = [
  "https://app.example/cb",
  "https://app.example/other?x=1",
  "http://127.0.0.1/callback",
  "http://[::1]:8080/cb",
  "http://localhost/cb",
  "com.example.app:/oauth",
];

const matches = (requested: string) => matchesRegisteredRedirectUri(REGISTERED, requested);

describe("matchesRegisteredRedirectUri: exact string comparison (RFC 9700 §2.1)", () => {
  it("matches a registered URI character for character", () => {
    for (const uri of REGISTERED) expect(matches(uri)).toBe(true);
  });

  it.each([
    "https://app.example/cb/",
    "https://app.example/CB",
    "https://APP.example/cb",
    "HTTPS://app.example/cb",
    "https://app.example:443/cb",
    "https://app.example/cb?",
    "https://app.example/cb?x=1",
    "https://app.example/other?x=1&y=2",
    "https://app.example/other?x=2",
    "https://app.example/x/../cb",
    "https://app.example/%2e/cb",
    "https://app.example\\cb",
    "https://app.example.evil.test/cb",
    "Com.Example.App:/oauth",
    "com.example.app:/oauth/",
  ])("refuses %s", (uri) => {
    expect(matches(uri)).toBe(false);
  });

  it.each([
    ["userinfo", "https://user@app.example/cb"],
    ["userinfo naming our host", "http://app.example@127.0.0.1/callback"],
    ["a fragment", "https://app.example/cb#x"],
    ["an empty fragment", "https://app.example/cb#"],
    ["a tab", "https://app.example/c\tb"],
    ["a newline", "https://app.example/cb\n"],
    ["a leading space", " https://app.example/cb"],
  ])("refuses %s even when the rest matches", (_, uri) => {
    expect(matches(uri)).toBe(false);
  });

  it("refuses a requested URI that is not canonical even if registered that way before the rules tightened", () => {
    expect(matchesRegisteredRedirectUri(["http://evil.test@localhost/cb"], "http://evil.test@localhost/cb")).toBe(false);
    expect(matchesRegisteredRedirectUri(["https://app.example"], "https://app.example")).toBe(false);
  });
});

describe("matchesRegisteredRedirectUri: any port on loopback (RFC 8252 §7.3)", () => {
  it("lets 127.0.0.1 and [::1] use any port with the same path and query", () => {
    expect(matches("http://127.0.0.1:51234/callback")).toBe(true);
    expect(matches("http://127.0.0.1:80/callback")).toBe(true);
    expect(matches("http://[::1]:9999/cb")).toBe(true);
    expect(matches("http://[::1]/cb")).toBe(true);
    expect(matchesRegisteredRedirectUri(["http://127.0.0.1/cb?x=1"], "http://127.0.0.1:5000/cb?x=1")).toBe(true);
    expect(matchesRegisteredRedirectUri(["http://127.0.0.1/cb?x=1"], "http://127.0.0.1:5000/cb?x=2")).toBe(false);
  });

  it("keeps the same leniency for localhost, which the portal's playground relies on (RFC 9700 §2.1)", () => {
    expect(matches("http://localhost:3000/cb")).toBe(true);
  });

  it.each([
    "http://127.1/callback",
    "http://127.1:5000/callback",
    "http://0x7f.1/callback",
    "http://0x7f.0.0.1:5000/callback",
    "http://0177.0.0.1/callback",
    "http://2130706433/callback",
    "http://127.000.000.001/callback",
    "http://0x7f000001:8080/callback",
    "http://[0:0:0:0:0:0:0:1]:8080/cb",
    "http://LOCALHOST:3000/cb",
    "http://localhost.:3000/cb",
  ])("refuses %s: its host text is not the registered one, however it parses", (uri) => {
    expect(matches(uri)).toBe(false);
  });

  it.each([
    "http://127.0.0.1:51234/other",
    "http://127.0.0.1:51234/callback/",
    "http://127.0.0.1:51234/callback?x=1",
    "https://127.0.0.1:51234/callback",
    "http://127.0.0.2:51234/callback",
    "http://[::1]:9999/callback",
    "http://127.0.0.1:51234/callback#x",
    "http://evil.test@127.0.0.1:51234/callback",
    "http://127.0.0.1:51234@evil.test/callback",
    "http://127.0.0.1:051234/callback",
    "http://127.0.0.1:0/callback",
    "http://127.0.0.1:99999/callback",
    "http://127.0.0.1:/callback",
    "http://127.0.0.1:51234",
    "http://127.0.0.1:51234/x/../callback",
    "http://127.0.0.1:51234/%2e/callback",
    "http://127.0.0.1:51234\\callback",
    "http://127.0.0.1:51234/callback\n",
    "http://127.0.0.1:5123\t4/callback",
  ])("refuses %s", (uri) => {
    expect(matches(uri)).toBe(false);
  });

  it("does not extend port leniency to other hosts", () => {
    expect(matchesRegisteredRedirectUri(["http://example.test/cb"], "http://example.test:81/cb")).toBe(false);
    expect(matchesRegisteredRedirectUri(["https://app.example/cb"], "https://app.example:8443/cb")).toBe(false);
  });
});

describe("the authorization endpoint refuses a rewritten loopback host (RFC 6749 §4.1.2.1)", () => {
  let env: Env;
  beforeEach(async () => {
    env = await createEnv();
  });

  it.each(["http://127.1/callback", "http://0x7f.1:8080/callback", "http://2130706433/callback"])(
    "answers %s with an error page, never a redirect",
    async (redirectUri) => {
      const params = new URLSearchParams({
        client_id: "spa",
        redirect_uri: redirectUri,
        response_type: "code",
        scope: "openid",
        code_challenge: pkcePair().challenge,
        code_challenge_method: "S256",
      });
      const result = await env.provider.authorize.validate(params);
      expect(result.type).toBe("error_page");
      if (result.type === "error_page") expect(result.error.error).toBe("invalid_redirect_uri");
    },
  );

  it("accepts the canonical loopback address on any port", async () => {
    const params = new URLSearchParams({
      client_id: "spa",
      redirect_uri: "http://127.0.0.1:8080/callback",
      response_type: "code",
      scope: "openid",
      code_challenge: pkcePair().challenge,
      code_challenge_method: "S256",
    });
    expect((await env.provider.authorize.validate(params)).type).toBe("ok");
  });
});
