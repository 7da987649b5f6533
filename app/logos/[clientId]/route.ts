import { getAppLogo } from "@/lib/data/app-logos";

export const dynamic = "force-dynamic";

/** An app's uploaded logo. `?v=` names its hash: such URLs never change, so they are cached for good. */
export async function GET(request: Request, { params }: { params: Promise<{ clientId: string }> }): Promise<Response> {
  const logo = await getAppLogo((await params).clientId);
  if (!logo) return new Response("No logo.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  const version = new URL(request.url).searchParams.get("v");
  const etag = `"${logo.sha256}"`;
  const headers = {
    "content-type": logo.contentType,
    // nosniff and the CSP for /logos/ come from the front door (lib/server/front-door.ts).
    "cache-control": version !== null && logo.sha256.startsWith(version) && version.length >= 16 ? "public, max-age=31536000, immutable" : "no-cache",
    etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(Buffer.from(logo.bytes), { headers });
}
