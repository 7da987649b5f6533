import "server-only";
import { prisma } from "../db";
import type { ProfileInput } from "../validation/profile";
import { describeChanges, recordAudit, type Actor } from "./audit";

/** The §5.1.1 address claim as stored in User.address. */
export interface AddressClaim {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

const columns = {
  givenName: true,
  familyName: true,
  middleName: true,
  nickname: true,
  preferredUsername: true,
  profileUrl: true,
  image: true,
  website: true,
  gender: true,
  birthdate: true,
  zoneinfo: true,
  locale: true,
  phoneNumber: true,
  address: true,
} as const;

const ADDRESS_KEYS: [keyof ProfileInput, keyof AddressClaim][] = [
  ["addressFormatted", "formatted"],
  ["addressStreet", "street_address"],
  ["addressLocality", "locality"],
  ["addressRegion", "region"],
  ["addressPostalCode", "postal_code"],
  ["addressCountry", "country"],
];

function parseAddress(json: string): AddressClaim {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as AddressClaim) : {};
  } catch {
    return {};
  }
}

/** The profile as the form shows it (every field a string). */
export async function getProfile(userId: string): Promise<ProfileInput | null> {
  const row = await prisma.user.findUnique({ where: { id: userId }, select: columns });
  if (!row) return null;
  const { address, ...rest } = row;
  const claim = parseAddress(address);
  const profile = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v ?? ""])) as Record<string, string>;
  for (const [field, key] of ADDRESS_KEYS) profile[field] = claim[key] ?? "";
  return profile as ProfileInput;
}

export async function updateProfile(userId: string, input: ProfileInput, actor: Actor): Promise<void> {
  const before = await getProfile(userId);
  if (!before) return;
  const address: AddressClaim = {};
  for (const [field, key] of ADDRESS_KEYS) if (input[field]) address[key] = input[field];
  const data: Record<string, string | null> = {};
  for (const key of Object.keys(columns) as (keyof typeof columns)[]) {
    if (key !== "address") data[key] = (input[key as keyof ProfileInput] as string) || null;
  }
  const phoneChanged = (before.phoneNumber || null) !== data.phoneNumber;
  await prisma.user.update({
    where: { id: userId },
    data: { ...data, address: Object.keys(address).length ? JSON.stringify(address) : "", ...(phoneChanged ? { phoneNumberVerified: false } : {}) },
  });
  const changes = describeChanges(before, input, Object.keys(input) as (keyof ProfileInput)[]);
  if (Object.keys(changes).length) await recordAudit(actor, "user.profile_updated", userId, { fields: Object.keys(changes) });
}
