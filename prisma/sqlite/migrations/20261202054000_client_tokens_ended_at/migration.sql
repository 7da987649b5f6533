-- AlterTable
ALTER TABLE "Client" ADD COLUMN "tokensEndedAt" DATETIME;
