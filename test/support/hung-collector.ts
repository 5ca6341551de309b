import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A trace collector that hangs: it accepts connections on a loopback port and never answers. */
export interface HungCollector {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startHungCollector(): Promise<HungCollector> {
  const held: Socket[] = [];
  const server = createServer((socket) => {
    held.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
