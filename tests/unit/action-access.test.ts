// The one server-action wrapper's access rules and the team's data-layer checks, on a real
// SQLite file: signed out, admin only, non-member, viewer < developer < owner, schema errors,
// and a viewer's crafted call to a developer's action.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { migrationScripts } from "../contract/harness";

vi.mock("server-only", () => ({}));

const dir = mkdtempSync(path.join(tmpdir(), "latchkey-action-"));
const file = path.join(dir, "test.db");
process.env.DATABASE_URL = `file:${file}`;

type Wrapper = typeof import("@/lib/server/action");
type Members = typeof import("@/lib/data/app-members");
type Invitations = typeof import("@/lib/data/invitations");
let wrapper: Wrapper;
let members: Members;
let invitations: Invitations;

const now = new Date().toISOString();
const users = {
  owner: { id: "u-owner", email: "owner@example.test", name: "Olive Owner", role: "user" },
  developer: { id: "u-dev", email: "dev@example.test", name: "Dev", role: "user" },
  viewer: { id: "u-viewer", email: "viewer@example.test", name: null, role: "user" },
  stranger: { id: "u-stranger", email: "stranger@example.test", name: null, role: "user" },
  admin: { id: "u-admin", email: "admin@example.test", name: null, role: "admin" },
  invitee: { id: "u-invitee", email: "invitee@example.test", name: "Ivy", role: "user" },
} as const;
const CLIENT = "c0ffee00c0ffee00c0ffee00c0ffee00";

function signedIn(key: keyof typeof users) {
  const u = users[key];
  return { ...u, role: u.role as "user" | "admin", createdAt: new Date(), authTime: new Date(), sessionId: null };
}

