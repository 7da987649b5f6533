import { describe, expect, it } from "vitest";
import { appSchema } from "@/lib/validation/app";
import { MAX_WEB_ORIGINS, webOriginListProblems, webOriginProblem } from "@/lib/validation/web-origin";

describe("web origin registration: only serialized origins, as browsers send them in Origin", () => {
  it.each([
    "https://spa.example.test",
    "https://spa.example.test:8443",
    "https://[2001:db8::1]",
    "http://127.0.0.1",
    "http://127.0.0.1:5173",
    "http://[::1]:8080",
    "http://localhost",
    "http://localhost:3000",
  ])("accepts %s", (origin) => {
    expect(webOriginProblem(origin)).toBeNull();
  });

  it("accepts an origin with surrounding whitespace (stored trimmed)", () => {
    expect(webOriginProblem("  https://spa.example.test  ")).toBeNull();
  });

  it.each([
    ["https://spa.example.test/", "Leave out the trailing slash: register https://spa.example.test"],
    ["https://spa.example.test/path", "An origin has no path, query or fragment: register https://spa.example.test"],
    ["https://spa.example.test/app/", "An origin has no path, query or fragment: register https://spa.example.test"],
    ["https://spa.example.test?x=1", "An origin has no path, query or fragment: register https://spa.example.test"],
    ["https://spa.example.test#top", "An origin has no path, query or fragment: register https://spa.example.test"],
    ["https://user@spa.example.test", "An origin has no user name or password (…@): register https://spa.example.test"],
    ["https://user:pw@spa.example.test", "An origin has no user name or password (…@): register https://spa.example.test"],
  ])("refuses %s, naming the origin to register", (origin, message) => {
    expect(webOriginProblem(origin)).toBe(message);
  });

  it.each([
    ["HTTPS://spa.example.test", "Write the scheme in lowercase: register https://spa.example.test"],
    ["https://SPA.Example.test", "Write the host in lowercase: register https://spa.example.test"],
    ["https://spa.example.test:443", "Leave out the default port: register https://spa.example.test"],
    ["http://localhost:80", "Leave out the default port: register http://localhost"],
    ["https://spa.example.test:08443", "Write the port as 8443: register https://spa.example.test:8443"],
    ["http://127.1:3000", 'The host "127.1" is read as 127.0.0.1; register http://127.0.0.1:3000'],
    ["https://bücher.example", 'The host "bücher.example" is read as xn--bcher-kva.example; register https://xn--bcher-kva.example'],
    ["https:spa.example.test", "Not in canonical form: register https://spa.example.test"],
  ])("refuses the non-canonical %s", (origin, message) => {
    expect(webOriginProblem(origin)).toBe(message);
  });

  it.each(["http://spa.example.test", "http://10.0.0.1:8080", "http://localhost.example.test"])(
    "refuses plain http for the non-loopback %s",
    (origin) => {
      expect(webOriginProblem(origin)).toContain("Plain http is only allowed for loopback hosts");
    },
  );

  it.each(["", "   ", "spa.example.test", "null", "https://", "ftp://spa.example.test", "chrome-extension://abcdef"])(
    "refuses %j as not an origin",
    (origin) => {
      expect(webOriginProblem(origin)).toMatch(/^(Enter an origin\.|Must be an https origin)/);
    },
  );

  it.each([
    ["https://*.example.test", "Wildcards are not allowed: register each origin exactly."],
    ["https://spa\t.example.test", "An origin must not contain spaces or control characters."],
    ["https://spa .example.test", "An origin must not contain spaces or control characters."],
  ])("refuses %j", (origin, message) => {
    expect(webOriginProblem(origin)).toBe(message);
  });

  it("flags the second of two identical origins", () => {
    const { perOrigin, list } = webOriginListProblems(["https://a.example.test", "https://b.example.test", "https://a.example.test"]);
    expect(perOrigin).toEqual([null, null, "This origin is listed twice."]);
    expect(list).toBeNull();
  });

  it(`allows at most ${MAX_WEB_ORIGINS} origins`, () => {
    const origins = (n: number) => Array.from({ length: n }, (_, i) => `https://app${i}.example.test`);
    expect(webOriginListProblems(origins(MAX_WEB_ORIGINS)).list).toBeNull();
    expect(webOriginListProblems(origins(MAX_WEB_ORIGINS + 1)).list).toBe(`At most ${MAX_WEB_ORIGINS} web origins.`);
  });
});

describe("the app form's web origins", () => {
  const app = {
    name: "SPA",
    type: "public",
    redirectUris: ["https://spa.example.test/callback"],
    grantTypes: ["authorization_code"],
  };

  it("defaults to none (the origins of the redirect URIs apply)", () => {
    const parsed = appSchema.parse(app);
    expect(parsed.webOrigins).toEqual([]);
  });

  it("drops blank lines and surrounding whitespace", () => {
    const parsed = appSchema.parse({ ...app, webOrigins: ["", " https://spa.example.test ", "http://localhost:5173\r", ""] });
    expect(parsed.webOrigins).toEqual(["https://spa.example.test", "http://localhost:5173"]);
  });

  it("reports a bad origin on the webOrigins field, naming it", () => {
    const result = appSchema.safeParse({ ...app, webOrigins: ["https://ok.example.test", "https://spa.example.test/path"] });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === "webOrigins");
    expect(issue?.path).toEqual(["webOrigins", 1]);
    expect(issue?.message).toBe(
      "https://spa.example.test/path: An origin has no path, query or fragment: register https://spa.example.test",
    );
  });

  it("refuses more than the limit on the list", () => {
    const many = Array.from({ length: MAX_WEB_ORIGINS + 1 }, (_, i) => `https://app${i}.example.test`);
    const result = appSchema.safeParse({ ...app, webOrigins: many });
    expect(result.error!.issues.map((i) => i.path)).toContainEqual(["webOrigins"]);
  });
});
