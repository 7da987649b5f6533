// The node:http adapter: write answers, and guard a request with a verifier.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceServerAnswer } from "./answers";
import type { AccessTokenVerifier, VerifiedAccessToken } from "./verifier";

export function sendAnswer(res: ServerResponse, answer: ResourceServerAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, "Content-Length": Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** The verified token, or null once the 401/403/503 answer has been sent. */
export async function authenticateRequest(
  verifier: AccessTokenVerifier,
  req: IncomingMessage,
  res: ServerResponse,
  requiredScopes: readonly string[] = [],
): Promise<VerifiedAccessToken | null> {
  const result = await verifier.verify(req.headers.authorization, requiredScopes);
  if (result.ok) return result.token;
  sendAnswer(res, result.answer);
  return null;
}
