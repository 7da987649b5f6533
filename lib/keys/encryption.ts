// Private signing keys are stored encrypted with AES-256-GCM under a key derived
// (HKDF-SHA-256) from the server secret.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "latchkey", "signing-key-encryption", 32));
}

export function encryptJson(value: unknown, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function decryptJson<T>(sealed: string, secret: string): T {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !body || !tag) throw new Error("Unrecognised encrypted key format");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plain = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
  return JSON.parse(plain.toString("utf8")) as T;
}
