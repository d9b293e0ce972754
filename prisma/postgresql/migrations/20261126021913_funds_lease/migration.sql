-- CreateTable
CREATE TABLE "FundsLease" (
    "id" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FundsLease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FundsLease_instanceId_idx" ON "FundsLease"("instanceId");

-- CreateIndex
CREATE INDEX "FundsLease_expiresAt_idx" ON "FundsLease"("expiresAt");
