/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // LATCHKEY_NEXT_DIR: build into another folder (parallel builds in development).
  distDir: process.env.LATCHKEY_NEXT_DIR || ".next",
  serverExternalPackages: ["better-sqlite3", "argon2", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "prom-client", "rate-limiter-flexible"],
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Security headers (CSP with nonces, framing, nosniff, HSTS) are set for every
  // response by the front door, lib/server/front-door.ts.
};

export default nextConfig;
