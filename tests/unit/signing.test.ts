import { createPublicKey, verify, type JsonWebKey } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { signAccessToken, verifyAccessTokenSignature } from "@/lib/oauth/access-token";
import { signIdToken } from "@/lib/oauth/id-token";
import type { JwsAlg } from "@/lib/oauth/store";
import { body, createEnv, ISSUER, type Env } from "./helpers/fixtures";
import { obtainTokens } from "./helpers/flows";

const SAMPLE = 500;

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

/** node:crypto's own verification from the published JWK: independent of jose and of our signer. */
function verifyWithNodeCrypto(token: string, jwks: JWK[]): boolean {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const { alg, kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg: JwsAlg; kid: string };
  const jwk = jwks.find((k) => k.kid === kid && k.alg === alg);
  if (jwk === undefined) return false;
  const key = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, "base64url");
  expect(sig.length).toBe(alg === "ES256" ? 64 : 256); // ES256: R || S (RFC 7518 §3.4); RS256: 2048-bit
  return alg === "ES256" ? verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, sig) : verify("sha256", data, key, sig);
}

async function publishedKeys(): Promise<JWK[]> {
  return (body(await env.provider.jwks()) as { keys: JWK[] }).keys;
}

async function expectAllValid(tokens: string[], alg: JwsAlg, typ: string) {
  const jwks = await publishedKeys();
  const keySet = createLocalJWKSet({ keys: jwks });
  for (const token of tokens) {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const { protectedHeader } = await jwtVerify(token, keySet, {
      issuer: ISSUER,
      currentDate: env.clock.now(),
      algorithms: [alg],
      typ,
    });
    expect(protectedHeader.alg).toBe(alg);
    expect(verifyWithNodeCrypto(token, jwks)).toBe(true);
  }
}

describe("token signatures (node:crypto signing, verified by jose and by node:crypto)", () => {
  for (const alg of ["ES256", "RS256"] as const) {
    it(`${SAMPLE} ${alg} access tokens all verify`, async () => {
      env = await createEnv({ accessTokenAlg: alg });
      const tokens: string[] = [];
      for (let i = 0; i < SAMPLE; i++) {
        const { token } = await signAccessToken(env.ctx, {
          clientId: "web-app",
          userId: i % 3 === 0 ? null : `user-${i}`,
          scope: i % 2 === 0 ? ["read"] : ["openid", "read", "write"],
          grantId: `grant-${i}`,
          familyId: `family-${"x".repeat(i % 37)}`,
        });
        tokens.push(token);
      }
      await expectAllValid(tokens, alg, "at+jwt");
      // And the server's own check accepts each of them.
      for (const token of tokens.slice(0, 50)) expect(await verifyAccessTokenSignature(env.ctx, token)).not.toBeNull();
    });

    it(`${SAMPLE} ${alg} ID tokens all verify, with non-ASCII claims`, async () => {
      const tokens: string[] = [];
      for (let i = 0; i < SAMPLE; i++) {
        tokens.push(
          await signIdToken(env.ctx, {
            clientId: "web-app",
            userId: "user-1",
            authTime: env.clock.now(),
            nonce: i % 2 === 0 ? null : `nonce-${i}-ü`,
            scope: ["openid", "profile", "email"],
            accessToken: `access-${i}`,
            user: { sub: "user-1", name: `Zoë Åström 😀 ${"é".repeat(i % 13)}`, email: "zoe@example.test" },
            alg,
          }),
        );
      }
      await expectAllValid(tokens, alg, "JWT");
    });
  }
});

describe("signing algorithms", () => {
  it("signs ID tokens with RS256 by default and access tokens with ES256", async () => {
    const tokens = await obtainTokens(env);
    expect(decodeProtectedHeader(tokens.id_token!)).toMatchObject({ alg: "RS256", kid: "key-rs-1", typ: "JWT" });
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: "ES256", kid: "key-1", typ: "at+jwt" });
  });

  it("signs ID tokens with the app's id_token_signed_response_alg", async () => {
    env.store.clients.get("web-app")!.idTokenSignedResponseAlg = "ES256";
    const tokens = await obtainTokens(env);
    expect(decodeProtectedHeader(tokens.id_token!)).toMatchObject({ alg: "ES256", kid: "key-1" });
  });

  it("signs access tokens with RS256 when configured, and accepts them on introspection", async () => {
    env = await createEnv({ accessTokenAlg: "RS256" });
    const tokens = await obtainTokens(env);
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: "RS256", kid: "key-rs-1" });
    expect(await verifyAccessTokenSignature(env.ctx, tokens.access_token)).not.toBeNull();
  });

  it("takes the algorithm from the key, never from the header alone", async () => {
    const tokens = await obtainTokens(env);
    const [, payload, signature] = tokens.access_token.split(".");
    // The ES256 key's kid under an RS256 header: refused even before the signature is checked.
    const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "at+jwt", kid: "key-1" })).toString("base64url");
    expect(await verifyAccessTokenSignature(env.ctx, `${header}.${payload}.${signature}`)).toBeNull();
    const hs = Buffer.from(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid: "key-rs-1" })).toString("base64url");
    expect(await verifyAccessTokenSignature(env.ctx, `${hs}.${payload}.${signature}`)).toBeNull();
  });
});
