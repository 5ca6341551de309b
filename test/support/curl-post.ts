import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * POSTs a file's bytes with curl, the client the defect was seen with, and resolves with the status it read
 * (`"413"`) or curl's error (`"curl: (56) Recv failure: Connection reset by peer"`). `expectContinue` sends
 * `Expect: 100-continue` (curl's own choice for large bodies); otherwise the header is left out.
 */
export function curlPost(url: string, bodyFile: string, options: { expectContinue: boolean }): Promise<string> {
  const expect = options.expectContinue ? 'Expect: 100-continue' : 'Expect:';
  const args = ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '60', '-H', 'content-type: application/json', '-H', expect, '--data-binary', `@${bodyFile}`, url];
  return new Promise((resolve) => {
    execFile('curl', args, { encoding: 'utf8' }, (error, stdout, stderr) => resolve(error ? stderr.trim() || String(error) : stdout));
  });
}

/** Writes a create body of about `bytes` bytes into `dir`; returns its path. */
export function documentFileOfSize(dir: string, bytes: number): string {
  const prefix = '{"data":{"blob":"';
  const suffix = '"}}';
  const file = join(dir, `body-${bytes}.json`);
  writeFileSync(file, prefix + 'x'.repeat(Math.max(0, bytes - prefix.length - suffix.length)) + suffix);
  return file;
}
