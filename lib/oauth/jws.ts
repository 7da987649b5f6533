import { constants, sign } from "node:crypto";
import type { SigningKey } from "./store";

/**
 * A JWS in compact serialisation (RFC 7515 §7.1) over `payload` (JSON text), signed with one
 * synchronous node:crypto call: ~55 µs for ES256 against ~123 µs through jose's WebCrypto.
 * jose still does every verification.
 */
export function signCompactJws(key: SigningKey, typ: string, payload: string): string {
  const input = `${encodedHeader(key, typ)}.${Buffer.from(payload).toString("base64url")}`;
  const signature =
    key.alg === "ES256"
      ? // RFC 7518 §3.4: R || S, not DER.
        sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })
      : sign("sha256", Buffer.from(input), { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING });
  return `${input}.${signature.toString("base64url")}`;
}

/** Per key and `typ`, the header is always the same text: encoded once. */
const encodedHeaders = new WeakMap<SigningKey, Map<string, string>>();

function encodedHeader(key: SigningKey, typ: string): string {
  let byTyp = encodedHeaders.get(key);
  if (byTyp === undefined) encodedHeaders.set(key, (byTyp = new Map()));
  let header = byTyp.get(typ);
  if (header === undefined) byTyp.set(typ, (header = Buffer.from(JSON.stringify({ alg: key.alg, typ, kid: key.kid })).toString("base64url")));
  return header;
}
