-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "resources" TEXT NOT NULL DEFAULT '';
