import { randomBytes } from "node:crypto";

/** Ids for rows written outside Prisma (Prisma's cuid() only runs inside Prisma). */
export function newRowId(): string {
  return "c" + randomBytes(15).toString("base64url");
}
