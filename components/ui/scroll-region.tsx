import type { ReactNode } from "react";

/**
 * Wide content (tables, charts) scrolls inside its card on small screens instead of widening
 * the page. Focusable and named, so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function ScrollRegion({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 ${className}`}
    >
      {children}
    </div>
  );
}
