import { handle } from "@/lib/server/route-handlers";
import { oauth } from "@/lib/server/provider";

export const dynamic = "force-dynamic";
const endpoint = handle((req) => oauth().userinfo(req));
export { endpoint as GET, endpoint as POST };
