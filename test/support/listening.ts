import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The TCP addresses the given processes listen on, as `address:port` (`127.0.0.1:8080`, `[::]:8080`), read from
 * /proc (Linux) without sending a packet: each process's socket inodes matched to the kernel's LISTEN sockets.
 */
export function listeningAddresses(pids: readonly number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]!);
      } catch {
        // Closed since the listing.
      }
    }
  }
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl local_address rem_address st ... inode (10th)
      if (fields[3] !== '0A' || !inodes.has(fields[9]!)) continue;
      const [hexAddress, hexPort] = fields[1]!.split(':') as [string, string];
      addresses.push(`${addressOf(hexAddress)}:${parseInt(hexPort, 16)}`);
    }
  }
  return addresses.sort();
}

/** /proc/net's hex address: IPv4 as one little-endian word, IPv6 as four. */
function addressOf(hex: string): string {
  const bytes = (word: string) => word.match(/../g)!.reverse().map((b) => parseInt(b, 16));
  if (hex.length === 8) return bytes(hex).join('.');
  const all = hex.match(/.{8}/g)!.flatMap(bytes);
  if (all.slice(0, 10).every((b) => b === 0) && all[10] === 255 && all[11] === 255) return all.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((all[2 * i]! << 8) | all[2 * i + 1]!).toString(16));
  return `[${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}]`;
}
