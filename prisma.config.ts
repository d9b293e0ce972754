// Only for the standard Prisma CLI on machines that can download its schema engine, e.g.
//   DATABASE_URL=… npx prisma migrate deploy --schema prisma/postgresql/schema.prisma
// (migrations live beside each schema). This repo applies and creates migrations offline with
// lib/db/migrate.ts and scripts/migration-create.ts; `prisma generate` needs no database.
import { defineConfig } from "prisma/config";

export default defineConfig({
  datasource: { url: process.env.DATABASE_URL },
});
