import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port handed out: below it are the well-known and registered services' usual ports. */
const LOWEST_PORT = 10_000;
/** Where the OS's own range for outgoing connections starts when it cannot be read (IANA's dynamic ports). */
const DEFAULT_EPHEMERAL_START = 49_152;
/** Ports tried before giving up; each is a listen attempt on loopback. */
const ATTEMPTS = 200;

/** Every port this process handed out: a port is picked before whoever uses it binds it, so it is never handed out twice. */
const handedOut = new Set<number>();

/** The first port of the OS's range for outgoing connections (Linux: net.ipv4.ip_local_port_range). */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST_PORT ? first : DEFAULT_EPHEMERAL_START;
  } catch {
    return DEFAULT_EPHEMERAL_START;
  }
}

function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port nobody listens on right now, for a process that binds it a moment later. It is picked below
 * the OS's range for outgoing connections: a port from that range (what listening on port 0 gives) can be taken
 * as the local end of any connection made before the process binds it, and the process then fails to start.
 */
export async function freePort(): Promise<number> {
  const end = ephemeralStart();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (end - LOWEST_PORT));
    if (handedOut.has(port)) continue;
    // Reserved before the check, so a call running at the same time cannot pick it too.
    handedOut.add(port);
    if (await listensOn(port)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free loopback port between ${LOWEST_PORT} and ${end - 1} after ${ATTEMPTS} attempts`);
}
