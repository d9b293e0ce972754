import { z } from "zod";

/**
 * zod compiles validators with `Function` when it may, and probes for that on first use; the
 * portal's Content-Security-Policy forbids eval, so the probe would be reported as a violation.
 * Validation works the same without it. Import before anything validates (the AI SDK does).
 */
z.config({ jitless: true });
