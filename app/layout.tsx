import type { Metadata, Viewport } from "next";
import "./globals.css";
import { FocusedHeader } from "@/components/focused-header";
import { HeaderSwitch } from "@/components/header-switch";
import { SiteHeader } from "@/components/site-header";

export const metadata: Metadata = {
  title: { default: "Latchkey", template: "%s · Latchkey" },
  description: "A self-hostable OAuth 2.0 and OpenID Connect server with a developer portal.",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f172a" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50"
        >
          Skip to content
        </a>
        <HeaderSwitch portal={<SiteHeader />} focused={<FocusedHeader />} />
        <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-6 focus:outline-none sm:py-8">
          {children}
        </main>
      </body>
    </html>
  );
}
