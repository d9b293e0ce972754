import type { RequestRecord } from "../gateway/funds/settlement";
import { logRequest } from "./request-log";
import type { RequestSpan } from "./tracing";

/** What observability does with a settled /v1 request: its log line, and the end of its span. */
export function requestFinished(record: RequestRecord, span: RequestSpan | null): void {
  logRequest(record);
  if (span) span.end(record);
}
