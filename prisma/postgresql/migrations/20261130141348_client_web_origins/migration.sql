-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "webOrigins" TEXT NOT NULL DEFAULT '';
