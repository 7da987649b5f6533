import { handle } from "@/lib/server/route-handlers";
import { oauth } from "@/lib/server/provider";

export const dynamic = "force-dynamic";
export const GET = handle(() => oauth().jwks());
