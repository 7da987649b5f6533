import { currentUser } from "@/lib/auth/session";
import { auditCsv, auditFilterOf, auditJson, exportAuditLog } from "@/lib/data/audit";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const user = await currentUser();
  if (!user || user.role !== "admin") return new Response("Only admins can export the audit log.\n", { status: 403 });
  const params = new URL(request.url).searchParams;
  const format = params.get("format") === "json" ? "json" : "csv";
  const entries = await exportAuditLog(auditFilterOf(params));
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(format === "json" ? auditJson(entries) : auditCsv(entries), {
    headers: {
      "content-type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="latchkey-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
