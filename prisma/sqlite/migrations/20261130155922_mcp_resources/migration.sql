-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identifier" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "accessTokenTtl" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuthorizationCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codeHash" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "grantId" TEXT,
    "redirectUri" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "codeChallenge" TEXT,
    "codeChallengeMethod" TEXT,
    "nonce" TEXT,
    "resource" TEXT NOT NULL DEFAULT '',
    "authTime" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "familyId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuthorizationCode_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AuthorizationCode" ("authTime", "clientId", "codeChallenge", "codeChallengeMethod", "codeHash", "consumedAt", "createdAt", "expiresAt", "familyId", "grantId", "id", "nonce", "redirectUri", "scope", "userId") SELECT "authTime", "clientId", "codeChallenge", "codeChallengeMethod", "codeHash", "consumedAt", "createdAt", "expiresAt", "familyId", "grantId", "id", "nonce", "redirectUri", "scope", "userId" FROM "AuthorizationCode";
DROP TABLE "AuthorizationCode";
ALTER TABLE "new_AuthorizationCode" RENAME TO "AuthorizationCode";
CREATE UNIQUE INDEX "AuthorizationCode_codeHash_key" ON "AuthorizationCode"("codeHash");
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "websiteUrl" TEXT,
    "logoUrl" TEXT,
    "type" TEXT NOT NULL,
    "grantTypes" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "pendingScopes" TEXT NOT NULL DEFAULT '',
    "webOrigins" TEXT NOT NULL DEFAULT '',
    "defaultScopes" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'portal',
    "registrationTokenHash" TEXT,
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "metadataExpiresAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lastTokenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("createdAt", "description", "grantTypes", "id", "lastTokenAt", "logoUrl", "name", "ownerId", "pendingScopes", "scopes", "status", "type", "updatedAt", "webOrigins", "websiteUrl") SELECT "createdAt", "description", "grantTypes", "id", "lastTokenAt", "logoUrl", "name", "ownerId", "pendingScopes", "scopes", "status", "type", "updatedAt", "webOrigins", "websiteUrl" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE INDEX "Client_ownerId_idx" ON "Client"("ownerId");
CREATE INDEX "Client_source_idx" ON "Client"("source");
CREATE TABLE "new_RefreshToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "familyId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT,
    "grantId" TEXT,
    "scope" TEXT NOT NULL,
    "resource" TEXT NOT NULL DEFAULT '',
    "authTime" DATETIME,
    "nonce" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "RefreshToken_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "TokenFamily" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RefreshToken" ("authTime", "clientId", "createdAt", "expiresAt", "familyId", "grantId", "id", "nonce", "revokedAt", "rotatedAt", "scope", "userId") SELECT "authTime", "clientId", "createdAt", "expiresAt", "familyId", "grantId", "id", "nonce", "revokedAt", "rotatedAt", "scope", "userId" FROM "RefreshToken";
DROP TABLE "RefreshToken";
ALTER TABLE "new_RefreshToken" RENAME TO "RefreshToken";
CREATE INDEX "RefreshToken_familyId_idx" ON "RefreshToken"("familyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Api_identifier_key" ON "Api"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_tokenHash_key" ON "InitialAccessToken"("tokenHash");
