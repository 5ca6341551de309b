/** How a client on this machine reaches a server listening on `host`: loopback for a wildcard, brackets for IPv6. */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
