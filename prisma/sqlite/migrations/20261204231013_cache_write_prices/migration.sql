-- AlterTable
ALTER TABLE "ModelPrice" ADD COLUMN "cacheWrite1hPrice" BIGINT;
ALTER TABLE "ModelPrice" ADD COLUMN "cacheWritePrice" BIGINT;

-- AlterTable
-- Added in place (SQLite allows NOT NULL columns with a constant default) rather than by
-- rebuilding the table, which would copy every request ever logged.
ALTER TABLE "RequestLog" ADD COLUMN "cacheWrite1hTokens" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RequestLog" ADD COLUMN "cacheWriteTokens" INTEGER NOT NULL DEFAULT 0;
