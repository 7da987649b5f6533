import { describe, expect, it, vi } from "vitest";

vi.mock("../../lib/db", () => ({ prisma: {} }));
const { auditCsv, auditFilterOf, describeChanges } = await import("../../lib/data/audit");

describe("describeChanges", () => {
  it("names every changed field, lists as added and removed, and leaves unchanged ones out", () => {
    const before = { name: "Old", redirectUris: ["https://a.example/cb"], scopes: ["openid"], logoUrl: null as string | null };
    const after = { name: "New", redirectUris: ["https://a.example/cb", "https://b.example/cb"], scopes: ["openid"], logoUrl: null as string | null };
    expect(describeChanges(before, after, ["name", "redirectUris", "scopes", "logoUrl"])).toEqual({
      name: { from: "Old", to: "New" },
      redirectUris: { added: ["https://b.example/cb"], removed: [] },
    });
  });
});

describe("auditCsv", () => {
  const entry = (details: Record<string, unknown>, actorLabel = "admin@latchkey.local") => ({
    id: "1", createdAt: new Date("2026-01-02T03:04:05Z"), action: "app.updated", actorId: "u1", actor: actorLabel, actorLabel,
    target: "c1", targetLabel: "My, App", targetKind: "app" as const, details,
  });

  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    const csv = auditCsv([entry({ note: 'say "hi"' }, "=HYPERLINK(1)")]);
    const [header, row] = csv.trim().split("\r\n");
    expect(header).toBe("time,action,actor,actor_id,target,target_name,details");
    expect(row).toBe(`2026-01-02T03:04:05.000Z,app.updated,'=HYPERLINK(1),u1,c1,"My, App","{""note"":""say \\""hi\\""""}"`);
  });
});

describe("auditFilterOf", () => {
  it("reads the same filter from the page's and the export route's parameters", () => {
    const fromUrl = auditFilterOf(new URLSearchParams("action=auth.&actor=cli&from=2026-01-01&q=x"));
    const fromPage = auditFilterOf({ action: "auth.", actor: ["cli"], from: "2026-01-01", q: "x" });
    expect(fromUrl).toEqual(fromPage);
    expect(fromUrl.target).toBeUndefined();
  });
});
