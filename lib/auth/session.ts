import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getUserById, type UserSummary } from "../data/users";
import { authOptions } from "./options";
import { safeReturnUrl } from "./safe-return-url";

export interface SignedInUser extends UserSummary {
  authTime: Date;
  /** The OP session (`sid`) of this sign-in; null for sessions from before OP sessions. */
  sessionId: string | null;
}

/** The signed-in user, read fresh from the database (roles can change), or null. */
export async function currentUser(): Promise<SignedInUser | null> {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  const user = await getUserById(session.user.id);
  return user && user.role !== "blocked" ? { ...user, authTime: new Date(session.user.authTime), sessionId: session.user.sid ?? null } : null;
}

export async function requireUser(returnTo: string): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?${new URLSearchParams({ callbackUrl: safeReturnUrl(returnTo, { fallback: "/apps" }) })}`);
  return user;
}

export async function requireAdmin(): Promise<SignedInUser> {
  const user = await requireUser("/admin");
  if (user.role !== "admin") redirect("/apps");
  return user;
}
