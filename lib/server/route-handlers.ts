// Thin App Router glue for the machine endpoints (used under `next dev`; `npm start`
// serves the same core from lib/server/fast-path.ts).
import { fromWebRequest, toWebResponse, type OAuthRequest, type OAuthResponse } from "../oauth/http";

export function handle(endpoint: (req: OAuthRequest) => Promise<OAuthResponse>) {
  return async (request: Request): Promise<Response> => toWebResponse(await endpoint(await fromWebRequest(request)));
}
