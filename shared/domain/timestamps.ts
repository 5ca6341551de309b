let recentMs = Number.NaN;
let recent = '';
let olderMs = Number.NaN;
let older = '';

/**
 * `ms` (Unix milliseconds) as an ISO-8601 UTC string (docs/api.md "Document"), formatted once per millisecond:
 * a busy process stamps many documents, events and log lines within one, and formatting a date is most of the
 * cost of a log line. Two milliseconds are kept, not one: a request stamps its documents and events with the
 * time it started while its log lines carry the time they are written, and with one entry those two
 * alternating formatted again on every call (8% of a bulk create's CPU). An invalid time throws, as
 * toISOString does.
 */
export function isoTimestampAt(ms: number): string {
  if (ms === recentMs) return recent;
  const formatted = ms === olderMs ? older : new Date(ms).toISOString();
  olderMs = recentMs;
  older = recent;
  recentMs = ms;
  recent = formatted;
  return formatted;
}

/** `time` as an ISO-8601 UTC string: a use case reads the clock once and stamps every document and event of the request with it. */
export function isoTimestamp(time: Date): string {
  return isoTimestampAt(time.getTime());
}
