import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { recordAudit, systemActor } from "../data/audit";
import { createOpSession, endOpSession, isOpSessionActive } from "../data/op-sessions";
import { isActiveUser } from "../data/users";
import { exportEnv } from "../env";
import { clientIp } from "../server/client-ip";
import { verifySignIn } from "../server/sign-in-attempts";
import { nextAuthRedirect } from "./safe-return-url";
import { ACCOUNT_BLOCKED_MESSAGE } from "./too-many-attempts";

exportEnv();

const credentialsSchema = z.object({ email: z.string().trim().min(1), password: z.string().min(1) });

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        // Throws, while locked out, an Error whose message the sign-in form shows.
        const ip = clientIp(req?.headers);
        const user = await verifySignIn(parsed.data.email, parsed.data.password, ip);
        if (!user) return null;
        if (user.role === "blocked") {
          await recordAudit(systemActor, "auth.sign_in_failed", user.id, { email: user.email, ip, reason: "blocked" });
          throw new Error(ACCOUNT_BLOCKED_MESSAGE);
        }
        await recordAudit({ id: user.id, label: user.email }, "auth.signed_in", user.id, { ip });
        return { id: user.id, email: user.email, name: user.name, role: user.role };
      },
    }),
  ],
  callbacks: {
    // Every callbackUrl next-auth honours (query, body, cookie) goes through the one check.
    async redirect(params) {
      return nextAuthRedirect(params);
    },
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = (user as { role?: string }).role ?? "user";
        // OpenID Connect auth_time: when the user last typed their password (milliseconds).
        token.authTime = Date.now();
        // The OP session: its id is the `sid` of ID and logout tokens.
        token.sid = await createOpSession({ userId: user.id, authTime: new Date(token.authTime as number) });
      }
      return token;
    },
    async session({ session, token }) {
      // Sessions are JWTs: a blocked or deleted user's session ends on its next use.
      const sid = typeof token.sid === "string" ? token.sid : null;
      const [active, sessionOpen] = await Promise.all([
        token.sub ? isActiveUser(token.sub) : null,
        // Logged out elsewhere (RP-initiated logout, a copied cookie): the OP session has ended.
        sid !== null && token.sub ? isOpSessionActive(sid, token.sub) : true,
      ]);
      if (!active || !sessionOpen) return { expires: session.expires } as typeof session;
      if (session.user) {
        session.user.id = token.sub ?? "";
        session.user.role = active.role;
        session.user.authTime = (token.authTime as number) ?? 0;
        session.user.sid = sid;
      }
      return session;
    },
  },
  events: {
    // Portal sign-out ends the OP session and sends back-channel logout tokens.
    async signOut({ token }) {
      if (typeof token?.sid === "string") await endOpSession(token.sid);
    },
  },
};
