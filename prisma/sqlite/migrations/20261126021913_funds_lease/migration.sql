-- CreateTable
CREATE TABLE "FundsLease" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instanceId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FundsLease_instanceId_idx" ON "FundsLease"("instanceId");

-- CreateIndex
CREATE INDEX "FundsLease_expiresAt_idx" ON "FundsLease"("expiresAt");
