-- CreateIndex
CREATE INDEX "RequestLog_userId_model_createdAt_idx" ON "RequestLog"("userId", "model", "createdAt");
