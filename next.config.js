/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "argon2", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "prom-client", "rate-limiter-flexible"],
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Security headers (CSP with nonces, framing, nosniff, HSTS) are set for every
  // response by the front door, lib/server/front-door.ts.
};

export default nextConfig;
