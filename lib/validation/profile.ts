import { z } from "zod";

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);
const url = z
  .string()
  .trim()
  .max(2000, "At most 2000 characters.")
  .refine((v) => v === "" || /^https?:\/\//i.test(v), "Enter an http:// or https:// URL.")
  .refine((v) => v === "" || URL.canParse(v), "Enter a valid URL.");

function validDate(v: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})-(\d{2}))?$/.exec(v);
  if (!m) return false;
  if (!m[2]) return true;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function validTimeZone(v: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
    return v.includes("/") || v === "UTC";
  } catch {
    return false;
  }
}

function validLocale(v: string): boolean {
  try {
    return Intl.getCanonicalLocales(v.replace(/_/g, "-")).length === 1;
  } catch {
    return false;
  }
}

/** OpenID Connect Core §5.1 standard claims a user edits; empty strings clear a claim. */
export const profileSchema = z.object({
  givenName: text(100),
  familyName: text(100),
  middleName: text(100),
  nickname: text(100),
  preferredUsername: text(100).refine((v) => !/\s/.test(v), "No spaces."),
  profileUrl: url,
  image: url,
  website: url,
  gender: text(50),
  birthdate: text(10).refine((v) => v === "" || validDate(v), "Use YYYY-MM-DD or YYYY."),
  zoneinfo: text(64).refine((v) => v === "" || validTimeZone(v), "Use an IANA time zone such as Europe/Paris."),
  locale: text(35).refine((v) => v === "" || validLocale(v), "Use a BCP 47 language tag such as en-US."),
  phoneNumber: text(32).refine((v) => v === "" || /^\+?[0-9 ()./-]{3,30}(;ext=\d+)?$/.test(v), "Use the E.164 format, e.g. +1 555 0100."),
  addressFormatted: text(500),
  addressStreet: text(200),
  addressLocality: text(100),
  addressRegion: text(100),
  addressPostalCode: text(20),
  addressCountry: text(100),
});

export type ProfileInput = z.infer<typeof profileSchema>;

export const PROFILE_FIELDS = Object.keys(profileSchema.shape) as (keyof ProfileInput)[];
