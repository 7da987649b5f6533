"use client";

import { useEffect, useRef, useState } from "react";

// Dark enough for white text (WCAG AA) in light and dark mode.
const AVATAR_COLOURS = [
  "bg-sky-700", "bg-emerald-700", "bg-violet-700", "bg-rose-700", "bg-amber-700",
  "bg-teal-700", "bg-indigo-700", "bg-fuchsia-700", "bg-cyan-700", "bg-orange-700",
] as const;

/** A colour that stays the same for a name. */
export function avatarColourOf(name: string): string {
  let hash = 0;
  for (const ch of name.trim().toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length]!;
}

const SIZES = {
  sm: "h-9 w-9 text-base rounded-lg",
  md: "h-14 w-14 text-2xl rounded-lg",
  lg: "h-14 w-14 text-2xl rounded-xl",
} as const;

export function LetterAvatar({ name, size = "md", testId }: { name: string; size?: keyof typeof SIZES; testId?: string }) {
  const letter = [...name.trim()][0]?.toUpperCase() ?? "?";
  return (
    <div
      aria-hidden
      data-testid={testId ?? "app-avatar"}
      className={`${SIZES[size]} ${avatarColourOf(name)} flex shrink-0 items-center justify-center font-semibold text-white`}
    >
      {letter}
    </div>
  );
}

/**
 * An app's logo (uploaded, or a URL it registered); the first letter of its name when it has
 * none or the image does not load.
 */
export function AppLogo({ name, src, size = "md", testId = "app-logo" }: { name: string; src: string | null; size?: keyof typeof SIZES; testId?: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  const img = useRef<HTMLImageElement>(null);
  // An image that failed before hydration fired its error event with no listener yet.
  useEffect(() => {
    const el = img.current;
    if (el && src && el.complete && el.naturalWidth === 0) setFailed(src);
  }, [src]);
  if (!src || failed === src) return <LetterAvatar name={name} size={size} testId={testId.replace(/logo$/, "avatar")} />;
  return (
    // eslint-disable-next-line @next/next/no-img-element
    <img
      ref={img}
      src={src}
      alt=""
      data-testid={testId}
      referrerPolicy="no-referrer"
      onError={() => setFailed(src)}
      className={`${SIZES[size]} shrink-0 border border-slate-200 bg-white object-cover dark:border-slate-700`}
    />
  );
}
