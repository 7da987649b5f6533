import { SignJWT } from "jose";
import { createEnv, post } from "./fixtures";
import { fromWebRequest } from "@/lib/oauth/http";

const env = await createEnv();
const N = 20000;
const hdr = "Basic " + btoa("web-app:lk_secret_web-app-secret-value");
const mk = () => new Request("https://auth.example.test/oauth/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: hdr }, body: "grant_type=client_credentials&scope=read" });
for (let i = 0; i < 2000; i++) await env.provider.token(await fromWebRequest(mk()));
let t = performance.now();
for (let i = 0; i < N; i++) await env.provider.token(await fromWebRequest(mk()));
const full = performance.now() - t;
t = performance.now();
for (let i = 0; i < N; i++) await new SignJWT({ sub: "x", iat: 1 }).setProtectedHeader({ alg: "ES256" }).sign(env.key.privateKey);
const sign = performance.now() - t;
t = performance.now();
for (let i = 0; i < N; i++) { const r = mk(); await r.text(); }
const req = performance.now() - t;
console.log({ fullPerReqUs: (full / N) * 1000, signUs: (sign / N) * 1000, requestUs: (req / N) * 1000 });
