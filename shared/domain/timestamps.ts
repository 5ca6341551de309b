let lastMs = Number.NaN;
let last = '';

/**
 * `ms` (Unix milliseconds) as an ISO-8601 UTC string (docs/api.md "Document"), formatted once per millisecond:
 * a busy process stamps many documents, events and log lines within one, and formatting a date is most of the
 * cost of a log line. An invalid time throws, as toISOString does.
 */
export function isoTimestampAt(ms: number): string {
  if (ms !== lastMs) {
    last = new Date(ms).toISOString();
    lastMs = ms;
  }
  return last;
}

/** `time` as an ISO-8601 UTC string: a use case reads the clock once and stamps every document and event of the request with it. */
export function isoTimestamp(time: Date): string {
  return isoTimestampAt(time.getTime());
}
