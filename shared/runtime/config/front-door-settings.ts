import { int, parsed } from './environment.js';

/**
 * `CORS_ORIGINS`: a comma-separated list of origins (`https://app.example`, `http://localhost:5173`) or `*`.
 * Each must be an origin exactly as a browser sends it: scheme, host and port only.
 */
export function parseCorsOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) throw new Error('must name at least one origin, or *');
  if (origins.includes('*')) {
    if (origins.length > 1) throw new Error('* allows every origin and cannot be listed with others');
    return origins;
  }
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      // Reported below with the others.
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
      throw new Error(`'${origin}' is not an origin: scheme://host[:port], with no path or trailing slash`);
    }
  }
  return origins;
}

/** Settings of the gateway, whichever program runs it (`npm start`, dist/gateway.mjs). */
export const FRONT_DOOR_SETTINGS = {
  /** Origins whose pages may call the API from a browser; unset, no CORS headers are sent at all. */
  CORS_ORIGINS: parsed(parseCorsOrigins),
  /**
   * How long the gateway waits for a function to start its answer before answering 504 itself. Long enough for
   * a bulk request queued behind others; a function that accepted the connection and hangs no longer holds the
   * client for ever.
   */
  GATEWAY_TIMEOUT_SECONDS: int(1, 3600, 60),
};