function form(values: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

beforeAll(async () => {
  const db = new Database(file);
  for (const sql of migrationScripts("sqlite")) db.exec(sql);
  const insertUser = db.prepare(`INSERT INTO "User" ("id", "email", "name", "role", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`);
  for (const u of Object.values(users)) insertUser.run(u.id, u.email, u.name, u.role, now, now);
  db.prepare(
    `INSERT INTO "Client" ("id", "ownerId", "name", "type", "grantTypes", "scopes", "createdAt", "updatedAt") VALUES (?, ?, 'Team App', 'confidential', 'authorization_code', 'openid', ?, ?)`,
  ).run(CLIENT, users.owner.id, now, now);
  const member = db.prepare(`INSERT INTO "AppMember" ("id", "clientId", "userId", "role", "createdAt") VALUES (?, ?, ?, ?, ?)`);
  member.run("m1", CLIENT, users.developer.id, "developer", now);
  member.run("m2", CLIENT, users.viewer.id, "viewer", now);
  db.close();
  wrapper = await import("@/lib/server/action");
  members = await import("@/lib/data/app-members");
  invitations = await import("@/lib/data/invitations");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = z.object({ label: z.string().min(3, "At least 3 characters.") });
const ran = async () => ({ status: "ok" as const, message: "ran" });

async function run(access: import("@/lib/server/action").Access, who: keyof typeof users | null, values: Record<string, string>) {
  return wrapper.runAction({ access, schema }, ran, who ? signedIn(who) : null, form(values), []);
}

describe("the action wrapper", () => {
  it("refuses a signed-out caller before reading the input", async () => {
    expect(await run("user", null, { label: "fine" })).toEqual({ status: "error", message: wrapper.SIGNED_OUT });
    expect(await run({ app: "viewer" }, null, { clientId: CLIENT, label: "fine" })).toEqual({ status: "error", message: wrapper.SIGNED_OUT });
  });

  it("lets anyone run a public action", async () => {
    expect(await run("public", null, { label: "fine" })).toEqual({ status: "ok", message: "ran" });
  });

  it("runs an admin action for admins only", async () => {
    expect(await run("admin", "owner", { label: "fine" })).toEqual({ status: "error", message: wrapper.ONLY_ADMINS });
    expect(await run("admin", "admin", { label: "fine" })).toEqual({ status: "ok", message: "ran" });
  });

  it("answers a non-member as if the app did not exist", async () => {
    expect(await run({ app: "viewer" }, "stranger", { clientId: CLIENT, label: "fine" })).toEqual({ status: "error", message: wrapper.NOT_YOURS });
    expect(await run({ app: "viewer" }, "owner", { clientId: "no-such-app", label: "fine" })).toEqual({ status: "error", message: wrapper.NOT_YOURS });
    expect(await run({ app: "viewer" }, "owner", { label: "fine" })).toEqual({ status: "error", message: wrapper.NOT_YOURS });
  });

  it("orders the roles viewer < developer < owner", async () => {
    const outcome = async (who: keyof typeof users, min: "viewer" | "developer" | "owner") =>
      (await run({ app: min }, who, { clientId: CLIENT, label: "fine" })).status;
    expect([await outcome("viewer", "viewer"), await outcome("viewer", "developer"), await outcome("viewer", "owner")]).toEqual(["ok", "error", "error"]);
    expect([await outcome("developer", "viewer"), await outcome("developer", "developer"), await outcome("developer", "owner")]).toEqual(["ok", "ok", "error"]);
    expect([await outcome("owner", "viewer"), await outcome("owner", "developer"), await outcome("owner", "owner")]).toEqual(["ok", "ok", "ok"]);
    expect(await run({ app: "developer" }, "viewer", { clientId: CLIENT, label: "fine" })).toEqual({ status: "error", message: wrapper.roleTooLow("viewer") });
  });

  it("does not make an admin a member of every app in the portal", async () => {
    expect((await run({ app: "viewer" }, "admin", { clientId: CLIENT, label: "fine" })).status).toBe("error");
  });

  it("returns the schema's field errors without running the action", async () => {
    expect(await run({ app: "developer" }, "developer", { clientId: CLIENT, label: "x" })).toEqual({ status: "error", fieldErrors: { label: "At least 3 characters." } });
  });

  it("hands the handler the app and the caller's role", async () => {
    const seen = await wrapper.runAction(
      { access: { app: "viewer" }, schema, input: (f: FormData, clientId: string) => ({ clientId, label: f.get("label") }) },
      async (_data, ctx) => ({ status: "ok", message: `${ctx.app.name}:${ctx.role}:${ctx.actor.label}` }),
      signedIn("developer"),
      form({ label: "fine", clientId: "ignored-when-bound" }),
      [CLIENT],
    );
    expect(seen.message).toBe("Team App:developer:dev@example.test");
  });
});

describe("team permissions in the data layer", () => {
  it("finds an app for a member at or above the role asked for, never for others", async () => {
    expect((await members.appForMember(users.viewer.id, CLIENT, "viewer"))?.role).toBe("viewer");
    expect(await members.appForMember(users.viewer.id, CLIENT, "developer")).toBeNull();
    expect(await members.appForMember(users.stranger.id, CLIENT, "viewer")).toBeNull();
    expect((await members.listAppsForMember(users.developer.id)).map((m) => [m.app.id, m.role])).toEqual([[CLIENT, "developer"]]);
  });

  it("refuses team changes by anyone but the owner, even when called directly", async () => {
    const actor = { id: users.developer.id, label: users.developer.email };
    await expect(members.changeMemberRole(users.developer.id, CLIENT, users.viewer.id, "developer", actor)).rejects.toThrow(members.TeamError);
    await expect(members.removeMember(users.viewer.id, CLIENT, users.developer.id, actor)).rejects.toThrow(members.TeamError);
    await expect(members.transferOwnership(users.developer.id, CLIENT, users.developer.id, actor)).rejects.toThrow(members.TeamError);
    await expect(invitations.inviteMember(users.developer.id, CLIENT, users.invitee.email, "viewer", actor)).rejects.toThrow(members.TeamError);
    expect(await members.roleOnApp(users.viewer.id, CLIENT)).toBe("viewer");
  });

  it("invites only registered users, once per token, and only the invitee can accept", async () => {
    const owner = { id: users.owner.id, label: users.owner.email };
    await expect(invitations.inviteMember(users.owner.id, CLIENT, "nobody@example.test", "viewer", owner)).rejects.toMatchObject({ field: "email" });
    await expect(invitations.inviteMember(users.owner.id, CLIENT, users.viewer.email, "viewer", owner)).rejects.toMatchObject({ field: "email" });
    const { invitation, token } = await invitations.inviteMember(users.owner.id, CLIENT, "Invitee@Example.test", "viewer", owner);
    expect((await invitations.findInvitationByToken(token))?.id).toBe(invitation.id);
    const db = new Database(file, { readonly: true });
    const stored = db.prepare(`SELECT "tokenHash", "expiresAt" FROM "AppInvitation" WHERE "id" = ?`).get(invitation.id) as { tokenHash: string; expiresAt: number };
    db.close();
    expect(stored.tokenHash).not.toContain(token);
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(7 * 86_400_000);

    await expect(invitations.acceptInvitation(users.stranger, invitation.id, { id: users.stranger.id, label: users.stranger.email })).rejects.toThrow(invitations.InvitationError);
    // Anyone could have signed up with the invited address: an unverified account needs the emailed link.
    await expect(invitations.acceptInvitation(users.invitee, invitation.id, { id: users.invitee.id, label: users.invitee.email })).rejects.toThrow(/Verify your email address first/);
    await expect(invitations.acceptInvitation(users.invitee, invitation.id, { id: users.invitee.id, label: users.invitee.email }, "lk_inv_not-the-link")).rejects.toThrow(/Verify your email address first/);
    expect(await invitations.acceptInvitation(users.invitee, invitation.id, { id: users.invitee.id, label: users.invitee.email }, token)).toEqual({ clientId: CLIENT, role: "viewer" });
    const verified = new Database(file, { readonly: true });
    expect((verified.prepare(`SELECT "emailVerified" FROM "User" WHERE "id" = ?`).get(users.invitee.id) as { emailVerified: number | null }).emailVerified).not.toBeNull();
    verified.close();
    await expect(invitations.acceptInvitation(users.invitee, invitation.id, { id: users.invitee.id, label: users.invitee.email })).rejects.toThrow(invitations.InvitationError);
    expect(await invitations.findInvitationByToken(token)).toBeNull();
    expect(await members.roleOnApp(users.invitee.id, CLIENT)).toBe("viewer");
  });

  it("transfers ownership to a member and keeps the old owner as a developer", async () => {
    const owner = { id: users.owner.id, label: users.owner.email };
    await members.transferOwnership(users.owner.id, CLIENT, users.developer.id, owner);
    expect(await members.roleOnApp(users.developer.id, CLIENT)).toBe("owner");
    expect(await members.roleOnApp(users.owner.id, CLIENT)).toBe("developer");
    await expect(members.removeMember(users.owner.id, CLIENT, users.viewer.id, owner)).rejects.toThrow(members.TeamError);
  });

  it("lets the owner change a role and remove a member, and audits every team change by name", async () => {
    const newOwner = { id: users.developer.id, label: users.developer.email };
    await members.changeMemberRole(users.developer.id, CLIENT, users.viewer.id, "developer", newOwner);
    expect(await members.roleOnApp(users.viewer.id, CLIENT)).toBe("developer");
    await members.removeMember(users.developer.id, CLIENT, users.viewer.id, newOwner);
    expect(await members.roleOnApp(users.viewer.id, CLIENT)).toBeNull();
    expect((await members.listTeam(CLIENT)).map((m) => [m.email, m.role])).toEqual([
      [users.developer.email, "owner"],
      [users.invitee.email, "viewer"],
      [users.owner.email, "developer"],
    ]);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare(`SELECT "action", "actor", "details" FROM "AuditLog" WHERE "target" = ? ORDER BY "createdAt", rowid`).all(CLIENT) as { action: string; actor: string; details: string }[];
    db.close();
    expect(rows.map((r) => r.action)).toEqual([
      "app.member_invited",
      "app.invitation_accepted",
      "app.ownership_transferred",
      "app.member_role_changed",
      "app.member_removed",
    ]);
    expect(rows.find((r) => r.action === "app.invitation_accepted")).toMatchObject({ actor: users.invitee.email });
    expect(JSON.parse(rows.find((r) => r.action === "app.invitation_accepted")!.details).member).toBe("Ivy <invitee@example.test>");
    expect(JSON.parse(rows.find((r) => r.action === "app.member_removed")!.details).member).toBe(users.viewer.email);
  });
});
