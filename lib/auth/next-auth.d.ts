import "next-auth";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      email?: string | null;
      name?: string | null;
      image?: string | null;
      role: string;
      authTime: number;
      /** The OP session (`sid`); null for sessions from before OP sessions existed. */
      sid?: string | null;
    };
  }
}
