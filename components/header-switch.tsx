"use client";

import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** Pages a user reaches from another app: no portal navigation, only who is signed in. */
const FOCUSED_PATHS = ["/oauth/consent"];

export function HeaderSwitch({ portal, focused }: { portal: ReactNode; focused: ReactNode }) {
  const pathname = usePathname();
  return FOCUSED_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`)) ? focused : portal;
}
