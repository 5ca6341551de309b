import type { Spawned } from './processes.js';

export type LogLine = Record<string, unknown>;

/**
 * Every non-empty line of a process's output parsed as JSON; a line that is not JSON fails the test. The local
 * stack also prints a human banner, so `onlyObjects` keeps just the lines that start as JSON objects.
 */
export function jsonLines(output: string, { onlyObjects = false } = {}): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && (!onlyObjects || line.startsWith('{')))
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`log line is not JSON: ${line}`);
      }
    });
}

/** Waits until the process has printed a JSON line matching `match` (a condition, not a sleep). */
export async function waitForLine(process: Spawned, match: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = jsonLines(process.output()).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
