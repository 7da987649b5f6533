-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN     "acr" TEXT,
ADD COLUMN     "amr" TEXT,
ADD COLUMN     "claims" TEXT,
ADD COLUMN     "sessionId" TEXT;

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "backchannelLogoutUri" TEXT,
ADD COLUMN     "policyUrl" TEXT,
ADD COLUMN     "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "statusReason" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "termsUrl" TEXT;

-- AlterTable
ALTER TABLE "ClientSecret" ADD COLUMN     "label" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "DeviceAuthorization" ADD COLUMN     "sessionId" TEXT;

-- AlterTable
ALTER TABLE "RedirectUri" ADD COLUMN     "position" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "acr" TEXT,
ADD COLUMN     "amr" TEXT,
ADD COLUMN     "claims" TEXT,
ADD COLUMN     "sessionId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "address" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "birthdate" TEXT,
ADD COLUMN     "familyName" TEXT,
ADD COLUMN     "gender" TEXT,
ADD COLUMN     "givenName" TEXT,
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "middleName" TEXT,
ADD COLUMN     "nickname" TEXT,
ADD COLUMN     "phoneNumber" TEXT,
ADD COLUMN     "phoneNumberVerified" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "preferredUsername" TEXT,
ADD COLUMN     "profileUrl" TEXT,
ADD COLUMN     "website" TEXT,
ADD COLUMN     "zoneinfo" TEXT;

-- CreateTable
CREATE TABLE "UserToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OpSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "authTime" TIMESTAMP(3) NOT NULL,
    "amr" TEXT NOT NULL DEFAULT 'pwd',
    "acr" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "OpSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OpSessionClient" (
    "sessionId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OpSessionClient_pkey" PRIMARY KEY ("sessionId","clientId")
);

-- CreateTable
CREATE TABLE "LogoutDelivery" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "sessionId" TEXT,
    "userId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT NOT NULL DEFAULT '',
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogoutDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppMember" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppInvitation" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "invitedById" TEXT,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppLogo" (
    "clientId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppLogo_pkey" PRIMARY KEY ("clientId")
);

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

-- AddForeignKey
ALTER TABLE "UserToken" ADD CONSTRAINT "UserToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OpSession" ADD CONSTRAINT "OpSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OpSessionClient" ADD CONSTRAINT "OpSessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "OpSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OpSessionClient" ADD CONSTRAINT "OpSessionClient_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LogoutDelivery" ADD CONSTRAINT "LogoutDelivery_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppMember" ADD CONSTRAINT "AppMember_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppMember" ADD CONSTRAINT "AppMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppInvitation" ADD CONSTRAINT "AppInvitation_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppLogo" ADD CONSTRAINT "AppLogo_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;
