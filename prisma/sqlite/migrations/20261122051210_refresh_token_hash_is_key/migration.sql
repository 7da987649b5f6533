-- RefreshToken: the token's SHA-256 becomes the primary key and the tokenHash column and
-- its unique index go (one B-tree fewer to write per rotation). Existing rows keep working:
-- their hash moves into "id" (edited by hand; Prisma's generated copy dropped it).
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RefreshToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "familyId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT,
    "grantId" TEXT,
    "scope" TEXT NOT NULL,
    "authTime" DATETIME,
    "nonce" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "RefreshToken_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "TokenFamily" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RefreshToken" ("authTime", "clientId", "createdAt", "expiresAt", "familyId", "grantId", "id", "nonce", "revokedAt", "rotatedAt", "scope", "userId") SELECT "authTime", "clientId", "createdAt", "expiresAt", "familyId", "grantId", "tokenHash", "nonce", "revokedAt", "rotatedAt", "scope", "userId" FROM "RefreshToken";
DROP TABLE "RefreshToken";
ALTER TABLE "new_RefreshToken" RENAME TO "RefreshToken";
CREATE INDEX "RefreshToken_familyId_idx" ON "RefreshToken"("familyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
