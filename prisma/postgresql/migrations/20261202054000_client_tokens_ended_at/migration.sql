-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "tokensEndedAt" TIMESTAMP(3);
