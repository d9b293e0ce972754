-- AlterTable
ALTER TABLE "ModelPrice" ADD COLUMN     "cacheWrite1hPrice" BIGINT,
ADD COLUMN     "cacheWritePrice" BIGINT;

-- AlterTable
ALTER TABLE "RequestLog" ADD COLUMN     "cacheWrite1hTokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cacheWriteTokens" INTEGER NOT NULL DEFAULT 0;
