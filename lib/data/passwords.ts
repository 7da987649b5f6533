import argon2 from "argon2";

// argon2id with the library's defaults (m=64 MiB, t=3, p=4): for user passwords only.
// Client secrets are high-entropy and use SHA-256 (lib/oauth/tokens.ts).
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against a dummy hash keeps unknown emails as slow as wrong passwords.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("latchkey-dummy-password");
  await verifyPassword(await dummyHash, password);
}
