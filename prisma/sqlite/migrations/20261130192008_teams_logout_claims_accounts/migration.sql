-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN "acr" TEXT;
ALTER TABLE "AuthorizationCode" ADD COLUMN "amr" TEXT;
ALTER TABLE "AuthorizationCode" ADD COLUMN "claims" TEXT;
ALTER TABLE "AuthorizationCode" ADD COLUMN "sessionId" TEXT;

-- AlterTable
ALTER TABLE "DeviceAuthorization" ADD COLUMN "sessionId" TEXT;

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN "acr" TEXT;
ALTER TABLE "RefreshToken" ADD COLUMN "amr" TEXT;
ALTER TABLE "RefreshToken" ADD COLUMN "claims" TEXT;
ALTER TABLE "RefreshToken" ADD COLUMN "sessionId" TEXT;

-- CreateTable
CREATE TABLE "UserToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '',
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "UserToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OpSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "authTime" DATETIME NOT NULL,
    "amr" TEXT NOT NULL DEFAULT 'pwd',
    "acr" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    CONSTRAINT "OpSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OpSessionClient" (
    "sessionId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("sessionId", "clientId"),
    CONSTRAINT "OpSessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "OpSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OpSessionClient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LogoutDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "sessionId" TEXT,
    "userId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT NOT NULL DEFAULT '',
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LogoutDelivery_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AppMember_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AppMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "invitedById" TEXT,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "acceptedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AppInvitation_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppLogo" (
    "clientId" TEXT NOT NULL PRIMARY KEY,
    "contentType" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AppLogo_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "idTokenSignedResponseAlg" TEXT NOT NULL DEFAULT '',
    "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '',
    "backchannelLogoutUri" TEXT,
    "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT true,
    "policyUrl" TEXT,
    "termsUrl" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "statusReason" TEXT NOT NULL DEFAULT '',
    "lastTokenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Client_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Client" ("createdAt", "defaultScopes", "description", "grantTypes", "id", "idTokenSignedResponseAlg", "lastTokenAt", "logoUrl", "metadata", "metadataExpiresAt", "name", "ownerId", "pendingScopes", "registrationTokenHash", "scopes", "source", "status", "type", "updatedAt", "webOrigins", "websiteUrl") SELECT "createdAt", "defaultScopes", "description", "grantTypes", "id", "idTokenSignedResponseAlg", "lastTokenAt", "logoUrl", "metadata", "metadataExpiresAt", "name", "ownerId", "pendingScopes", "registrationTokenHash", "scopes", "source", "status", "type", "updatedAt", "webOrigins", "websiteUrl" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE INDEX "Client_ownerId_idx" ON "Client"("ownerId");
CREATE INDEX "Client_source_idx" ON "Client"("source");
CREATE TABLE "new_ClientSecret" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    CONSTRAINT "ClientSecret_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ClientSecret" ("clientId", "createdAt", "expiresAt", "hint", "id", "lastUsedAt", "revokedAt", "secretHash") SELECT "clientId", "createdAt", "expiresAt", "hint", "id", "lastUsedAt", "revokedAt", "secretHash" FROM "ClientSecret";
DROP TABLE "ClientSecret";
ALTER TABLE "new_ClientSecret" RENAME TO "ClientSecret";
CREATE UNIQUE INDEX "ClientSecret_secretHash_key" ON "ClientSecret"("secretHash");
CREATE INDEX "ClientSecret_clientId_idx" ON "ClientSecret"("clientId");
CREATE TABLE "new_RedirectUri" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RedirectUri_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RedirectUri" ("clientId", "createdAt", "id", "uri") SELECT "clientId", "createdAt", "id", "uri" FROM "RedirectUri";
DROP TABLE "RedirectUri";
ALTER TABLE "new_RedirectUri" RENAME TO "RedirectUri";
CREATE UNIQUE INDEX "RedirectUri_clientId_uri_key" ON "RedirectUri"("clientId", "uri");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT,
    "role" TEXT NOT NULL DEFAULT 'user',
    "emailVerified" DATETIME,
    "image" TEXT,
    "givenName" TEXT,
    "familyName" TEXT,
    "middleName" TEXT,
    "nickname" TEXT,
    "preferredUsername" TEXT,
    "profileUrl" TEXT,
    "website" TEXT,
    "gender" TEXT,
    "birthdate" TEXT,
    "zoneinfo" TEXT,
    "locale" TEXT,
    "phoneNumber" TEXT,
    "phoneNumberVerified" BOOLEAN NOT NULL DEFAULT false,
    "address" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("createdAt", "email", "emailVerified", "id", "image", "name", "passwordHash", "role", "updatedAt") SELECT "createdAt", "email", "emailVerified", "id", "image", "name", "passwordHash", "role", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "UserToken_tokenHash_key" ON "UserToken"("tokenHash");

-- CreateIndex
CREATE INDEX "UserToken_userId_purpose_idx" ON "UserToken"("userId", "purpose");

-- CreateIndex
CREATE INDEX "OpSession_userId_idx" ON "OpSession"("userId");

-- CreateIndex
CREATE INDEX "OpSessionClient_clientId_idx" ON "OpSessionClient"("clientId");

-- CreateIndex
CREATE INDEX "LogoutDelivery_status_nextAttemptAt_idx" ON "LogoutDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "LogoutDelivery_clientId_idx" ON "LogoutDelivery"("clientId");

-- CreateIndex
CREATE INDEX "AppMember_userId_idx" ON "AppMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "AppMember_clientId_userId_key" ON "AppMember"("clientId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "AppInvitation_tokenHash_key" ON "AppInvitation"("tokenHash");

-- CreateIndex
CREATE INDEX "AppInvitation_clientId_idx" ON "AppInvitation"("clientId");

-- CreateIndex
CREATE INDEX "AppInvitation_email_idx" ON "AppInvitation"("email");
