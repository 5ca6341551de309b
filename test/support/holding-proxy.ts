import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on a loopback port the kernel picks, in front of `target`. Armed with a marker, it holds back the
 * answer to the first request whose bytes hold that marker for `holdMs`, as a slow network or a stalled server
 * would: the server has received and applied the request, and its client waits. Everything else passes at once.
 */
export interface HoldingProxy {
  readonly port: number;
  /** Holds the next answer to a request containing `marker` (ASCII), once. */
  arm(marker: string, holdMs: number): void;
  /** Whether an armed hold has happened. */
  held(): boolean;
  stop(): Promise<void>;
}

export async function startHoldingProxy(target: { host: string; port: number }): Promise<HoldingProxy> {
  let armed: { marker: Buffer; holdMs: number } | undefined;
  let holds = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let holdNextAnswer = 0;
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes(armed.marker)) {
        holdNextAnswer = armed.holdMs;
        armed = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holdNextAnswer === 0) return void client.write(chunk);
      const holdMs = holdNextAnswer;
      holdNextAnswer = 0;
      holds++;
      upstream.pause();
      setTimeout(() => {
        client.write(chunk);
        upstream.resume();
      }, holdMs);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    arm(marker, holdMs) {
      armed = { marker: Buffer.from(marker), holdMs };
    },
    held: () => holds > 0,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
