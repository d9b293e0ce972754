-- CreateTable
CREATE TABLE "UsageDay" (
    "userId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "model" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "error" BOOLEAN NOT NULL,
    "requests" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "cost" BIGINT NOT NULL,

    CONSTRAINT "UsageDay_pkey" PRIMARY KEY ("userId","day","model","apiKeyId","error")
);

-- AddForeignKey
ALTER TABLE "UsageDay" ADD CONSTRAINT "UsageDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fill it from the existing log (the same statement as USAGE_DAY_BACKFILL in lib/usage/rollup.ts)
INSERT INTO "UsageDay" ("userId", "day", "model", "apiKeyId", "error", "requests", "promptTokens", "completionTokens", "cost")
SELECT "userId", date_trunc('day', "createdAt"), coalesce("model", ''), coalesce("apiKeyId", ''), "status" >= 400,
       COUNT(*), SUM("promptTokens"), SUM("completionTokens"), SUM("cost")
FROM "RequestLog" WHERE "userId" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
