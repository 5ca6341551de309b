let lastMs = Number.NaN;
let last = '';

/**
 * `time` as an ISO-8601 UTC string (docs/api.md "Document"). A use case reads the clock once and stamps every
 * document and event of the request with it, so the string of the last instant is kept rather than formatted
 * again for each. An invalid date throws, as toISOString does.
 */
export function isoTimestamp(time: Date): string {
  const ms = time.getTime();
  if (ms !== lastMs) {
    last = time.toISOString();
    lastMs = ms;
  }
  return last;
}
