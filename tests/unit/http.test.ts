import { describe, expect, it } from "vitest";
import { InvalidClient, InvalidGrant, OAuthError, ServerError, toOAuthError } from "@/lib/oauth/errors";
import { errorResponse, fromWebRequest, json, parseBasicAuth, pickParams, toWebResponse } from "@/lib/oauth/http";
import { basicAuth } from "./helpers/fixtures";

describe("parseBasicAuth", () => {
  it("form-decodes a client_id containing ':' and a secret containing '+', '%' and spaces", () => {
    const header = basicAuth("svc:reports", "a+b%2Fc d=:x");
    expect(parseBasicAuth(header)).toEqual({ clientId: "svc:reports", clientSecret: "a+b%2Fc d=:x" });
  });

  it("turns '+' into a space, as application/x-www-form-urlencoded requires", () => {
    expect(parseBasicAuth(`Basic ${btoa("my+client:pa+ss")}`)).toEqual({ clientId: "my client", clientSecret: "pa ss" });
  });

  it("accepts the scheme in any case", () => {
    expect(parseBasicAuth(`bAsIc ${btoa("a:b")}`)).toEqual({ clientId: "a", clientSecret: "b" });
  });

  it("decodes UTF-8 credentials, and unpadded base64 as atob does", () => {
    const utf8 = Buffer.from("app-é:sécret", "utf8").toString("base64");
    expect(parseBasicAuth(`Basic ${utf8}`)).toEqual({ clientId: "app-é", clientSecret: "sécret" });
    expect(parseBasicAuth(`Basic ${btoa("a:bc").replace(/=+$/, "")}`)).toEqual({ clientId: "a", clientSecret: "bc" });
  });

  it("ignores other schemes and a missing header", () => {
    expect(parseBasicAuth(null)).toBeNull();
    expect(parseBasicAuth("Bearer abc")).toBeNull();
  });

  it.each([
    ["bad base64", "Basic !!!"],
    ["base64 with a character outside the alphabet", `Basic ${btoa("id:secret").slice(0, 4)}*${btoa("id:secret").slice(5)}`],
    ["invalid UTF-8", `Basic ${Buffer.from([0x69, 0x64, 0x3a, 0xff, 0xfe]).toString("base64")}`],
    ["no colon", `Basic ${btoa("justanid")}`],
    ["bad percent-encoding", `Basic ${btoa("id:%zz")}`],
    ["empty client_id", `Basic ${btoa(":secret")}`],
  ])("rejects %s as invalid_client with a Basic challenge", (_name, header) => {
    try {
      parseBasicAuth(header, "https://issuer");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidClient);
      expect((err as OAuthError).wwwAuthenticate).toBe('Basic realm="https://issuer"');
    }
  });
});

describe("pickParams", () => {
  it("rejects a repeated parameter with invalid_request (RFC 6749 §3.1)", () => {
    const params = new URLSearchParams("scope=a&scope=b");
    expect(() => pickParams(params, ["scope"])).toThrowError(/repeated/);
    try {
      pickParams(params, ["scope"]);
    } catch (err) {
      expect((err as OAuthError).error).toBe("invalid_request");
    }
  });

  it("treats empty values as absent and ignores unrecognised parameters, even repeated", () => {
    const params = new URLSearchParams("scope=&state=s&foo=1&foo=2");
    expect(pickParams(params, ["scope", "state"])).toEqual({ state: "s" });
  });
});

describe("fromWebRequest", () => {
  it("parses a form body of a POST", async () => {
    const req = await fromWebRequest(
      new Request("https://x/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
        body: "a=1&b=two+words",
      }),
    );
    expect(req.method).toBe("POST");
    expect(req.body?.get("b")).toBe("two words");
  });

  it("leaves the body null for other content types", async () => {
    const req = await fromWebRequest(
      new Request("https://x/token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    );
    expect(req.body).toBeNull();
  });
});

describe("responses", () => {
  it("json responses are never cached", () => {
    const res = json(200, { a: 1 });
    expect(res.headers).toMatchObject({
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
    });
  });

  it("errorResponse gives the RFC 6749 §5.2 body and the status of the error", () => {
    const res = errorResponse(new InvalidGrant("The code expired", { debug: "code 42" }));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: "invalid_grant", error_description: "The code expired" });
    expect(res.body).not.toContain("code 42");
  });

  it("errorResponse adds WWW-Authenticate when the error carries a challenge", () => {
    const res = errorResponse(new InvalidClient(undefined, { wwwAuthenticate: 'Basic realm="r"' }));
    expect(res.status).toBe(401);
    expect(res.headers["WWW-Authenticate"]).toBe('Basic realm="r"');
  });

  it("toWebResponse keeps status, headers and body", async () => {
    const res = toWebResponse(json(201, { ok: true }, { "X-Test": "1" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("x-test")).toBe("1");
    expect(await res.json()).toEqual({ ok: true });
  });

  it("unknown exceptions become a server_error that reveals nothing", () => {
    const err = toOAuthError(new Error("database password is hunter2"));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.status).toBe(500);
    expect(errorResponse(err).body).not.toContain("hunter2");
    expect(err.debug).toContain("hunter2");
  });
});
