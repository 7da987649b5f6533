/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["better-sqlite3", "argon2", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  typescript: { tsconfigPath: "tsconfig.build.json" },
  async headers() {
    const noFraming = [
      { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    return [
      // The consent screen and sign-in must never be framed (clickjacking, RFC 9700 §4.16).
      { source: "/oauth/:path*", headers: noFraming },
      { source: "/signin", headers: noFraming },
      { source: "/signup", headers: noFraming },
      { source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] },
    ];
  },
};

export default nextConfig;
