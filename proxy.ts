// Coarse redirects only: pages and actions check the session and role again.
import { withAuth } from "next-auth/middleware";

export default withAuth({ pages: { signIn: "/signin" } });

export const config = { matcher: ["/apps/:path*", "/account/:path*", "/admin/:path*"] };
