export const DOCS_NAV = [
  {
    group: "Getting started",
    pages: [
      { href: "/docs", title: "Overview: which flow to use" },
      { href: "/docs/app-settings", title: "App settings" },
    ],
  },
  {
    group: "Flows",
    pages: [
      { href: "/docs/authorization-code", title: "Authorization code" },
      { href: "/docs/pkce", title: "Authorization code with PKCE" },
      { href: "/docs/client-credentials", title: "Client credentials" },
      { href: "/docs/device", title: "Device authorization" },
      { href: "/docs/refreshing-tokens", title: "Refreshing tokens" },
      { href: "/docs/implicit", title: "Implicit (deprecated)" },
      { href: "/docs/password", title: "Password (legacy)" },
    ],
  },
  {
    group: "Guides",
    pages: [
      { href: "/docs/mcp", title: "Protect an MCP server" },
      { href: "/docs/logout", title: "Sign-out (logout)" },
    ],
  },
  {
    group: "Reference",
    pages: [
      { href: "/docs/scopes", title: "Scopes" },
      { href: "/docs/endpoints", title: "Endpoints" },
    ],
  },
] as const;
