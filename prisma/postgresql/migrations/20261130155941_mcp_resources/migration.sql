-- AlterTable
ALTER TABLE "AuthorizationCode" ADD COLUMN     "resource" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "defaultScopes" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "metadata" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "metadataExpiresAt" TIMESTAMP(3),
ADD COLUMN     "registrationTokenHash" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'portal',
ALTER COLUMN "ownerId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "resource" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "accessTokenTtl" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Api_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "InitialAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Api_identifier_key" ON "Api"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_tokenHash_key" ON "InitialAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "Client_source_idx" ON "Client"("source");
