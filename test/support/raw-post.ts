import { request as httpRequest } from 'node:http';

/** What a client read back: the status, or the socket error that took the answer away. */
export type RawOutcome = { readonly status: number; readonly text: string } | { readonly error: string };

/**
 * A POST over its own connection that sends the body in 64 KiB writes, as curl does, and reports what the
 * client could read; with `expectContinue` the body waits for the server's 100 Continue (or a final answer).
 */
export function rawPost(url: string, body: Buffer, options: { expectContinue?: boolean } = {}): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const req = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        ...(options.expectContinue ? { expect: '100-continue' } : {}),
      },
    });
    let settled = false;
    const settle = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        settle({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
      res.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    const write = async () => {
      for (let offset = 0; offset < body.length && !req.destroyed; offset += 64 * 1024) {
        if (!req.write(body.subarray(offset, offset + 64 * 1024))) await new Promise((r) => req.once('drain', r));
      }
      if (!req.destroyed) req.end();
    };
    if (options.expectContinue) req.once('continue', () => void write());
    else void write();
  });
}

/** A create body of about `bytes` bytes. */
export function documentOfSize(bytes: number): Buffer {
  const prefix = '{"data":{"blob":"';
  const suffix = '"}}';
  return Buffer.from(prefix + 'x'.repeat(Math.max(0, bytes - prefix.length - suffix.length)) + suffix);
}
