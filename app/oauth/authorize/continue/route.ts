import { continueAuthorization } from "@/lib/server/authorization-flow";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const id = new URL(request.url).searchParams.get("id") ?? "";
  const { location } = await continueAuthorization(id);
  return Response.redirect(new URL(location, request.url), 303);
}
