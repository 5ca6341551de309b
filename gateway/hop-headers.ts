import type { IncomingHttpHeaders } from 'node:http';

/** Headers of one connection only (RFC 9110 §7.6.1), and Expect: Node's server already answered 100 Continue. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'proxy-connection', 'te', 'trailer', 'expect']);

/**
 * The headers a message's Connection header names (`Connection: close, X-Hop`): of this connection only too,
 * which an intermediary must remove before forwarding (RFC 9110 §7.6.1). Undefined when it names none.
 */
function nominated(connection: string | readonly string[] | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  const names = (typeof connection === 'string' ? connection : connection.join(','))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'close' && name !== 'keep-alive');
  return names.length ? new Set(names) : undefined;
}

export function forwardedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const hop = nominated(headers.connection);
  const out: IncomingHttpHeaders = {};
  for (const key in headers) if (!NOT_FORWARDED.has(key) && !hop?.has(key)) out[key] = headers[key];
  return out;
}

/** A flat raw list ([name, value, …]) without the hop-by-hop headers; `first` goes in front. */
export function forwardedRawHeaders(raw: readonly string[], first: readonly string[] = []): string[] {
  const connection: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'connection') connection.push(raw[i + 1]!);
  const hop = nominated(connection.length ? connection : undefined);
  const out = [...first];
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!.toLowerCase();
    if (!NOT_FORWARDED.has(key) && !hop?.has(key)) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** Whether a body follows, read from the raw list so the request's headers object is never built for it. */
export function hasBody(raw: readonly string[]): boolean {
  let chunked = false;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!.toLowerCase();
    if (key === 'content-length') return raw[i + 1] !== '0';
    if (key === 'transfer-encoding') chunked = true;
  }
  return chunked;
}
