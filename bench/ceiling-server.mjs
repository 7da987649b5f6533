// The ceiling for `npm run bench`: bare node:http doing only the cryptography each
// scenario needs, with jose as Latchkey uses it. No client authentication, no storage.
// token: one ES256 JWT (two for a code exchange or a refresh with the openid scope,
// which also return an ID token, as Latchkey and oidc-provider do);
// introspection and userinfo: one JWT verification; JWKS: fixed JSON. Signing is one
// synchronous node:crypto call per JWT and verification goes through jose, as in Latchkey
// (lib/oauth/jws.ts), so "% of ceiling" is the distance from the cryptographic floor.
import { createServer } from "node:http";
import { KeyObject, randomBytes, sign as signBytes, verify as verifyBytes } from "node:crypto";
import { compactVerify, exportJWK, generateKeyPair } from "jose";
import { installProfileToggle } from "./profile-toggle.mjs";

const port = Number(process.env.PORT);
const issuer = `http://localhost:${port}`;
const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "ceiling", alg: "ES256", use: "sig" }] });
const signingKey = KeyObject.from(privateKey);
const b64url = (text) => Buffer.from(text).toString("base64url");
const headers = { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" };

function sign(claims, typ) {
  const iat = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer, aud: issuer, iat, exp: iat + 3600, jti: randomBytes(16).toString("base64url"), ...claims };
  const input = `${b64url(JSON.stringify({ alg: "ES256", typ, kid: "ceiling" }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${signBytes("sha256", Buffer.from(input), { key: signingKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

// BENCH_CEILING_VERIFY=node-crypto: an experiment, not the ceiling the bench reports. Verifies
// with one synchronous node:crypto call instead of jose, to measure how far the fastest
// verification Node has would move introspection and userinfo (bench/notes.md, item 32).
const publicKeyObject = KeyObject.from(publicKey);
const verify = process.env.BENCH_CEILING_VERIFY === "node-crypto" ? verifyNode : verifyJose;

async function verifyJose(token) {
  const { payload } = await compactVerify(token, publicKey, { algorithms: ["ES256"] });
  return JSON.parse(new TextDecoder().decode(payload));
}

function verifyNode(token) {
  const [header, payload, signature] = token.split(".");
  const h = JSON.parse(Buffer.from(header, "base64url").toString());
  if (h.alg !== "ES256" || h.kid !== "ceiling") throw new Error("unexpected header");
  const ok = verifyBytes("sha256", Buffer.from(`${header}.${payload}`), { key: publicKeyObject, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  if (!ok) throw new Error("bad signature");
  return JSON.parse(Buffer.from(payload, "base64url").toString());
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => resolve(new URLSearchParams(body)));
  });
}

async function handle(req) {
  const path = req.url.split("?")[0];
  if (path === "/oauth/jwks") return jwks;
  if (path === "/oauth/userinfo") {
    const claims = await verify(req.headers.authorization.slice(7));
    return JSON.stringify({ sub: claims.sub, name: "Uma User", email: "user@latchkey.local", email_verified: true });
  }
  const body = await readBody(req);
  if (path === "/oauth/introspect") {
    const c = await verify(body.get("token"));
    return JSON.stringify({ active: true, scope: c.scope, client_id: c.client_id, sub: c.sub, exp: c.exp, iat: c.iat, token_type: "Bearer" });
  }
  const grant = body.get("grant_type");
  const sub = grant === "client_credentials" ? "ceiling-client" : "user-1";
  const access = await sign({ sub, client_id: "ceiling-client", scope: "notes:read" }, "at+jwt");
  const response = { access_token: access, token_type: "Bearer", expires_in: 3600, scope: "notes:read" };
  if (grant !== "client_credentials") response.refresh_token = "lk_rt_" + randomBytes(32).toString("base64url");
  if (grant !== "client_credentials") response.id_token = await sign({ sub, aud: "ceiling-client", nonce: "n" }, "JWT");
  return JSON.stringify(response);
}

createServer((req, res) => {
  handle(req).then(
    (body) => {
      res.writeHead(200, headers);
      res.end(body);
    },
    () => {
      res.writeHead(400, headers);
      res.end('{"error":"invalid_request"}');
    },
  );
}).listen(port, () => {
  installProfileToggle("ceiling");
  console.log("ready");
});
